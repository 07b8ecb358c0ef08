// The one HTTP seam every HTTP connector uses. `send` never throws for an HTTP status: the caller
// (e.g. the SCIM client) classifies 4xx/5xx. It throws TransportError for no answer (connect, TLS,
// reset, timeout) and InvalidResponseError for a body too large to read.
import type { Secret } from '../core/secrets.js';
import type { Logger } from '../log/logger.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path relative to the transport's baseUrl (e.g. `Users/abc`), with query string already encoded. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON value: serialised by the transport. */
  body?: unknown;
  /**
   * Safe to send again after a 5xx or a lost answer (same end state however often it lands).
   * Default: true for GET, PUT and DELETE, false for POST and PATCH. The SCIM client marks a
   * PATCH of only `replace` ops as idempotent; a POST never is (nor a member add/remove: the
   * core checks and re-sends those itself).
   */
  idempotent?: boolean;
  /** For a write: the names of the fields it changes, when the body does not say them plainly (audit). */
  fields?: readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON (any +json type), else null. */
  json: unknown;
  /** The raw body text (capped at maxResponseBytes). */
  text: string;
  /** Attempts it took to get this answer (1: the first); set by the retry wrapper. */
  attempts?: number;
  /**
   * True when an earlier attempt of this request may have been applied (its answer was lost, or
   * was a 502/503/504): e.g. a 404 on a retried DELETE then means "already deleted".
   */
  mayHaveLanded?: boolean;
}

export interface Transport {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
  /**
   * The retry policy this transport applies and its backoff wait, for a caller that retries above
   * it (the core re-sending a create that did not land) within the same budget and pace.
   */
  retry?: { policy: RetryPolicy; wait(retry: number): Promise<void> };
}

export interface RetryPolicy {
  /** Total attempts, first one included. */
  attempts: number;
  /** Base delay for exponential backoff with full jitter, ms. */
  baseDelayMs: number;
  /** Cap for one wait (also caps Retry-After), ms. */
  maxDelayMs: number;
}

/** A token bucket: `requestsPerSecond` on average, at most `burst` at once after a quiet spell. */
export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
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
  /** One limiter for everything sent through this transport (one transport per instance). */
  rateLimit?: RateLimit;
  /**
   * Statuses besides 429 by which the app says "rate limited" (GitHub: 403), counted as a 429 (retry
   * after the wait, slow down) only when the answer carries Retry-After or X-RateLimit-Remaining: 0.
   */
  rateLimitStatuses?: readonly number[];
  /** Told of every retry (for counting retries in records and summaries). */
  onRetry?: (info: RetryInfo) => void;
  /** Debug log of every attempt, request and answer, redacted (http/log.ts); none when absent. */
  logger?: Logger;
  /** Sleep function, injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in ms for the rate limiter and Retry-After dates, injectable for tests. */
  now?: () => number;
}
