// Retry as a wrapper around one `send` (in the spirit of undici's retry interceptor): the policy is
// data, the wrapper only decides "again or not" and how long to wait. What is safe to repeat:
// - 429 for any method: the app refused the request before processing it; so is an answer the
//   caller says is a rate limit (`rateLimited`: a vendor's 403 with a quota reason).
// - 502/503/504 and retryable TransportErrors (reset, timeout, refused) only for idempotent
//   requests: GET/PUT/DELETE, or any request its caller marked `idempotent` (a PATCH whose ops
//   give the same end state however often they land). A POST that timed out may have landed;
//   repeating it blindly could create a duplicate, so the core looks first (core/commands/users.ts).
// Waits are exponential backoff with full jitter, or the app's Retry-After, both capped. An app
// that asks for a longer wait than the cap (Zoom's daily limit: until midnight UTC) is not asked
// again: its answer is returned at once, and its error says when the app will take requests again.
// When attempts run out, the last response is returned (the caller classifies it, e.g. a 429
// becomes RateLimitedError, whose message then says how many attempts were made) or the last
// error is thrown, its message saying how many attempts were made.
import { TransportError } from '../core/errors.js';
import { parseRetryAfter, waitHintMs } from './rate-headers.js';
import type { HttpMethod, HttpRequest, HttpResponse, RetryInfo, RetryPolicy } from './transport.js';

export type Send = (req: HttpRequest) => Promise<HttpResponse>;

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1), injectable for tests. */
  random?: () => number;
  /** Current time in ms, for Retry-After given as an HTTP date. */
  now?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** An answer that is a rate limit though not a 429 (TransportOptions.rateLimited): retried like one. */
  rateLimited?: (res: HttpResponse) => boolean;
}

/**
 * For bulk work against a flaky app: 5 attempts, backoff ceilings 0.5, 1, 2, 4 s (full jitter),
 * one wait (and a Retry-After) capped at 30 s.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
/** Statuses where the server says "not now": only repeated for idempotent requests. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Whether sending `req` twice leaves the app as sending it once (the caller's mark wins). */
export function isIdempotent(req: HttpRequest): boolean {
  return req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
}

export { parseRetryAfter } from './rate-headers.js';

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

function retryableResponse(req: HttpRequest, res: HttpResponse, limited: boolean): boolean {
  if (limited) return true;
  return RETRYABLE_STATUSES.has(res.status) && isIdempotent(req);
}

function retryableError(req: HttpRequest, e: unknown): boolean {
  return e instanceof TransportError && e.retryable && isIdempotent(req);
}

/** The last error, its message saying how many attempts it took to give up. */
function gaveUp(e: unknown, attempts: number): unknown {
  if (!(e instanceof TransportError) || attempts < 2) return e;
  return new TransportError(`${e.message} (gave up after ${attempts} attempts)`, {
    retryable: e.retryable,
    cause: e,
  });
}

/** Wraps `send` so that refused/transient requests are tried again, at most `policy.attempts` times in all. */
export function withRetry(send: Send, policy: RetryPolicy, deps: RetryDeps): Send {
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const attempts = Math.max(1, Math.floor(policy.attempts));
  return async (req) => {
    // Set once an attempt got no answer or a 5xx: that attempt may have been applied.
    let mayHaveLanded = false;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let wait: number;
      let reason: string;
      try {
        const res = await send(req);
        // A refusal before processing (429, or what the caller calls a rate limit): safe to repeat.
        const limited = res.status === 429 || deps.rateLimited?.(res) === true;
        if (last || !retryableResponse(req, res, limited)) {
          return mayHaveLanded ? { ...res, attempts: attempt, mayHaveLanded } : { ...res, attempts: attempt };
        }
        // A 503's Retry-After is the service's own estimate (RFC 9110 10.2.3): honoured like a 429's.
        const hinted = limited
          ? waitHintMs(res.headers, now())
          : res.status === 503
            ? parseRetryAfter(res.headers['retry-after'], now())
            : undefined;
        if (hinted !== undefined && hinted > policy.maxDelayMs) {
          return mayHaveLanded ? { ...res, attempts: attempt, mayHaveLanded } : { ...res, attempts: attempt };
        }
        wait = hinted === undefined ? backoffDelay(attempt, policy, random) : hinted;
        reason = `HTTP ${res.status}`;
        if (!limited) mayHaveLanded = true;
      } catch (e) {
        if (last && retryableError(req, e)) throw gaveUp(e, attempt);
        if (last || !retryableError(req, e)) throw e;
        wait = backoffDelay(attempt, policy, random);
        reason = (e as Error).message;
        mayHaveLanded = true;
      }
      const delayMs = Math.min(wait, policy.maxDelayMs);
      deps.onRetry?.({ method: req.method, path: req.path, attempt, reason, delayMs });
      await deps.sleep(delayMs);
    }
  };
}
