// A token bucket per transport (one transport per instance), composed around `send` inside the
// retry wrapper so that every attempt, retries included, takes a token. No global state: the
// limiter lives in the closure of the transport that created it, shared by all concurrent work
// on that instance. Waiting is by reservation: each caller takes a token now, possibly going
// into debt, and sleeps until its token would have existed, so callers go out in arrival order
// at the configured spacing without a queue.
//
// Adaptive (AIMD, like TCP congestion control), documented in README "Retries and rate limits":
// - a 429 halves the current rate (never below 1/16 of the configured rate), at most once per
//   round: a 429 for a request sent before the last slow-down is the same congestion, not news;
// - a 429 with Retry-After pauses every request through this limiter until then (capped), the
//   way the app asked, instead of letting the other workers keep hitting it; a wait longer than
//   the cap (a daily limit) closes the limiter until then: every request fails at once with
//   RateLimitedError saying when, instead of each one asking the app again;
// - an answer saying the window's quota is used up (`X-RateLimit-Remaining: 0`) pauses everyone
//   until the window resets (its reset header, else one second: per-second limits such as Zoom's
//   send no reset), so the next request does not earn a 429;
// - an answer saying how many requests are left and when the window resets (Okta's per-minute
//   `X-Rate-Limit-Remaining` + `X-Rate-Limit-Reset`) spreads those requests evenly over the time
//   left: the rate is at most remaining / time-to-reset until the reset, so the window's quota
//   lasts to its end instead of going out in a burst that ends in a pause or a 429. Only windows
//   that reset within `paceWindowMs` (default one minute) are paced: spreading an hourly quota
//   over the hour would slow every short job for nothing;
// - every other answer (except 503) wins back 1/50 of the configured rate, so half speed
//   returns to full after 25 good answers.

import { RateLimitedError } from '../core/errors.js';
import { quotaExhausted, remainingOf, resetAfterMs, retryAtNote, waitHintMs } from './rate-headers.js';
import type { Send } from './retry.js';
import type { HttpMethod, HttpResponse, RateLimit } from './transport.js';

export interface RateLimiterClock {
  /** Milliseconds; only differences are used (and Retry-After dates, see withRateLimit). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface RateLimiterTuning {
  /** Longest pause a Retry-After may impose on everyone, ms (default 30 s). */
  maxPauseMs?: number;
  /** Slowest rate, as a fraction of the configured one (default 1/16). */
  minFraction?: number;
  /** Rate won back per good answer, as a fraction of the configured one (default 1/50). */
  recoveryFraction?: number;
  /** Longest time to a window's reset over which the requests left are spread, ms (default 60 s). */
  paceWindowMs?: number;
}

export interface RateLimiter {
  /** Resolves when this request may go out. */
  acquire(): Promise<void>;
  /**
   * Tells the limiter how a request sent at `sentAt` was answered: 429 slows down (and pauses
   * everyone for `retryAfterMs`), other statuses recover.
   */
  observe(status: number, sentAt: number, retryAfterMs?: number): void;
  /** The app said its window's quota is used up: hold every request for `ms` (capped), rate unchanged. */
  exhausted(ms: number): void;
  /** The app said `remaining` requests are left until its window resets in `ms`: spread them over it. */
  pace(remaining: number, ms: number): void;
  /** The current rate, requests per second. */
  rate(): number;
}

/** Checks a limit: both numbers positive and finite (the config schema says so to users first). */
function checked(limit: RateLimit): RateLimit {
  for (const key of ['requestsPerSecond', 'burst'] as const) {
    const v = limit[key];
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`rateLimit.${key}: expected a positive number`);
  }
  return limit;
}

