// The HTTP transport on undici 7. Each transport owns its own dispatcher (Agent, or a proxy agent)
// with keep-alive: never the process-wide global dispatcher, so two instances never share TLS or
// proxy settings (tls.ts, proxy.ts). The dispatcher is built on first use (no I/O at
// construction: `caFile` is read then). Retry and the rate limit are composed around the one
// `send` (retry.ts, rate-limit.ts).
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { ConfigError, InvalidResponseError, TransportError } from '../core/errors.js';
import { Secret } from '../core/secrets.js';
import { ExchangeFailed, exchange } from './dispatch-once.js';
import { withHttpLog } from './log.js';
import { type ProxyPlan, proxyDispatcher, proxyFor, proxyLabel, proxyPlan, proxyRefusal } from './proxy.js';
import { createRateLimiter, withRateLimit } from './rate-limit.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type Send, withRetry } from './retry.js';
import { isTlsCode, tlsFailureMessage, tlsSettings } from './tls.js';
import type { HttpRequest, Transport, TransportOptions } from './transport.js';

/** Defaults for everything but where to send and what to authenticate with. */
export const defaultTransportOptions = {
  timeoutMs: 30_000,
  insecure: false,
  proxy: false,
  maxResponseBytes: 10 * 1024 * 1024,
  retry: DEFAULT_RETRY_POLICY,
} as const satisfies Omit<TransportOptions, 'baseUrl' | 'headers'>;

const USER_AGENT = 'iam-commands/0.1';
const ACCEPT = 'application/scim+json, application/json;q=0.9, */*;q=0.1';
/** application/json, application/scim+json and any other `+json` type. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Network error codes after which the same request may simply be tried again (idempotent only). */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'answer stalled',
};

/**
 * Every `code` in an error, its causes and an AggregateError's errors (happy eyeballs), outermost
 * first: a TLS failure through a proxy tunnel arrives wrapped in undici's own error.
 */
function errorCodes(e: unknown, depth = 0): string[] {
  if (!(e instanceof Error) || depth > 5) return [];
  const code = (e as NodeJS.ErrnoException).code;
  const own = typeof code === 'string' && code !== 'UND_ERR' && code !== 'ERR_ABORTED' ? [code] : [];
  const inner = e instanceof AggregateError ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...inner, ...errorCodes(e.cause, depth + 1)];
}

/**
 * A TransportError whose message names the host (and the proxy, when one was used) and the
 * reason, never a header, token or proxy password.
 */
function toTransportError(e: unknown, host: string, proxy: URL | undefined): TransportError {
  const codes = errorCodes(e);
  const tlsCode = codes.find(isTlsCode);
  if (tlsCode) return new TransportError(tlsFailureMessage(tlsCode, host), { cause: e });
  if (proxy) {
    const refused = proxyRefusal(e, proxy, host);
    if (refused) return refused;
  }
  const code = codes[0] ?? 'UNKNOWN';
  const reason = REASONS[code] ?? 'network error';
  // Through a proxy the only connection we open is to the proxy: a refusal or timeout is its.
  const where = proxy ? `proxy ${proxyLabel(proxy)} (for ${host})` : host;
  return new TransportError(`cannot reach ${where}: ${reason} (${code})`, {
    retryable: TRANSIENT_CODES.has(code),
    cause: e,
  });
}

/**
 * The app answered (status and headers came), then the connection broke mid-body: not "cannot
 * reach", since the request did arrive and, for a write, may have been applied.
 */
function bodyBrokeOff(e: unknown, host: string, status: number): TransportError {
  const code = errorCodes(e)[0] ?? 'UNKNOWN';
  const reason = REASONS[code] ?? 'network error';
  return new TransportError(`answer from ${host} broke off mid-body (HTTP ${status}): ${reason} (${code})`, {
    retryable: TRANSIENT_CODES.has(code),
    cause: e,
  });
}

function buildDispatcher(opts: TransportOptions, plan: ProxyPlan | undefined): Dispatcher {
  const common = {
    keepAliveTimeout: 10_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    // Opened only as requests overlap, so this is a cap, not a cost: what bounds requests in flight
    // is the caller (one command: one; `iam batch --concurrency N`: N). Below N, requests would
    // queue here while the app idles.
    connections: 64,
  };
  return proxyDispatcher(plan, common, tlsSettings(opts));
}

function joinUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}

/** What a header value may not hold (RFC 9110 5.5): control characters other than tab. */
const BAD_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Headers as written on the wire: the only place Secret values are revealed. A value undici would
 * refuse (a line break in a token) is a ConfigError naming the header, not a bare "network error".
 */
