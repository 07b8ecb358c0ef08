import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { type OktaSimulator, startOktaSimulator } from '../../../test/servers/okta/server.js';
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Transport } from '../transport.js';
import { createHttpTransport, defaultTransportOptions } from '../undici-transport.js';
import { withAuth } from './authenticator.js';
import {
  CLIENT_ASSERTION_LIFETIME_S,
  type ClientAssertionOptions,
  clientAssertion,
} from './client-assertion.js';

// A real token endpoint that verifies private_key_jwt assertions: the Okta simulator's.
let sim: OktaSimulator;
before(async () => {
  sim = await startOktaSimulator();
});
after(() => sim.close());

const http = (baseUrl: string): Transport =>
  createHttpTransport({
    ...defaultTransportOptions,
    baseUrl,
    headers: {},
    retry: { ...defaultTransportOptions.retry, attempts: 1 },
  });

async function get(opts: Partial<ClientAssertionOptions>) {
  const seen: Secret[] = [];
  const api = withAuth(
    http(sim.apiUrl),
    clientAssertion({
      tokenUrl: sim.tokenUrl,
      clientId: sim.clientId,
      privateKey: new Secret(sim.privateKeyPem),
      scope: 'okta.users.manage',
      tokenTransport: http,
      onSecret: (s) => seen.push(s),
      ...opts,
    }),
  );
  try {
    return { res: await api.send({ method: 'GET', path: 'users' }), seen };
  } finally {
    await api.close();
  }
}

const lastAssertion = () => {
  const grant = sim.requests.filter((r) => r.path === '/oauth2/v1/token').at(-1);
  return new URLSearchParams(String(grant?.body)).get('client_assertion') ?? '';
};

test('a PEM key signs an assertion the token endpoint accepts: iss = sub = client id, aud = token URL, short, unique', async () => {
  const { res, seen } = await get({});
  assert.equal(res.status, 200);
  const jwt = lastAssertion();
  const claims = decodeJwt(jwt);
  assert.deepEqual([claims.iss, claims.sub, claims.aud], [sim.clientId, sim.clientId, sim.tokenUrl]);
  assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), CLIENT_ASSERTION_LIFETIME_S);
  assert.equal(typeof claims.jti, 'string');
  assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS256', typ: 'JWT' });
  assert.ok(
    seen.some((s) => s.reveal() === jwt),
    'the assertion is reported as a secret',
  );
  await get({});
  assert.notEqual(decodeJwt(lastAssertion()).jti, claims.jti, 'a fresh jti per token request');
});

test('a private JWK signs with its own kid (or keyId when given)', async () => {
  const jwk = {
    ...createPrivateKey(sim.privateKeyPem).export({ format: 'jwk' }),
    kid: 'k-okta-1',
    alg: 'RS256',
  };
  assert.equal((await get({ privateKey: new Secret(JSON.stringify(jwk)) })).res.status, 200);
  assert.equal(decodeProtectedHeader(lastAssertion()).kid, 'k-okta-1');
  await get({ privateKey: new Secret(JSON.stringify(jwk)), keyId: 'chosen' });
  assert.equal(decodeProtectedHeader(lastAssertion()).kid, 'chosen');
});

test('a key that is neither PEM nor a private JWK is a ConfigError that never quotes it', async () => {
  const junk = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7-not-a-key';
  await assert.rejects(get({ privateKey: new Secret(junk) }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message.includes(junk.slice(0, 12)), false);
    return true;
  });
  const { d: _d, ...publicJwk } = createPrivateKey(sim.privateKeyPem).export({ format: 'jwk' });
  await assert.rejects(get({ privateKey: new Secret(JSON.stringify(publicJwk)) }), ConfigError);
});
