// OAuth 2.0 client credentials with a signed client assertion instead of a client secret
// (RFC 7523 2.2 and 3, OpenID Connect Core 9 `private_key_jwt`), as Okta service apps and Entra
// certificate credentials use it: the client signs a short-lived JWT (iss = sub = the client id,
// aud = the token URL, iat, exp, a fresh jti) with its private key and sends it as
// `client_assertion` with `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`.
// The key is a PKCS#8 PEM or a private JWK (Okta's console offers both); it is imported once and
// stays a CryptoKey. Each signed assertion is a credential until it expires: it is reported to
// `onSecret` and hidden from every message. Caching and the 401 path are token-cache.ts's.
import { randomUUID } from 'node:crypto';
import type { CryptoKey, JWK } from 'jose';
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Authenticator, SecretObserver } from './authenticator.js';
import { lazyTransport, scopeParam } from './oauth.js';
import { TokenCache, tokenAuth } from './token-cache.js';
import { requestToken, type TokenTransportFactory, tokenUrlOf } from './token-endpoint.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta refuses an assertion whose exp is more than an hour away; a short one is replayable for less. */
export const CLIENT_ASSERTION_LIFETIME_S = 300;

export interface ClientAssertionOptions {
  tokenUrl: string;
  clientId: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or a private JWK as JSON (RSA or EC). */
  privateKey: Secret;
  /** `kid` header (a JWK's own `kid` is used when this is absent). */
  keyId?: string;
  scope?: string | readonly string[];
  /** `aud`: defaults to the token URL. */
  audience?: string;
  tokenTransport: TokenTransportFactory;
  onSecret?: SecretObserver;
  now?: () => number;
}

interface SigningKey {
  key: CryptoKey;
  alg: string;
  kid?: string;
}

const BAD_KEY =
  'privateKey is neither a PKCS#8 PEM RSA private key (-----BEGIN PRIVATE KEY-----) nor a private JWK (JSON with "d")';

/** The signing key; jose's messages may quote the input, so none is passed on. */
async function importSigningKey(pem: Secret): Promise<SigningKey> {
  const text = pem.reveal().replace(/\\n/g, '\n').trim();
  // jose loads with the first assertion signed, not at every start.
  const { importJWK, importPKCS8 } = await import('jose');
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JWK;
      if (typeof jwk.d !== 'string') throw new Error('public JWK');
      const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256');
      const key = await importJWK(jwk, alg);
      if (!(typeof key === 'object' && 'type' in key)) throw new Error('not a key');
      return { key, alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
    }
    return { key: await importPKCS8(text, 'RS256'), alg: 'RS256' };
  } catch {
    throw new ConfigError(BAD_KEY);
  }
}

export function clientAssertion(opts: ClientAssertionOptions): Authenticator {
  const tokenUrl = tokenUrlOf(opts.tokenUrl);
  if (!opts.clientId) throw new ConfigError('clientId is empty');
  if (!opts.privateKey.reveal().trim()) throw new ConfigError('privateKey is empty');
  const scope = scopeParam(opts.scope);
  const now = opts.now ?? Date.now;
  let signing: Promise<SigningKey> | undefined;

  const sign = async (): Promise<Secret> => {
    signing ??= importSigningKey(opts.privateKey).catch((e: unknown) => {
      signing = undefined;
      throw e;
    });
    const { key, alg, kid } = await signing;
    const keyId = opts.keyId ?? kid;
    const { SignJWT } = await import('jose');
    const iat = Math.floor(now() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
      .setIssuer(opts.clientId)
      .setSubject(opts.clientId)
      .setAudience(opts.audience ?? tokenUrl.href)
      .setIssuedAt(iat)
      .setExpirationTime(iat + CLIENT_ASSERTION_LIFETIME_S)
      .setJti(randomUUID());
    return new Secret(await jwt.sign(key));
  };

  const transport = lazyTransport(tokenUrl, opts.tokenTransport);
  const fetch = async () => {
    const assertion = await sign();
    opts.onSecret?.(assertion);
    return requestToken(transport.get(), {
      tokenUrl,
      form: {
        grant_type: 'client_credentials',
        ...(scope ? { scope } : {}),
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion.reveal(),
      },
      secrets: [assertion, opts.privateKey],
      clientHint:
        "check clientId, that privateKey's public key is registered for it (and keyId), and the clock",
    });
  };
  const cache = new TokenCache(fetch, {
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return tokenAuth(cache, transport.close);
}
