// The write quota of the identity and access service ("Microsoft Graph service-specific throttling
// limits", Identity and access service limits: per application + tenant pair, a write quota of
// 3,000 requests per 2 minutes 30 seconds, i.e. 20 per second). Scaled: `requests` per `windowMs`
// in a sliding window, counted over POST, PATCH and DELETE. Over it: 429 TooManyRequests with
// Retry-After (seconds) until the oldest write in the window leaves it, as the throttling guidance
// says Graph answers.
export interface WriteQuota {
  requests: number;
  windowMs: number;
}

/** The published figure: 3,000 writes per 150 s per app and tenant. */
export const PUBLISHED_WRITE_QUOTA: WriteQuota = { requests: 3000, windowMs: 150_000 };

export class WriteLimiter {
  readonly #sent: number[] = [];
  refused = 0;

  constructor(
    public quota: WriteQuota | false,
    private readonly now: () => number,
  ) {}

  /** Undefined when the write may go, else the Retry-After in seconds. */
  take(): number | undefined {
    if (!this.quota) return undefined;
    const now = this.now();
    const from = now - this.quota.windowMs;
    while (this.#sent.length > 0 && (this.#sent[0] as number) <= from) this.#sent.shift();
    if (this.#sent.length >= this.quota.requests) {
      this.refused += 1;
      return Math.max(1, Math.ceil(((this.#sent[0] as number) + this.quota.windowMs - now) / 1000));
    }
    this.#sent.push(now);
    return undefined;
  }

  reset(): void {
    this.#sent.length = 0;
    this.refused = 0;
  }
}
