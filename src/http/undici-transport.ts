// The HTTP transport on undici 7. Each transport owns its own dispatcher (Agent, or a proxy agent)
// with keep-alive: never the process-wide global dispatcher, so two instances never share TLS or
// proxy settings. The dispatcher is built on first use (no I/O at construction: `caFile` is read
// then). Retry is composed around the one `send` (retry.ts).
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent, request } from 'undici';
import { ConfigError, InvalidResponseError, TransportError } from '../core/errors.js';
import { Secret } from '../core/secrets.js';
import { type Send, withRetry } from './retry.js';
import type { HttpRequest, Transport, TransportOptions } from './transport.js';

/** Defaults for everything but where to send and what to authenticate with. */
export const defaultTransportOptions = {
  timeoutMs: 30_000,
  insecure: false,
  proxy: false,
  maxResponseBytes: 10 * 1024 * 1024,
  retry: { attempts: 3, baseDelayMs: 250, maxDelayMs: 30_000 },
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

/** Finds the first `code` in an error, its causes, or an AggregateError's errors (happy eyeballs). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!(e instanceof Error) || depth > 5) return undefined;
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'ERR_ABORTED') return code;
  if (e instanceof AggregateError) {
    for (const inner of e.errors) {
      const c = errorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return errorCode(e.cause, depth + 1);
}

function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL/.test(code);
}

/** A TransportError whose message names the host and the reason, never a header or token. */
function toTransportError(e: unknown, host: string): TransportError {
  const code = errorCode(e) ?? 'UNKNOWN';
  if (isTlsCode(code)) {
    return new TransportError(
      `TLS certificate of ${host} was not accepted (${code}); set caFile, or insecure for testing`,
      { cause: e },
    );
  }
  const reason = REASONS[code] ?? 'network error';
  return new TransportError(`cannot reach ${host}: ${reason} (${code})`, {
    retryable: TRANSIENT_CODES.has(code),
    cause: e,
  });
}

function buildDispatcher(opts: TransportOptions): Dispatcher {
  let ca: string | undefined;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`cannot read caFile ${opts.caFile} (${reason})`, { cause: e });
    }
  }
  const tls = { rejectUnauthorized: !opts.insecure, ...(ca === undefined ? {} : { ca }) };
  const common = {
    keepAliveTimeout: 10_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connections: 16,
  };
  if (opts.proxy === true) return new EnvHttpProxyAgent({ ...common, connect: tls, requestTls: tls });
  if (typeof opts.proxy === 'string') return new ProxyAgent({ ...common, uri: opts.proxy, requestTls: tls });
  return new Agent({ ...common, connect: tls });
}

function joinUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Headers as written on the wire: the only place Secret values are revealed. */
function wireHeaders(opts: TransportOptions, req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = { accept: ACCEPT, 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(opts.headers))
    out[k.toLowerCase()] = v instanceof Secret ? v.reveal() : v;
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

/** Drops a body we will not read; the abort it causes is expected, not an error to report. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number, host: string, status: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > max) {
      discard(body);
      throw new InvalidResponseError(`answer from ${host} is larger than ${max} bytes`, { status });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Builds the transport of one instance: its own keep-alive dispatcher, TLS, proxy, timeout and retry. */
export function createHttpTransport(opts: TransportOptions): Transport {
  let dispatcher: Dispatcher | undefined;
  const getDispatcher = (): Dispatcher => {
    dispatcher ??= buildDispatcher(opts);
    return dispatcher;
  };

  const sendOnce: Send = async (req) => {
    const url = joinUrl(opts.baseUrl, req.path);
    const host = url.host;
    const controller = new AbortController();
    let timedOut = false;
    // One deadline for headers and body together (undici's own timeouts are per phase).
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    try {
      const res = await request(url, {
        dispatcher: getDispatcher(),
        method: req.method,
        headers: wireHeaders(opts, req),
        body: wireBody(req),
        signal: controller.signal,
      });
      const headers = flattenHeaders(res.headers);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxResponseBytes) {
        discard(res.body);
        throw new InvalidResponseError(`answer from ${host} is larger than ${opts.maxResponseBytes} bytes`, {
          status: res.statusCode,
        });
      }
      const text = await readCapped(res.body, opts.maxResponseBytes, host, res.statusCode);
      return { status: res.statusCode, headers, text, json: parseJson(headers['content-type'], text) };
    } catch (e) {
      if (e instanceof InvalidResponseError || e instanceof ConfigError) throw e;
      if (timedOut) {
        throw new TransportError(`no answer from ${host} within ${opts.timeoutMs} ms (timeout)`, {
          retryable: true,
          cause: e,
        });
      }
      throw toTransportError(e, host);
    } finally {
      clearTimeout(timer);
    }
  };

  const send = withRetry(sendOnce, opts.retry, {
    sleep: opts.sleep ?? ((ms) => delay(ms).then(() => {})),
    onRetry: opts.onRetry,
  });

  return {
    send,
    async close() {
      const d = dispatcher;
      dispatcher = undefined;
      if (d) await d.close();
    },
  };
}
