// An inbound REST API rate limit rule (Inbound REST API rate limiting page): requests per window
// (an hour on an instance; shorter here so tests need not wait). A response to a request the rule
// covers carries X-RateLimit-Limit, X-RateLimit-Reset (UNIX time the window ends) and
// X-RateLimit-Rule (the rule's sys_id); over the limit it is 429 Too Many Requests with Retry-After
// (seconds until the window ends) and an error body.

export interface SnowRateLimit {
  limit: number;
  /** Window length in ms (3,600,000 on an instance). */
  windowMs: number;
}

export const RULE_SYS_ID = 'a9d6fb3c1b0b2010e6c5a8e0604bcb7a';

export class SnowRateLimiter {
  #start = 0;
  #used = 0;
  refused = 0;

  constructor(
    public rule: SnowRateLimit | undefined,
    private readonly now: () => number,
  ) {}

  take(): { allowed: boolean; headers: Record<string, string>; detail?: string } {
    if (!this.rule) return { allowed: true, headers: {} };
    const t = this.now();
    if (t >= this.#start + this.rule.windowMs) {
      this.#start = t;
      this.#used = 0;
    }
    const end = this.#start + this.rule.windowMs;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.rule.limit),
      'x-ratelimit-reset': String(Math.ceil(end / 1000)),
      'x-ratelimit-rule': RULE_SYS_ID,
    };
    if (this.#used >= this.rule.limit) {
      this.refused += 1;
      const wait = Math.max(1, Math.ceil((end - t) / 1000));
      return {
        allowed: false,
        headers: { ...headers, 'retry-after': String(wait) },
        detail: `The rate limit of ${this.rule.limit} requests per window of rule ${RULE_SYS_ID} is exceeded`,
      };
    }
    this.#used += 1;
    return { allowed: true, headers };
  }

  reset(): void {
    this.#start = 0;
    this.#used = 0;
    this.refused = 0;
  }
}
