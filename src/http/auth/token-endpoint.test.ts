import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError, ConfigError, InvalidResponseError, RateLimitedError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Transport } from '../transport.js';
import { createHttpTransport, defaultTransportOptions } from '../undici-transport.js';
import { requestToken, tokenUrlOf } from './token-endpoint.js';

// A token endpoint answering whatever the test puts in `next` (status, headers, body text).
let next: { status: number; headers?: Record<string, string>; body: string } = { status: 200, body: '{}' };
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    res.end(next.body);
  });
});
let url = '';
let transport: Transport;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = createHttpTransport({
    ...defaultTransportOptions,
    baseUrl: url,
    headers: {},
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
});
after(async () => {
  await transport.close();
  server.close();
});

const SECRET = new Secret('very-secret-value');
const ask = (answer: typeof next) => {
  next = answer;
  return requestToken(transport, {
    tokenUrl: new URL(`${url}/oauth2/v2.0/token?tenant=t1`),
    form: { grant_type: 'client_credentials', client_secret: SECRET.reveal() },
    secrets: [SECRET],
    clientHint: 'check clientId/clientSecret',
  });
};

describe('token endpoint answers', () => {
  it('reads expires_in given as a numeric string (older Azure AD)', async () => {
    const t = await ask({
      status: 200,
      body: '{"access_token":"eyJ0","token_type":"Bearer","expires_in":"3599"}',
    });
    assert.equal(t.token.reveal(), 'eyJ0');
    assert.equal(t.expiresInMs, 3_599_000);
  });

  it('a 200 without an access_token is an invalid response', async () => {
    await assert.rejects(ask({ status: 200, body: '{"token_type":"Bearer"}' }), InvalidResponseError);
    await assert.rejects(
      ask({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }),
      InvalidResponseError,
    );
  });

  it('a token that is not a bearer token is refused, without showing it', async () => {
    const e = await ask({ status: 200, body: '{"access_token":"mac-token-123","token_type":"mac"}' }).catch(
      (x: Error) => x,
    );
    assert.ok(e instanceof InvalidResponseError, `expected InvalidResponseError, got ${String(e)}`);
    assert.match(e.message, /gave a token of type mac, not Bearer/);
    assert.ok(!e.message.includes('mac-token-123'), 'the token is not shown');
  });

  it('invalid_scope says to check the scope; the code is the vendor code', async () => {
    const e = await ask({
      status: 400,
      body: '{"error":"invalid_scope","error_description":"AADSTS70011: The provided value for scope is not valid."}',
    }).catch((x: Error) => x);
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    assert.equal(e.vendorCode, 'invalid_scope');
    assert.match(e.message, /refused: invalid_scope \(AADSTS70011: .*\): check scope$/);
  });

  it('a 503 page is a retryable failure; a 429 is rate limited with its wait', async () => {
    const down = await ask({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<h1>down</h1>',
    }).catch((x: Error) => x);
    assert.ok(down instanceof AppError, `expected AppError, got ${String(down)}`);
    assert.equal(down.retryable, true);
    assert.match(down.message, /refused: HTTP 503: the token endpoint failed: try again later$/);
    const slow = await ask({ status: 429, headers: { 'retry-after': '5' }, body: '{}' }).catch(
      (x: Error) => x,
    );
    assert.ok(slow instanceof RateLimitedError, `expected RateLimitedError, got ${String(slow)}`);
    assert.equal(slow.retryAfterMs, 5000);
  });

  it('a token URL setting that is not http(s), or carries credentials, is a config error', () => {
    assert.throws(() => tokenUrlOf('zoom.us/oauth/token'), ConfigError);
    assert.throws(() => tokenUrlOf('ftp://zoom.us/oauth/token'), ConfigError);
    assert.throws(
      () => tokenUrlOf('https://id:pw-secret@zoom.us/oauth/token'),
      (e: Error) => !e.message.includes('pw-secret'),
    );
  });
});
