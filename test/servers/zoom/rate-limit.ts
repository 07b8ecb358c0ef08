// Account-level per-second (QPS) rate limits by request type (Light / Medium / Heavy), as on the
// reference's "Rate limits" page. One fixed one-second window per category; over the limit is a 429.

export type RateCategory = 'Light' | 'Medium' | 'Heavy';

/** Requests per second per category. Pro: 30 / 20 / 10; Business+: 80 / 60 / 40. */
export type RateLimits = Record<RateCategory, number>;

export const PRO_LIMITS: RateLimits = { Light: 30, Medium: 20, Heavy: 10 };
export const BUSINESS_LIMITS: RateLimits = { Light: 80, Medium: 60, Heavy: 40 };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Window {
  second: number;
  used: number;
}

export class RateLimiter {
  readonly #windows = new Map<RateCategory, Window>();
  /** How many requests were refused with 429, per category (tests assert the client backed off). */
  readonly refused: Record<RateCategory, number> = { Light: 0, Medium: 0, Heavy: 0 };

  constructor(
    public limits: RateLimits | false,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one request. Every answer carries the category, limit and remaining count (Zoom sends
   * these on successes too); a refusal adds X-RateLimit-Type: QPS and Retry-After in seconds.
   */
  take(category: RateCategory): RateDecision {
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

  reset(): void {
    this.#windows.clear();
    for (const category of Object.keys(this.refused) as RateCategory[]) this.refused[category] = 0;
  }
}
