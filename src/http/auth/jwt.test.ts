import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import { type CryptoKey, exportPKCS8, generateKeyPair } from 'jose';
import { startTokenServer } from '../../../test/servers/oauth-token-server.js';
import { AppError, ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Transport } from '../transport.js';
import { createHttpTransport, defaultTransportOptions } from '../undici-transport.js';
import { withAuth } from './authenticator.js';
import { type JwtBearerOptions, jwtBearer } from './jwt.js';

const ISSUER = 'iam-sync@example-project.iam.gserviceaccount.com';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

const http = (baseUrl: string): Transport =>
  createHttpTransport({
    ...defaultTransportOptions,
    baseUrl,
    headers: {},
    retry: { ...defaultTransportOptions.retry, attempts: 1 },
  });

let keys: { publicKey: CryptoKey; pem: string };
let otherPem: string;
before(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  keys = { publicKey: pair.publicKey, pem: await exportPKCS8(pair.privateKey) };
  otherPem = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey);
});

async function setup(client: Partial<JwtBearerOptions> = {}, echoCredentials = false) {
  const srv = await startTokenServer({
    expiresIn: 3600,
    jwt: { publicKey: keys.publicKey, issuer: ISSUER },
    echoCredentials,
  });
  const seen: Secret[] = [];
  const api = withAuth(
    http(`${srv.url}/api`),
    jwtBearer({
      tokenUrl: srv.tokenUrl,
      issuer: ISSUER,
      subject: 'admin@example.com',
      scope: ['https://www.googleapis.com/auth/admin.directory.user'],
      privateKey: new Secret(keys.pem),
      keyId: 'k-1',
      tokenTransport: http,
      onSecret: (s) => seen.push(s),
      ...client,
    }),
  );
  open.push(api, srv);
  return { srv, api, seen };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected an error');
}

describe('OAuth 2.0 JWT bearer assertion (RFC 7523)', () => {
  it('signs an assertion the server verifies (RS256, aud = token URL, exp one hour) and uses the token', async () => {
    const { srv, api, seen } = await setup();
    assert.equal((await api.send({ method: 'GET', path: 'users' })).status, 200);
    assert.equal((await api.send({ method: 'GET', path: 'users' })).status, 200);
    assert.equal(srv.tokenRequests, 1);
    const claims = srv.assertions[0] ?? {};
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'admin@example.com');
    assert.equal(claims.aud, srv.tokenUrl);
    assert.equal(claims.scope, 'https://www.googleapis.com/auth/admin.directory.user');
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    assert.ok(Math.abs((claims.iat as number) - Date.now() / 1000) < 60, 'iat is now');
    assert.equal(srv.forms[0]?.grant_type, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    // The assertion and the access token are both reported for redaction.
    assert.equal(seen[0]?.reveal(), srv.forms[0]?.assertion);
    assert.match(seen[1]?.reveal() ?? '', /^at-/);
  });

  it('scopeIn form sends the scope as a form parameter, not a claim', async () => {
    const { srv, api } = await setup({ scopeIn: 'form', scope: 'api', subject: undefined });
    assert.equal((await api.send({ method: 'GET', path: 'users' })).status, 200);
    assert.equal(srv.forms[0]?.scope, 'api');
    assert.equal(srv.assertions[0]?.scope, undefined);
    assert.equal(srv.assertions[0]?.sub, undefined);
  });

  it('a key the server does not know is an auth error without the assertion or key in it', async () => {
    const { srv, api } = await setup({ privateKey: new Secret(otherPem) }, true);
    const e = await failure(api.send({ method: 'GET', path: 'users' }));
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    assert.match(e.message, /^token request to .* refused: invalid_grant \(Invalid JWT Signature/);
    assert.match(e.message, /\[REDACTED\]/, 'the server echoed the assertion; it is hidden');
    const assertion = srv.forms[0]?.assertion ?? '';
    assert.ok(assertion.length > 100, 'an assertion was sent');
    assert.ok(!e.message.includes(assertion), 'the assertion is not in the message');
    assert.ok(!e.message.includes(assertion.split('.')[2] ?? 'x'), 'not even the signature part');
  });

  it('a private key that is not PKCS#8 PEM is a config error that does not quote it', async () => {
    const bad = '-----BEGIN PRIVATE KEY-----\nnot-a-key-but-secret-material\n-----END PRIVATE KEY-----';
    const { api, srv } = await setup({ privateKey: new Secret(bad) });
    const e = await failure(api.send({ method: 'GET', path: 'users' }));
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.match(e.message, /privateKey is not a PKCS#8 PEM RSA private key/);
    assert.ok(!e.message.includes('secret-material'), 'the key is not quoted');
    assert.equal(srv.tokenRequests, 0);
  });

  it('a key file private_key with escaped newlines (\\n) is read', async () => {
    const { api } = await setup({ privateKey: new Secret(keys.pem.replace(/\n/g, '\\n')) });
    assert.equal((await api.send({ method: 'GET', path: 'users' })).status, 200);
  });

  it('refuses an assertion lifetime above one hour', () => {
    assert.throws(
      () =>
        jwtBearer({
          tokenUrl: 'https://oauth2.googleapis.com/token',
          issuer: ISSUER,
          privateKey: new Secret(keys.pem),
          lifetimeS: 7200,
          tokenTransport: http,
        }),
      /lifetimeS must be between 1 and 3600 seconds/,
    );
  });
});