function wireHeaders(opts: TransportOptions, req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = { accept: ACCEPT, 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(opts.headers)) {
    const value = v instanceof Secret ? v.reveal() : v;
    if (BAD_HEADER_CHAR.test(value)) {
      throw new ConfigError(
        `request header "${k.toLowerCase()}" holds a character a header cannot carry (a line break?): ` +
          'check the instance setting it is built from (token, password, API key)',
      );
    }
    out[k.toLowerCase()] = value;
  }
  for (const [k, v] of Object.entries(req.headers ?? {})) out[k.toLowerCase()] = v;
  if (req.body !== undefined && out['content-type'] === undefined)
    out['content-type'] = 'application/scim+json';
  return out;
}

/** JSON unless the caller chose another content type for a pre-encoded string (e.g. a form body). */
function wireBody(req: HttpRequest): string | undefined {
  if (req.body === undefined) return undefined;
  const callerType = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (typeof req.body === 'string' && callerType !== undefined && !JSON_TYPE.test(callerType))
    return req.body;
  return JSON.stringify(req.body);
}

function parseJson(contentType: string | undefined, text: string): unknown {
  if (text.trim() === '') return null;
  // Some apps omit the content type on JSON answers; a declared non-JSON type is never parsed.
  if (contentType !== undefined && !JSON_TYPE.test(contentType)) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Builds the transport of one instance: its own keep-alive dispatcher, TLS, proxy, timeout and retry. */
export function createHttpTransport(opts: TransportOptions): Transport {
  // Read once, here: a bad proxy URL (setting or *_PROXY) is a ConfigError before anything is sent,
  // and the proxy an error names is the one the dispatcher used.
  const plan = proxyPlan(opts.proxy);
  let dispatcher: Dispatcher | undefined;
  const getDispatcher = (): Dispatcher => {
    dispatcher ??= buildDispatcher(opts, plan);
    return dispatcher;
  };

  const sendOnce: Send = async (req) => {
    const url = joinUrl(opts.baseUrl, req.path);
    const host = url.host;
    try {
      const a = await exchange(getDispatcher(), {
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: wireHeaders(opts, req),
        body: wireBody(req),
        timeoutMs: opts.timeoutMs,
        maxBytes: opts.maxResponseBytes,
      });
      return {
        status: a.status,
        headers: a.headers,
        text: a.text,
        json: parseJson(a.headers['content-type'], a.text),
      };
    } catch (e) {
      if (!(e instanceof ExchangeFailed)) throw e;
      const f = e.failure;
      if (f.kind === 'too-large')
        throw new InvalidResponseError(`answer from ${host} is larger than ${opts.maxResponseBytes} bytes`, {
          status: f.status,
        });
      if (f.kind === 'timeout')
        throw new TransportError(`no answer from ${host} within ${opts.timeoutMs} ms (timeout)`, {
          retryable: true,
          cause: f.cause,
        });
      if (f.kind === 'broke-off') throw bodyBrokeOff(f.cause, host, f.status);
      throw toTransportError(f.cause, host, proxyFor(plan, url));
    }
  };

  // retry ∘ rate limit ∘ sendOnce: every attempt, retries included, takes a token from the one
  // limiter of this transport (= of this instance), and each answer tunes it (429 slows it down).
  const sleep = opts.sleep ?? ((ms: number) => delay(ms).then(() => {}));
  const now = opts.now ?? Date.now;
  // Logged innermost: one request/answer pair per attempt, timed on the wire only.
  const logged = opts.logger
    ? withHttpLog(sendOnce, { logger: opts.logger, baseUrl: opts.baseUrl, headers: opts.headers })
    : sendOnce;
  const limited = opts.rateLimit
    ? withRateLimit(
        logged,
        createRateLimiter(opts.rateLimit, { now, sleep }, { maxPauseMs: opts.retry.maxDelayMs }),
        now,
        opts.rateLimited,
        opts.rateLimit.methods,
      )
    : logged;
  const send = withRetry(limited, opts.retry, {
    sleep,
    now,
    onRetry: opts.onRetry,
    ...(opts.rateLimited ? { rateLimited: opts.rateLimited } : {}),
  });

  return {
    send,
    retry: { policy: opts.retry, wait: (n) => sleep(backoffDelay(n, opts.retry, Math.random)) },
    async close() {
      const d = dispatcher;
      dispatcher = undefined;
      if (d) await d.close();
    },
  };
}
