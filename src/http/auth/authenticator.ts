// Authentication as a wrapper around one Transport (like undici's interceptors): an Authenticator
// says which headers to add to each request, and may be told that the app refused them (401), in
// which case it may fetch fresh credentials once and the request is sent once more.
// Static schemes (bearer, basic, API key header) are here; OAuth 2.0 is in oauth.ts and jwt.ts.
// Header values stay Secrets until this wrapper adds them to the request; the HTTP log redacts the
// Authorization header and secret-looking names, and a value handed to `onSecret` by value too.
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { HttpRequest, HttpResponse, Transport } from '../transport.js';

/** Header name (lower case) to value. */
export type AuthHeaders = Readonly<Record<string, Secret>>;

export interface Authenticator {
  /** The headers to add to the next request (may fetch or refresh a token first). */
  headers(): Promise<AuthHeaders>;
  /**
   * The app answered 401 to a request sent with `sent`. Returns true when fresh credentials are
   * now available (the request is then sent once more), false when re-sending cannot help.
   */
  rejected?(sent: AuthHeaders): Promise<boolean>;
  /** Releases what the authenticator opened (its token endpoint's connections). */
  close?(): Promise<void>;
}

/** Told of each credential value worth hiding by value (a fetched token, a signed assertion). */
export type SecretObserver = (secret: Secret) => void;

function withHeaders(req: HttpRequest, auth: AuthHeaders): HttpRequest {
  const headers: Record<string, string> = {};
  // The request's own headers of the same name (any case) give way to the credentials.
  for (const [k, v] of Object.entries(req.headers ?? {}))
    if (auth[k.toLowerCase()] === undefined) headers[k] = v;
  for (const [k, v] of Object.entries(auth)) headers[k] = v.reveal();
  return { ...req, headers };
}

/**
 * A transport that authenticates every request with `auth`. On a 401, when the authenticator can
 * get fresh credentials, the request is sent once more (never more: a second 401 is the answer).
 */
export function withAuth(inner: Transport, auth: Authenticator): Transport {
  const out: Transport = {
    async send(req: HttpRequest): Promise<HttpResponse> {
      const sent = await auth.headers();
      const res = await inner.send(withHeaders(req, sent));
      if (res.status !== 401 || !auth.rejected) return res;
      if (!(await auth.rejected(sent))) return res;
      return inner.send(withHeaders(req, await auth.headers()));
    },
    async close() {
      await Promise.all([inner.close(), auth.close?.()]);
    },
  };
  if (inner.retry) out.retry = inner.retry;
  return out;
}

/** Fixed headers, e.g. a vendor's own scheme (`Authorization: SSWS <token>`). */
export function staticAuth(headers: AuthHeaders): Authenticator {
  const lower: Record<string, Secret> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { headers: async () => lower };
}

/** `Authorization: Bearer <token>` (RFC 6750 2.1). */
export function bearerAuth(token: Secret): Authenticator {
  return staticAuth({ authorization: new Secret(`Bearer ${token.reveal()}`) });
}

/**
 * `Authorization: Basic base64(user:password)` (RFC 7617, UTF-8). The encoded credential is also
 * reported to `onSecret`: hiding the password by value does not hide it inside the base64 pair.
 */
export function basicAuth(user: string, password: Secret, onSecret?: SecretObserver): Authenticator {
  const encoded = basicCredential(user, password);
  onSecret?.(encoded);
  return staticAuth({ authorization: new Secret(`Basic ${encoded.reveal()}`) });
}

/** `<header>: [prefix ]<key>`, e.g. `x-api-key`, or `authorization` with prefix `SSWS`. */
export function apiKeyAuth(header: string, key: Secret, prefix?: string): Authenticator {
  const name = header.trim().toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))
    throw new ConfigError(`API key header name "${header}" is not a valid HTTP header name`);
  const value = prefix ? `${prefix} ${key.reveal()}` : key.reveal();
  return staticAuth({ [name]: new Secret(value) });
}

/** base64(user:password), as a Secret. A colon in the user id cannot be sent (RFC 7617 2). */
export function basicCredential(user: string, password: Secret): Secret {
  if (user.includes(':')) throw new ConfigError('the Basic user id cannot contain ":" (RFC 7617)');
  return new Secret(Buffer.from(`${user}:${password.reveal()}`, 'utf8').toString('base64'));
}
