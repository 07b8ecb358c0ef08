import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Transport } from '../transport.js';
import { createHttpTransport, defaultTransportOptions } from '../undici-transport.js';
import {
  type Authenticator,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  staticAuth,
  withAuth,
} from './authenticator.js';

// A loopback app that echoes the headers it got.
let base = '';
const received: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  received.push(req.headers);
  res.writeHead(req.headers.authorization === 'Bearer stale' ? 401 : 200, {
    'content-type': 'application/json',
  });
  res.end('{}');
});
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const http = (): Transport => createHttpTransport({ ...defaultTransportOptions, baseUrl: base, headers: {} });

async function sentWith(auth: Authenticator, headers?: Record<string, string>): Promise<IncomingHttpHeaders> {
  const t = withAuth(http(), auth);
  try {
    await t.send({ method: 'GET', path: 'me', ...(headers ? { headers } : {}) });
  } finally {
    await t.close();
  }
  return received.at(-1) ?? {};
}

describe('static authentication wrappers', () => {
  it('bearer sends Authorization: Bearer <token>', async () => {
    assert.equal((await sentWith(bearerAuth(new Secret('tok-123456')))).authorization, 'Bearer tok-123456');
  });

  it('basic sends base64(user:password) in UTF-8 and reports the encoded pair for redaction', async () => {
    const seen: Secret[] = [];
    const h = await sentWith(basicAuth('admin', new Secret('pässword'), (s) => seen.push(s)));
    assert.equal(h.authorization, `Basic ${Buffer.from('admin:pässword').toString('base64')}`);
    assert.equal(seen[0]?.reveal(), Buffer.from('admin:pässword').toString('base64'));
  });

  it('API key header: a named header, with an optional scheme prefix (Okta SSWS)', async () => {
    assert.equal((await sentWith(apiKeyAuth('X-API-Key', new Secret('k-abcdef'))))['x-api-key'], 'k-abcdef');
    const okta = await sentWith(apiKeyAuth('Authorization', new Secret('00abcdef'), 'SSWS'));
    assert.equal(okta.authorization, 'SSWS 00abcdef');
  });

  it("the credentials replace a request's own header of the same name, whatever its case", async () => {
    const h = await sentWith(bearerAuth(new Secret('tok-123456')), {
      Authorization: 'Bearer forged',
      'x-other': '1',
    });
    assert.equal(h.authorization, 'Bearer tok-123456');
    assert.equal(h['x-other'], '1');
  });

  it('a static credential the app refuses is not re-sent (401 is the answer)', async () => {
    const before = received.length;
    const t = withAuth(http(), staticAuth({ authorization: new Secret('Bearer stale') }));
    assert.equal((await t.send({ method: 'GET', path: 'me' })).status, 401);
    await t.close();
    assert.equal(received.length - before, 1);
  });

  it('bad settings are config errors naming the field', () => {
    assert.throws(() => apiKeyAuth('X API Key', new Secret('k-abcdef')), ConfigError);
    assert.throws(() => basicAuth('a:b', new Secret('pw-123456')), /Basic user id cannot contain ":"/);
  });

  it('keeps the inner transport retry policy for the core', () => {
    const inner = http();
    assert.equal(withAuth(inner, bearerAuth(new Secret('tok-123456'))).retry, inner.retry);
  });
});
