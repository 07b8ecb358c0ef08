// One token request to an OAuth 2.0 token endpoint (RFC 6749 3.2, 5.1, 5.2) through its own
// transport: not the API transport, so a dry run never captures it and the audit never lists it.
// It is a POST of a form, safe to repeat (a second token is as good as the first), so it is marked
// idempotent and the transport's retry may send it again after a 502/503/504 or a reset.
// A refusal becomes one line naming the host, the endpoint's error code and what to check; the
// message is cleaned of every credential sent (client secret, Basic pair, assertion).
import { AppError, ConfigError, InvalidResponseError, RateLimitedError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import { cleanText } from '../clean-text.js';
import { parseRetryAfter } from '../rate-headers.js';
import type { HttpResponse, Transport } from '../transport.js';

/** A token as the endpoint gave it. `expiresInMs` is absent when the endpoint did not say. */
export interface FetchedToken {
  token: Secret;
  expiresInMs?: number;
}

/** Builds the transport for the token endpoint's origin (e.g. `https://zoom.us`), with no auth of its own. */
export type TokenTransportFactory = (baseUrl: string) => Transport;

export interface TokenRequest {
  tokenUrl: URL;
  form: Readonly<Record<string, string>>;
  /** Client authentication headers (HTTP Basic), if any. */
  headers?: Readonly<Record<string, Secret>>;
  /** Every credential value sent, hidden from messages in all its forms. */
  secrets: readonly Secret[];
  /** What to tell the user to check for `invalid_client`, e.g. `check clientId/clientSecret`. */
  clientHint: string;
}

/** What to check for each RFC 6749 5.2 error code. */
const HINTS: Readonly<Record<string, string>> = {
  invalid_request: 'check the token settings (grant type, extra parameters)',
  invalid_grant: 'check the grant: account id, assertion subject, key or clock',
  unauthorized_client: "this client may not use this grant type: check the app's OAuth settings",
  unsupported_grant_type: 'check grantType',
  invalid_scope: 'check scope',
};

/** Parses a token URL setting; a bad one is caught before anything is sent. */
export function tokenUrlOf(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUrl(raw);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl(raw);
  if (url.username || url.password)
    throw new ConfigError(
      'tokenUrl must not carry a user or password: put credentials in clientId/clientSecret',
    );
  return url;
}

const invalidUrl = (shown: string) => new ConfigError(`tokenUrl ${shown} is not an http(s) URL`);

/** `expires_in` as a number of seconds (some endpoints send a numeric string). */
function lifetimeMs(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

const field = (json: unknown, key: string): unknown =>
  typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)[key]
    : undefined;

function refusal(res: HttpResponse, req: TokenRequest, known: string[]): AppError {
  const host = req.tokenUrl.host;
  const tries = (res.attempts ?? 1) > 1 ? ` (gave up after ${res.attempts} attempts)` : '';
  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
    return new RateLimitedError(`token request to ${host} was rate limited: try again later${tries}`, {
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const error = field(res.json, 'error');
  const code = typeof error === 'string' && error.trim() ? cleanText(error, known, 60) : undefined;
  const rawDescription = field(res.json, 'error_description');
  const description = typeof rawDescription === 'string' ? cleanText(rawDescription, known, 200) : '';
  const transient = res.status >= 500;
  const why = code ?? `HTTP ${res.status}`;
  const hint = transient
    ? 'the token endpoint failed: try again later'
    : code === 'invalid_client' || res.status === 401
      ? req.clientHint
      : ((code && HINTS[code]) ?? 'check the OAuth settings');
  const said = description ? ` (${description})` : '';
  return new AppError(`token request to ${host} refused: ${why}${said}: ${hint}${tries}`, {
    status: res.status,
    ...(code === undefined ? {} : { vendorCode: code }),
    retryable: transient && res.status !== 500,
  });
}

/**
 * Sends one token request and returns the access token, or throws: AppError for a refusal (its
 * `vendorCode` the RFC 6749 error code), RateLimitedError for a 429, InvalidResponseError for an
 * answer without a bearer access token, TransportError when the endpoint cannot be reached.
 */
export async function requestToken(transport: Transport, req: TokenRequest): Promise<FetchedToken> {
  const known = req.secrets.map((s) => s.reveal());
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = v.reveal();
  const res = await transport.send({
    method: 'POST',
    path: `${req.tokenUrl.pathname.replace(/^\/+/, '')}${req.tokenUrl.search}`,
    headers,
    body: new URLSearchParams(req.form).toString(),
    idempotent: true,
  });
  if (res.status < 200 || res.status >= 300) throw refusal(res, req, known);
  const token = field(res.json, 'access_token');
  const type = field(res.json, 'token_type');
  const host = req.tokenUrl.host;
  if (typeof token !== 'string' || token === '') {
    throw new InvalidResponseError(
      `token endpoint ${host} answered HTTP ${res.status} without an access_token`,
      {
        status: res.status,
      },
    );
  }
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) {
    throw new InvalidResponseError(
      `token endpoint ${host} gave a token of type ${cleanText(String(type), [...known, token], 40)}, not Bearer`,
      { status: res.status },
    );
  }
  const expiresInMs = lifetimeMs(field(res.json, 'expires_in'));
  return expiresInMs === undefined ? { token: new Secret(token) } : { token: new Secret(token), expiresInMs };
}
