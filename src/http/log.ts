// Debug logging as a wrapper around one `send` (composed inside retry, so every attempt is a pair
// of lines): "http request" before it goes out, then "http response" with status and duration, or
// "http error". Headers that carry credentials are always [REDACTED] (Authorization, Cookie,
// Set-Cookie, Proxy-Authorization, and any name like token/secret/api-key); JSON body fields named
// like password/token/secret/apiKey/clientSecret too; the logger then scrubs known secret values
// from the whole line, so a token an app echoes back in a body or header is hidden as well.
import { performance } from 'node:perf_hooks';
import { redact, redactText } from '../core/redact.js';
import { isSecretParam, REDACTED, SECRET_KEY, Secret } from '../core/secrets.js';
import type { Logger } from '../log/logger.js';
import type { Send } from './retry.js';
import type { HttpRequest } from './transport.js';

/** Bodies longer than this (serialised) are cut, so one large list cannot flood the log. */
export const MAX_LOGGED_BODY = 8 * 1024;

const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

export interface HttpLogOptions {
  logger: Logger;
  baseUrl: string;
  /** The transport's own headers (sent on every request); Secret values print as [REDACTED]. */
  headers?: Record<string, string | Secret>;
  maxBody?: number;
}

/** Header map for the log: credential headers and secret-looking names replaced. */
export function logHeaders(...maps: (Record<string, string | Secret> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const map of maps) {
    for (const [k, v] of Object.entries(map ?? {})) {
      const name = k.toLowerCase();
      out[name] = CREDENTIAL_HEADERS.has(name) || SECRET_KEY.test(name) || v instanceof Secret ? REDACTED : v;
    }
  }
  return out;
}

/** A URL for the log: query parameters named like secrets (`?api_key=`) are redacted. */
export function logUrl(url: URL): string {
  const copy = new URL(url);
  for (const key of [...copy.searchParams.keys()]) {
    if (isSecretParam(key)) copy.searchParams.set(key, REDACTED);
  }
  copy.username = copy.username ? REDACTED : '';
  copy.password = copy.password ? REDACTED : '';
  return copy.toString();
}

/**
 * A body for the log: redacted by key, kept as JSON when short, else cut and marked. Known secrets
 * are replaced (`scrub`) before the cut: a cut inside a token would leave all of it but the end,
 * which no scrubbing of the line afterwards recognises.
 */
export function logBody(body: unknown, max = MAX_LOGGED_BODY, scrub = (t: string) => t): unknown {
  if (body === undefined || body === null || body === '') return undefined;
  const safe = redact(body);
  const raw = typeof safe === 'string' ? safe : JSON.stringify(safe);
  if (raw.length <= max) return safe;
  const text = scrub(raw);
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (truncated, ${text.length} characters in all)`;
}

/** Secret values among the transport's headers (`Bearer TOKEN`, and the TOKEN alone). */
function headerSecrets(headers: Record<string, string | Secret> | undefined): string[] {
  return Object.values(headers ?? {}).flatMap((v) =>
    v instanceof Secret ? [v.reveal(), v.reveal().replace(/^\S+\s+/, '')] : [],
  );
}

function joinUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

/** Wraps `send` so each request and its answer (or failure) is logged at debug level. */
export function withHttpLog(send: Send, opts: HttpLogOptions): Send {
  const { logger } = opts;
  const max = opts.maxBody ?? MAX_LOGGED_BODY;
  const known = headerSecrets(opts.headers);
  // The logger's own list (every instance's secrets) when it has one, and the header secrets.
  const scrub = (t: string) => redactText(logger.redactText ? logger.redactText(t) : t, known);
  return async (req: HttpRequest) => {
    if (!logger.isEnabled('debug')) return send(req);
    const url = logUrl(joinUrl(opts.baseUrl, req.path));
    const method = req.method;
    logger.debug('http request', {
      method,
      url,
      requestHeaders: logHeaders(opts.headers, req.headers),
      requestBody: logBody(req.body, max, scrub),
    });
    const start = performance.now();
    try {
      const res = await send(req);
      logger.debug('http response', {
        method,
        url,
        status: res.status,
        durationMs: ms(start),
        responseHeaders: logHeaders(res.headers),
        responseBody: logBody(res.json ?? res.text, max, scrub),
      });
      return res;
    } catch (e) {
      logger.debug('http error', {
        method,
        url,
        durationMs: ms(start),
        error: e instanceof Error ? e.message : String(e),
      });
      throw e;
    }
  };
}