export function createRateLimiter(
  limit: RateLimit,
  clock: RateLimiterClock,
  tuning: RateLimiterTuning = {},
): RateLimiter {
  const { requestsPerSecond: configured, burst } = checked(limit);
  const capacity = Math.max(1, burst);
  const maxPauseMs = tuning.maxPauseMs ?? 30_000;
  const floor = configured * (tuning.minFraction ?? 1 / 16);
  const step = configured * (tuning.recoveryFraction ?? 1 / 50);
  const paceWindowMs = tuning.paceWindowMs ?? 60_000;

  let rate = configured;
  let tokens = capacity;
  let last = clock.now();
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let slowedAt = Number.NEGATIVE_INFINITY;
  let closedUntil = Number.NEGATIVE_INFINITY;
  // The app's own budget: at most `paceRate` requests per second until `pacedUntil`.
  let paceRate = Number.POSITIVE_INFINITY;
  let pacedUntil = Number.NEGATIVE_INFINITY;
  const current = (t: number) => (t < pacedUntil ? Math.min(rate, paceRate) : rate);

  const pauseUntil = (t: number, until: number) => {
    if (until <= pausedUntil) return;
    refill(t);
    pausedUntil = until;
    // Nothing accrues during the pause (the app asked for quiet, not for a burst after
    // it): one request may go when it ends, then the rate.
    tokens = Math.min(tokens, 0) + 1;
    last = until;
  };

  const refill = (t: number) => {
    if (t <= last) return;
    tokens = Math.min(capacity, tokens + ((t - last) / 1000) * current(t));
    last = t;
  };

  return {
    async acquire() {
      for (;;) {
        const t = clock.now();
        if (t < closedUntil) {
          throw new RateLimitedError(
            `not sent: the app's rate limit is used up${retryAtNote(closedUntil - t, t)}`,
            { retryAfterMs: closedUntil - t },
          );
        }
        if (t < pausedUntil) {
          await clock.sleep(pausedUntil - t);
          continue;
        }
        refill(t);
        tokens -= 1;
        if (tokens < 0) await clock.sleep((-tokens / current(t)) * 1000);
        // A pause began while we waited: give the token back and queue again after it.
        if (clock.now() >= pausedUntil) return;
        tokens += 1;
      }
    },

    observe(status, sentAt, retryAfterMs) {
      const t = clock.now();
      if (status === 429) {
        if (sentAt >= slowedAt) {
          refill(t);
          rate = Math.max(floor, rate / 2);
          slowedAt = t;
        }
        if (retryAfterMs !== undefined && retryAfterMs > maxPauseMs) closedUntil = t + retryAfterMs;
        if (retryAfterMs !== undefined && retryAfterMs > 0)
          pauseUntil(t, t + Math.min(retryAfterMs, maxPauseMs));
        return;
      }
      if (status === 503 || rate >= configured) return;
      refill(t);
      // Snap to the configured rate rather than stop a rounding error short of it.
      rate = configured - (rate + step) < step / 1_000 ? configured : rate + step;
    },

    exhausted(ms) {
      const t = clock.now();
      if (ms > 0) pauseUntil(t, t + Math.min(ms, maxPauseMs));
    },

    pace(remaining, ms) {
      const t = clock.now();
      if (!(remaining > 0) || !(ms > 0) || ms > paceWindowMs) return;
      refill(t);
      paceRate = remaining / (ms / 1000);
      pacedUntil = t + ms;
    },

    rate: () => current(clock.now()),
  };
}

/**
 * Wraps `send` so that each request first takes a token, and each answer tunes the limiter. An
 * answer `rateLimited` calls a rate limit (a vendor's quota 403) counts as a 429.
 */
export function withRateLimit(
  send: Send,
  limiter: RateLimiter,
  now: () => number,
  rateLimited?: (res: HttpResponse) => boolean,
  methods?: readonly HttpMethod[],
): Send {
  return async (req) => {
    // A vendor whose published limit counts writes only: other requests take no token (but their
    // 429s still slow everyone down).
    if (!methods || methods.includes(req.method)) await limiter.acquire();
    const sentAt = now();
    const res = await send(req);
    const t = now();
    const limited = res.status === 429 || rateLimited?.(res) === true;
    const retryAfterMs = limited ? waitHintMs(res.headers, t) : undefined;
    limiter.observe(limited ? 429 : res.status, sentAt, retryAfterMs);
    if (limited) return res;
    if (quotaExhausted(res.headers)) {
      limiter.exhausted(resetAfterMs(res.headers, t) ?? 1_000);
    } else {
      const left = remainingOf(res.headers);
      const reset = resetAfterMs(res.headers, t);
      if (left !== undefined && reset !== undefined) limiter.pace(left, reset);
    }
    return res;
  };
}
