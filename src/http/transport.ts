// The one HTTP seam every HTTP connector uses. `send` never throws for an HTTP status: the caller
// (e.g. the SCIM client) classifies 4xx/5xx. It throws TransportError for no answer (connect, TLS,
// reset, timeout) and InvalidResponseError for a body too large to read.
import type { Secret } from '../core/secrets.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path relative to the transport's baseUrl (e.g. `Users/abc`), with query string already encoded. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON value: serialised by the transport. */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON (any +json type), else null. */
  json: unknown;
  /** The raw body text (capped at maxResponseBytes). */
  text: string;
}

export interface Transport {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  /** Total attempts, first one included. */
  attempts: number;
  /** Base delay for exponential backoff with full jitter, ms. */
  baseDelayMs: number;
  /** Cap for one wait (also caps Retry-After), ms. */
  maxDelayMs: number;
}

export interface RetryInfo {
  method: HttpMethod;
  path: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** The status that was refused, or the transport error's message. */
  reason: string;
  delayMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  /** Sent on every request. Secret values are revealed only when the request is written. */
  headers: Record<string, string | Secret>;
  timeoutMs: number;
  insecure: boolean;
  /** false: direct; true: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment; a URL: that proxy. */
  proxy: boolean | string;
  caFile?: string;
  maxResponseBytes: number;
  retry: RetryPolicy;
  /** Told of every retry (for counting retries in records and summaries). */
  onRetry?: (info: RetryInfo) => void;
  /** Sleep function, injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}
