// Account-level per-second (QPS) rate limits by request type (Light / Medium / Heavy), as on the
// reference's "Rate limits" page. One fixed one-second window per category; over the limit is a 429.
// Daily limits (the same page: some Heavy APIs have a per-day cap on top, answered with
// `X-RateLimit-Type: Daily-limit` and a `Retry-After` that is the next midnight UTC as an ISO 8601
// time, as in the page's example header) are off unless `daily` is set.

export type RateCategory = 'Light' | 'Medium' | 'Heavy';

/** Requests per second per category. Pro: 30 / 20 / 10; Business+: 80 / 60 / 40. */
export type RateLimits = Record<RateCategory, number>;

export const PRO_LIMITS: RateLimits = { Light: 30, Medium: 20, Heavy: 10 };
export const BUSINESS_LIMITS: RateLimits = { Light: 80, Medium: 60, Heavy: 40 };

export interface RateDecision {
  allowed: boolean;
  /** Refused by a daily limit (the body then says so). */
  daily?: boolean;
  headers: Record<string, string>;
}

/** Requests per UTC day per category (only those given are limited). */
export type DailyLimits = Partial<Record<RateCategory, number>>;

interface Window {
  second: number;
  used: number;
}

export class RateLimiter {
  readonly #windows = new Map<RateCategory, Window>();
  /** How many requests were refused with 429, per category (tests assert the client backed off). */
  readonly refused: Record<RateCategory, number> = { Light: 0, Medium: 0, Heavy: 0 };
  /** Per-day caps; set by a test (e.g. `sim.rateLimiter.daily = { Heavy: 3 }`). */
  daily: DailyLimits = {};
  readonly #days = new Map<RateCategory, { day: number; used: number }>();

  constructor(
    public limits: RateLimits | false,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one request. Every answer carries the category, limit and remaining count (Zoom sends
   * these on successes too); a refusal adds X-RateLimit-Type: QPS and Retry-After in seconds.
   */
  take(category: RateCategory): RateDecision {
    const daily = this.#takeDaily(category);
    if (daily) return daily;
    if (!this.limits) return { allowed: true, headers: {} };
    const limit = this.limits[category];
    const second = Math.floor(this.now() / 1000);
    let window = this.#windows.get(category);
    if (!window || window.second !== second) {
      window = { second, used: 0 };
      this.#windows.set(category, window);
    }
    const headers: Record<string, string> = {
      'x-ratelimit-category': category,
      'x-ratelimit-limit': String(limit),
    };
    if (window.used >= limit) {
      this.refused[category] += 1;
      return {
        allowed: false,
        headers: { ...headers, 'x-ratelimit-type': 'QPS', 'x-ratelimit-remaining': '0', 'retry-after': '1' },
      };
    }
    window.used += 1;
    return { allowed: true, headers: { ...headers, 'x-ratelimit-remaining': String(limit - window.used) } };
  }

  /** A Daily-limit refusal when the category's per-day cap is used up, else counts the request. */
  #takeDaily(category: RateCategory): RateDecision | undefined {
    const cap = this.daily[category];
    if (cap === undefined) return undefined;
    const day = Math.floor(this.now() / 86_400_000);
    let used = this.#days.get(category);
    if (!used || used.day !== day) {
      used = { day, used: 0 };
      this.#days.set(category, used);
    }
    if (used.used < cap) {
      used.used += 1;
      return undefined;
    }
    this.refused[category] += 1;
    const midnight = new Date((day + 1) * 86_400_000).toISOString().replace('.000Z', 'Z');
    return {
      allowed: false,
      daily: true,
      headers: {
        'x-ratelimit-category': category,
        'x-ratelimit-type': 'Daily-limit',
        'x-ratelimit-limit': String(cap),
        'x-ratelimit-remaining': '0',
        'retry-after': midnight,
      },
    };
  }

  reset(): void {
    this.#days.clear();
    this.daily = {};
    this.#windows.clear();
    for (const category of Object.keys(this.refused) as RateCategory[]) this.refused[category] = 0;
  }
}
