// OAuth 2.0 JWT bearer assertion (RFC 7523 2.1), as Google service accounts use it: a JWT signed
// locally with the account's private key (RS256) is exchanged at the token endpoint for an access
// token. Claims: iss (the account), sub (the user to act as, optional), aud (the token URL unless
// told otherwise), scope, iat, exp (at most one hour later), jti. The key is imported once and
// stays a CryptoKey; the signed assertion is itself a credential (replayable until it expires),
// so it is reported to `onSecret` and hidden from every message. Token caching and the 401 path
// are the same as for client credentials (token-cache.ts).
import { randomUUID } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Authenticator, SecretObserver } from './authenticator.js';
import { lazyTransport, scopeParam } from './oauth.js';
import { TokenCache, tokenAuth } from './token-cache.js';
import { requestToken, type TokenTransportFactory, tokenUrlOf } from './token-endpoint.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions valid for more than an hour; so do we. */
export const MAX_ASSERTION_LIFETIME_S = 3600;

export interface JwtBearerOptions {
  /** The token endpoint, e.g. `https://oauth2.googleapis.com/token`. */
  tokenUrl: string;
  /** `iss`: the service account, e.g. its client_email. */
  issuer: string;
  /** `sub`: the user to act as (domain-wide delegation), when any. */
  subject?: string;
  /** `aud`: defaults to the token URL. */
  audience?: string;
  scope?: string | readonly string[];
  /** `claim` (Google, the default) puts the scope in the JWT; `form` sends it as a form parameter. */
  scopeIn?: 'claim' | 'form';
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), e.g. a service account key file's private_key. */
  privateKey: Secret;
  /** `kid` header, e.g. the key file's private_key_id. */
  keyId?: string;
  /** Assertion lifetime in seconds, at most (and by default) 3600. */
  lifetimeS?: number;
  tokenTransport: TokenTransportFactory;
  onSecret?: SecretObserver;
  now?: () => number;
}

async function importKey(pem: Secret): Promise<CryptoKey> {
  // jose loads with the first token signed, not at every start.
  const { importPKCS8 } = await import('jose');
  try {
    return await importPKCS8(pem.reveal().replace(/\\n/g, '\n').trim(), 'RS256');
  } catch {
    // jose's message may quote the input: never pass it on.
    throw new ConfigError('privateKey is not a PKCS#8 PEM RSA private key (-----BEGIN PRIVATE KEY-----)');
  }
}

export function jwtBearer(opts: JwtBearerOptions): Authenticator {
  const tokenUrl = tokenUrlOf(opts.tokenUrl);
  if (!opts.issuer) throw new ConfigError('issuer (the service account) is empty');
  const lifetimeS = Math.floor(opts.lifetimeS ?? MAX_ASSERTION_LIFETIME_S);
  if (!(lifetimeS > 0 && lifetimeS <= MAX_ASSERTION_LIFETIME_S))
    throw new ConfigError(`lifetimeS must be between 1 and ${MAX_ASSERTION_LIFETIME_S} seconds`);
  const scope = scopeParam(opts.scope);
  const scopeInForm = opts.scopeIn === 'form';
  const now = opts.now ?? Date.now;
  let key: Promise<CryptoKey> | undefined;

  const sign = async (): Promise<Secret> => {
    // Before the key's promise exists: no await may come between its creation and ours (a rejection
    // would go unhandled meanwhile).
    const { SignJWT } = await import('jose');
    key ??= importKey(opts.privateKey).catch((e: unknown) => {
      key = undefined;
      throw e;
    });
    const iat = Math.floor(now() / 1000);
    const jwt = new SignJWT(scope && !scopeInForm ? { scope } : {})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(opts.keyId ? { kid: opts.keyId } : {}) })
      .setIssuer(opts.issuer)
      .setAudience(opts.audience ?? tokenUrl.href)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeS)
      .setJti(randomUUID());
    if (opts.subject) jwt.setSubject(opts.subject);
    return new Secret(await jwt.sign(await key));
  };

  const transport = lazyTransport(tokenUrl, opts.tokenTransport);
  const fetch = async () => {
    const assertion = await sign();
    opts.onSecret?.(assertion);
    return requestToken(transport.get(), {
      tokenUrl,
      form: {
        grant_type: JWT_BEARER_GRANT,
        assertion: assertion.reveal(),
        ...(scope && scopeInForm ? { scope } : {}),
      },
      secrets: [assertion, opts.privateKey],
      clientHint: 'check the service account (issuer), its key and that it is enabled',
    });
  };
  const cache = new TokenCache(fetch, {
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return tokenAuth(cache, transport.close);
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface PrivateKeyJwtOptions {
  /** The token endpoint; also the assertion's `aud`. */
  tokenUrl: string;
  /** `iss` and `sub` of the assertion, and the `client_id` form parameter. */
  clientId: string;
  scope?: string | readonly string[];
  privateKey: Secret;
  /** Extra protected header parameters, e.g. Microsoft's `x5t` (the certificate's SHA-1 thumbprint). */
  header?: Readonly<Record<string, string>>;
  /** Assertion lifetime in seconds, at most (and by default) 600: it is sent at once. */
  lifetimeS?: number;
  tokenTransport: TokenTransportFactory;
  onSecret?: SecretObserver;
  now?: () => number;
}

/**
 * Client credentials with JWT client authentication (RFC 7523 2.2, OpenID Connect `private_key_jwt`):
 * `grant_type=client_credentials` with a `client_assertion` signed locally (iss = sub = client id,
 * aud = the token URL, jti, nbf, iat, exp). A fresh assertion for every token request.
 */
export function privateKeyJwt(opts: PrivateKeyJwtOptions): Authenticator {
  const tokenUrl = tokenUrlOf(opts.tokenUrl);
  if (!opts.clientId) throw new ConfigError('clientId is empty');
  const lifetimeS = Math.floor(opts.lifetimeS ?? 600);
  if (!(lifetimeS > 0 && lifetimeS <= MAX_ASSERTION_LIFETIME_S))
    throw new ConfigError(`lifetimeS must be between 1 and ${MAX_ASSERTION_LIFETIME_S} seconds`);
  const scope = scopeParam(opts.scope);
  const now = opts.now ?? Date.now;
  let key: Promise<CryptoKey> | undefined;
  const sign = async (): Promise<Secret> => {
    // Before the key's promise exists: no await may come between its creation and ours (a rejection
    // would go unhandled meanwhile).
    const { SignJWT } = await import('jose');
    key ??= importKey(opts.privateKey).catch((e: unknown) => {
      key = undefined;
      throw e;
    });
    const iat = Math.floor(now() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ ...opts.header, alg: 'RS256', typ: 'JWT' })
      .setIssuer(opts.clientId)
      .setSubject(opts.clientId)
      .setAudience(tokenUrl.href)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + lifetimeS)
      .setJti(randomUUID());
    return new Secret(await jwt.sign(await key));
  };
  const transport = lazyTransport(tokenUrl, opts.tokenTransport);
  const fetch = async () => {
    const assertion = await sign();
    opts.onSecret?.(assertion);
    return requestToken(transport.get(), {
      tokenUrl,
      form: {
        grant_type: 'client_credentials',
        client_id: opts.clientId,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion.reveal(),
        ...(scope ? { scope } : {}),
      },
      secrets: [assertion, opts.privateKey],
      clientHint: 'check clientId, the certificate registered for the app and its private key',
    });
  };
  const cache = new TokenCache(fetch, {
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return tokenAuth(cache, transport.close);
}
