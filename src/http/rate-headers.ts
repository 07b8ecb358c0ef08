// What an answer's headers say about the app's rate limit, in the forms vendors use:
// - `Retry-After` (RFC 9110 10.2.3): delta seconds or an HTTP date (Zoom's daily limit gives an
//   ISO 8601 time, which Date.parse reads too);
// - `X-RateLimit-Remaining` / `X-Rate-Limit-Remaining` (Zoom, GitHub, Slack, Okta): requests left
//   in the current window;
// - `X-RateLimit-Reset` / `X-Rate-Limit-Reset`: the window's end, epoch seconds (GitHub, Okta) or,
//   when small, seconds to wait.
import type { HttpResponse } from './transport.js';

type Headers = HttpResponse['headers'];

/**
 * Parses a Retry-After header: delta seconds or a date.
 * Returns milliseconds to wait (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Milliseconds until the app's rate-limit window resets, from its reset header; undefined when absent. */
export function resetAfterMs(headers: Headers, now: number): number | undefined {
  const reset = headers['x-ratelimit-reset'] ?? headers['x-rate-limit-reset'];
  if (reset === undefined || !/^\d+$/.test(reset.trim())) return undefined;
  const n = Number(reset);
  return n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000;
}

/** How long the app asks us to wait: Retry-After, else its reset header. */
export function waitHintMs(headers: Headers, now: number): number | undefined {
  return parseRetryAfter(headers['retry-after'], now) ?? resetAfterMs(headers, now);
}

/** Requests left in the app's current window (`X-RateLimit-Remaining`), or undefined when not said. */
export function remainingOf(headers: Headers): number | undefined {
  const left = (headers['x-ratelimit-remaining'] ?? headers['x-rate-limit-remaining'])?.trim();
  return left !== undefined && /^\d+$/.test(left) ? Number(left) : undefined;
}

/** True when the app says no request is left in its current window. */
export function quotaExhausted(headers: Headers): boolean {
  const left = headers['x-ratelimit-remaining'] ?? headers['x-rate-limit-remaining'];
  return left !== undefined && left.trim() === '0';
}

/**
 * The words a rate-limited error ends with when the app said how long to wait: the time it takes
 * requests again (to the nearest second, UTC: the clocks that computed the wait differ by a few ms), so a user or a scheduler knows when to run the rest.
 */
export function retryAtNote(retryAfterMs: number | undefined, now: number): string {
  if (retryAfterMs === undefined) return '';
  const at = new Date(Math.round((now + retryAfterMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return ` (the app takes requests again at ${at})`;
}

/**
 * A transport's `rateLimited` predicate for an app that says "rate limited" with another status
 * than 429 (`statuses`, e.g. GitHub's 403) and a rate-limit header (Retry-After, or no request left
 * in the window): such an answer is retried and paced like a 429, its status kept; a 403 without
 * one of those headers is a refusal.
 */
export function rateLimitAnswer(statuses: readonly number[]): (res: HttpResponse) => boolean {
  return (res) =>
    statuses.includes(res.status) &&
    (res.headers['retry-after'] !== undefined || quotaExhausted(res.headers));
}
