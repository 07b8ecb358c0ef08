import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startTokenServer } from '../../../test/servers/oauth-token-server.js';
import type { WriteDescription } from '../../core/dry-run.js';
import { AppError, type IamError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import { withWriteControl } from '../dry-run.js';
import type { Transport } from '../transport.js';
import { createHttpTransport, defaultTransportOptions } from '../undici-transport.js';
import { withAuth } from './authenticator.js';
import { type ClientCredentialsOptions, clientCredentials } from './oauth.js';

const SECRET = 'cs-9f8e7d6c5b4a3210';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** The real undici transport, as the caller would build it for the token endpoint or the API. */
const http = (baseUrl: string): Transport =>
  createHttpTransport({
    ...defaultTransportOptions,
    baseUrl,
    headers: {},
    retry: { ...defaultTransportOptions.retry, attempts: 1 },
  });

async function setup(
  server: Partial<Parameters<typeof startTokenServer>[0]> = {},
  client: Partial<ClientCredentialsOptions> = {},
) {
  const srv = await startTokenServer({ clients: { 'client-1': SECRET }, expiresIn: 3600, ...server });
  const seen: Secret[] = [];
  const api = withAuth(
    http(`${srv.url}/api`),
    clientCredentials({
      tokenUrl: srv.tokenUrl,
      clientId: 'client-1',
      clientSecret: new Secret(SECRET),
      tokenTransport: http,
      onSecret: (s) => seen.push(s),
      ...client,
    }),
  );
  open.push(api, srv);
  return { srv, api, seen };
}

const get = (api: Transport, path = 'me') => api.send({ method: 'GET', path });

async function failure(p: Promise<unknown>): Promise<IamError> {
  try {
    await p;
  } catch (e) {
    return e as IamError;
  }
  assert.fail('expected an error');
}

function assertNoSecret(e: Error, ...values: string[]) {
  const text = `${e.message} ${String(e)} ${JSON.stringify(e)}`;
  for (const v of values) {
    for (const form of [v, Buffer.from(v).toString('base64'), encodeURIComponent(v)])
      assert.ok(!text.includes(form), `error shows a secret: ${e.message}`);
  }
}

describe('OAuth 2.0 client credentials', () => {
  it('fetches one token, reuses it, and reports it for redaction', async () => {
    const { srv, api, seen } = await setup();
    for (let i = 0; i < 3; i++) assert.equal((await get(api)).status, 200);
    assert.equal(srv.tokenRequests, 1);
    assert.equal(srv.apiRequests, 3);
    // The Basic client credential and the access token, both hidden by value.
    assert.equal(seen.length, 2);
    assert.match(seen[1]?.reveal() ?? '', /^at-/);
    assert.equal(String(seen[1]), '[REDACTED]');
  });

  it("fits Zoom's Server-to-Server OAuth as data: account_credentials grant, account_id, Basic client auth", async () => {
    const { srv, api } = await setup(
      { grantType: 'account_credentials', requireParams: { account_id: 'acc-42' } },
      { grantType: 'account_credentials', params: { account_id: 'acc-42' } },
    );
    assert.equal((await get(api)).status, 200);
    assert.deepEqual(srv.forms[0], { account_id: 'acc-42', grant_type: 'account_credentials' });
  });

  it('form-encodes the id and secret before pairing them for Basic (RFC 6749 2.3.1)', async () => {
    const odd = 'a+b/c=d~ é:%';
    const { srv, api } = await setup(
      { clients: { 'id:1': odd } },
      { clientId: 'id:1', clientSecret: new Secret(odd) },
    );
    assert.equal((await get(api)).status, 200);
    assert.equal(srv.tokenRequests, 1);
  });

  it('sends the client secret in the body with clientAuth post', async () => {
    const { srv, api } = await setup({}, { clientAuth: 'post', scope: ['a', 'b'] });
    assert.equal((await get(api)).status, 200);
    assert.equal(srv.forms[0]?.client_secret, SECRET);
    assert.equal(srv.forms[0]?.scope, 'a b');
  });

  it('refreshes a token near its expiry (within 10% of a short lifetime)', async () => {
    let now = 1_000_000;
    const { srv, api } = await setup({ expiresIn: 30 }, { now: () => now });
    await get(api);
    now += 26_000; // 4 s left of 30: outside the 3 s margin
    await get(api);
    assert.equal(srv.tokenRequests, 1);
    now += 1_500; // 2.5 s left: inside it
    await get(api);
    assert.equal(srv.tokenRequests, 2);
  });

  it('refreshes a long-lived token 60 s before expiry, not earlier', async () => {
    let now = 0;
    const { srv, api } = await setup({ expiresIn: 3600 }, { now: () => now });
    await get(api);
    now = 3539_000;
    await get(api);
    assert.equal(srv.tokenRequests, 1);
    now = 3541_000;
    await get(api);
    assert.equal(srv.tokenRequests, 2);
  });

  it('really expired tokens (short expires_in) are replaced before the app refuses them', async () => {
    const { srv, api } = await setup({ expiresIn: 1 });
    assert.equal((await get(api)).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await get(api)).status, 200);
    assert.equal(srv.tokenRequests, 2);
    assert.equal(srv.apiRequests, 2, 'no request was sent with the expired token');
  });

  it('on a 401 drops the token, fetches another once and sends the request once more', async () => {
    const { srv, api } = await setup();
    await get(api);
    srv.revokeAll();
    assert.equal((await get(api)).status, 200);
    assert.equal(srv.tokenRequests, 2);
    assert.equal(srv.apiRequests, 3);
  });

  it('a second 401 is the answer: one re-send, no loop', async () => {
    const { srv, api } = await setup({ apiRefusesAll: true });
    assert.equal((await get(api)).status, 401);
    assert.equal(srv.tokenRequests, 2);
    assert.equal(srv.apiRequests, 2);
  });

  it('100 concurrent requests during a token fetch cause one token request', async () => {
    const { srv, api } = await setup({ tokenDelayMs: 100 });
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(api)));
    assert.ok(
      answers.every((r) => r.status === 200),
      'every request succeeded',
    );
    assert.equal(srv.tokenRequests, 1);
  });

  it('100 concurrent 401s (keys rotated) cause one new token request', async () => {
    const { srv, api } = await setup({ tokenDelayMs: 50 });
    await get(api);
    srv.revokeAll();
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(api)));
    assert.ok(
      answers.every((r) => r.status === 200),
      'every request succeeded',
    );
    assert.equal(srv.tokenRequests, 2);
  });

  it('a wrong secret is one clear line naming the host and what to check, without the secret', async () => {
    const { srv, api } = await setup({ clients: { 'client-1': 'the-right-one' }, echoCredentials: true });
    const e = await failure(get(api));
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    const host = new URL(srv.url).host;
    assert.match(
      e.message,
      new RegExp(`^token request to ${host.replace('.', '\\.')} refused: invalid_client \\(`),
    );
    assert.match(e.message, /: check clientId\/clientSecret$/);
    assert.equal(e.vendorCode, 'invalid_client');
    assert.equal(e.retryable, false);
    assert.ok(e.message.includes('[REDACTED]'), 'the echoed credentials were there, and hidden');
    assertNoSecret(e, SECRET, `client-1:${SECRET}`);
    assert.equal(srv.apiRequests, 0, 'nothing is sent to the API without a token');
  });

  it('a wrong secret sent in the body is hidden too', async () => {
    const { api } = await setup(
      { clients: { 'client-1': 'x-right' }, echoCredentials: true },
      { clientAuth: 'post' },
    );
    assertNoSecret(await failure(get(api)), SECRET);
  });

  it('a dry run fetches the token and reads; only the API write is captured, never the token request', async () => {
    const srv = await startTokenServer({ clients: { 'client-1': SECRET }, expiresIn: 3600 });
    const writes: WriteDescription[] = [];
    const inner = withWriteControl(http(`${srv.url}/api`), {
      baseUrl: `${srv.url}/api`,
      dryRun: true,
      onWrite: (w) => writes.push(w),
    });
    const api = withAuth(
      inner,
      clientCredentials({
        tokenUrl: srv.tokenUrl,
        clientId: 'client-1',
        clientSecret: new Secret(SECRET),
        tokenTransport: http,
      }),
    );
    open.push(api, srv);
    assert.equal((await get(api)).status, 200);
    const created = await api.send({ method: 'POST', path: 'users', body: { email: 'a@example.com' } });
    assert.equal(created.status, 201);
    assert.equal(srv.tokenRequests, 1);
    assert.equal(srv.apiRequests, 1, 'the POST was not sent');
    assert.deepEqual(
      writes.map((w) => `${w.method} ${w.path}`),
      ['POST users'],
    );
  });

  it('refuses extra params that would replace a credential or the grant', () => {
    assert.throws(
      () =>
        clientCredentials({
          tokenUrl: 'https://zoom.us/oauth/token',
          clientId: 'c',
          clientSecret: new Secret('s3cret-value'),
          params: { client_secret: 'other' },
          tokenTransport: http,
        }),
      /token parameter "client_secret" is set by its own setting/,
    );
  });
});
