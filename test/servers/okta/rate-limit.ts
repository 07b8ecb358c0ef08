// Okta's org-wide rate limits (Rate limits overview, "Management rate limits" page): a number of
// requests per minute per endpoint bucket; every answer carries X-Rate-Limit-Limit, -Remaining
// and -Reset (UTC epoch seconds of the window's end; rl-best-practices page); over the limit is a
// 429 with E0000047. Windows are fixed and aligned to the clock. `windowMs` shortens the minute
// for a short benchmark (the limit per window stays the vendor's figure).
export type Bucket = 'users' | 'user' | 'groups';

/** Requests per window: /api/v1/users (create, list, search), /api/v1/users/{id}*, /api/v1/groups*. */
export type BucketLimits = Record<Bucket, number>;

export const WORKFORCE_LIMITS: BucketLimits = { users: 600, user: 2000, groups: 500 };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class OktaRateLimiter {
  readonly #used = new Map<Bucket, { window: number; used: number }>();
  readonly refused: Record<Bucket, number> = { users: 0, user: 0, groups: 0 };
  readonly served: Record<Bucket, number> = { users: 0, user: 0, groups: 0 };

  constructor(
    public limits: BucketLimits | false,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  take(bucket: Bucket): RateDecision {
    if (!this.limits) return { allowed: true, headers: {} };
    const limit = this.limits[bucket];
    const window = Math.floor(this.now() / this.windowMs);
    let u = this.#used.get(bucket);
    if (!u || u.window !== window) {
      u = { window, used: 0 };
      this.#used.set(bucket, u);
    }
    const reset = String(Math.ceil(((window + 1) * this.windowMs) / 1000));
    const allowed = u.used < limit;
    if (allowed) {
      u.used += 1;
      this.served[bucket] += 1;
    } else this.refused[bucket] += 1;
    return {
      allowed,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(limit - u.used),
        'x-rate-limit-reset': reset,
      },
    };
  }

  reset(): void {
    this.#used.clear();
    for (const b of Object.keys(this.refused) as Bucket[]) {
      this.refused[b] = 0;
      this.served[b] = 0;
    }
  }
}
