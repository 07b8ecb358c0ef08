// Per-minute rate limits with bursts, as Slack's "SCIM API rate limits" page states them: each set is
// a token bucket holding `burst` requests, refilled at `perMinute` a minute. A request takes a token
// from every set it belongs to; when one is empty it is refused with the seconds until it refills.

export interface MinuteLimit {
  perMinute: number;
  burst: number;
}

class Bucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly limit: MinuteLimit,
    now: number,
  ) {
    this.#tokens = limit.burst;
    this.#at = now;
  }
  /** Seconds to wait before a token is there (0: one is). */
  waitS(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - this.#tokens) * 60) / this.limit.perMinute));
  }
  take(): void {
    this.#tokens -= 1;
  }
  #refill(now: number): void {
    const per = this.limit.perMinute / 60_000;
    this.#tokens = Math.min(this.limit.burst, this.#tokens + (now - this.#at) * per);
    this.#at = now;
  }
}

/** Named buckets created on first use; `admit` takes from all of `names` or says how long to wait. */
export class MinuteLimits {
  readonly #buckets = new Map<string, Bucket>();
  constructor(readonly now: () => number = Date.now) {}

  /** 0 when admitted (a token taken from every bucket), else the Retry-After in seconds. */
  admit(sets: readonly [string, MinuteLimit][]): number {
    const t = this.now();
    const buckets = sets.map(([name, limit]) => {
      let b = this.#buckets.get(name);
      if (!b) {
        b = new Bucket(limit, t);
        this.#buckets.set(name, b);
      }
      return b;
    });
    const wait = Math.max(0, ...buckets.map((b) => b.waitS(t)));
    if (wait === 0) for (const b of buckets) b.take();
    return wait;
  }

  reset(): void {
    this.#buckets.clear();
  }
}
