import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimitedError } from '../core/errors.js';
import { createRateLimiter, withRateLimit } from './rate-limit.js';
import type { HttpRequest, HttpResponse } from './transport.js';

/** A virtual clock: sleeps are timers that `run()` fires in time order; nothing really waits. */
function virtualClock() {
  let t = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: t + Math.max(0, ms), seq: seq++, resolve });
      }),
    /** Fires timers until none is left (letting the code they wake run in between). */
    async run(): Promise<void> {
      for (;;) {
        await settle();
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) return;
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Starts `n` acquires at once; returns the virtual times at which each was let through. */
async function burst(
  limiter: { acquire(): Promise<void> },
  clock: ReturnType<typeof virtualClock>,
  n: number,
) {
  const times: number[] = [];
  const all = Array.from({ length: n }, () => limiter.acquire().then(() => times.push(clock.now())));
  await clock.run();
  await Promise.all(all);
  return times.sort((a, b) => a - b);
}

test('a burst goes at once, then requests are spaced at the rate, in arrival order', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 3 }, clock);
  assert.deepEqual(await burst(limiter, clock, 6), [0, 0, 0, 100, 200, 300]);
  // A quiet second refills the bucket, but never beyond the burst.
  clock.advance(1_000);
  const t0 = clock.now();
  assert.deepEqual(
    (await burst(limiter, clock, 4)).map((t) => t - t0),
    [0, 0, 0, 100],
  );
});

test('a 429 halves the rate once per round; never below 1/16 of the configured rate', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 16, burst: 1 }, clock);
  const sentBefore = clock.now();
  clock.advance(10);
  limiter.observe(429, sentBefore);
  assert.equal(limiter.rate(), 8);
  // Another 429 for a request that was sent before the slow-down is the same congestion.
  limiter.observe(429, sentBefore);
  assert.equal(limiter.rate(), 8);
  for (let i = 0; i < 10; i++) {
    clock.advance(10);
    limiter.observe(429, clock.now());
  }
  assert.equal(limiter.rate(), 1);
  // At the slowest rate, requests are a second apart.
  clock.advance(5_000);
  const t0 = clock.now();
  assert.deepEqual(
    (await burst(limiter, clock, 3)).map((t) => t - t0),
    [0, 1_000, 2_000],
  );
});

test('good answers win the rate back gradually: half speed to full in 25 answers; 503 does not count', () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 1 }, clock);
  limiter.observe(429, clock.now());
  assert.equal(limiter.rate(), 5);
  limiter.observe(503, clock.now());
  assert.equal(limiter.rate(), 5);
  for (let i = 0; i < 24; i++) limiter.observe(200, clock.now());
  assert.ok(limiter.rate() < 10, `rate ${limiter.rate()} after 24 answers`);
  limiter.observe(404, clock.now());
  assert.equal(limiter.rate(), 10);
  limiter.observe(201, clock.now());
  assert.equal(limiter.rate(), 10);
});

test('Retry-After on a 429 pauses every request through the limiter (capped), then no burst', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 5 }, clock, { maxPauseMs: 3_000 });
  limiter.observe(429, clock.now(), 2_000);
  // rate halved to 5/s; nothing before t=2000; then one token, then 200 ms apart.
  assert.deepEqual(await burst(limiter, clock, 3), [2_000, 2_200, 2_400]);
});

test('a Retry-After longer than the cap (a daily limit) refuses every request at once, saying when', async () => {
  // Behaviour changed on purpose (issue 9): it used to pause for the cap, then let each request
  // ask the app again and earn the same 429.
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 5 }, clock, { maxPauseMs: 3_000 });
  const t0 = clock.now();
  limiter.observe(429, t0, 60_000);
  await assert.rejects(limiter.acquire(), (e: unknown) => {
    assert.ok(e instanceof RateLimitedError);
    assert.equal(e.retryAfterMs, 60_000);
    assert.match(
      e.message,
      /rate limit is used up \(the app takes requests again at \d{4}-\d\d-\d\dT[\d:]+Z\)/,
    );
    return true;
  });
  clock.advance(60_000);
  assert.deepEqual(await burst(limiter, clock, 1), [t0 + 60_000], 'open again when the app said');
});

test('an answer saying the quota is used up (X-RateLimit-Remaining: 0) holds everyone until the reset', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 100, burst: 10 }, clock);
  const headers: Record<string, string> = { 'x-ratelimit-remaining': '0' };
  const send = withRateLimit(
    async () => ({ status: 200, headers, json: null, text: '' }),
    limiter,
    clock.now,
  );
  await send({ method: 'GET', path: 'x' });
  // No reset header (Zoom's per-second windows): one second.
  assert.deepEqual(await burst(limiter, clock, 1), [1_000]);
  headers['x-ratelimit-reset'] = '5';
  clock.advance(1_000);
  await send({ method: 'GET', path: 'x' });
  const t = clock.now();
  assert.deepEqual(await burst(limiter, clock, 1), [t + 5_000]);
  assert.equal(limiter.rate(), 100, 'the rate itself is not cut: no 429 was earned');
});

test('a pause that begins while requests wait holds them too', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 1 }, clock);
  const times: number[] = [];
  const waiting = [limiter.acquire(), limiter.acquire(), limiter.acquire()].map((p) =>
    p.then(() => times.push(clock.now())),
  );
  // The first goes at 0; the others hold reservations for 100 and 200 when a 429 arrives at 50.
  const pause = (async () => {
    await clock.sleep(50);
    limiter.observe(429, 0, 1_000);
  })();
  await clock.run();
  await Promise.all([...waiting, pause]);
  times.sort((a, b) => a - b);
  assert.equal(times[0], 0);
  assert.ok(
    times.slice(1).every((t) => t >= 1_050),
    `requests went out during the pause: ${times.join(', ')}`,
  );
});

test('withRateLimit takes a token per request and reads Retry-After from a 429', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 100, burst: 1 }, clock);
  const answers: HttpResponse[] = [
    { status: 429, headers: { 'retry-after': '1' }, json: null, text: '' },
    { status: 200, headers: {}, json: null, text: '' },
  ];
  const seenAt: number[] = [];
  const send = withRateLimit(
    async (_req: HttpRequest) => {
      seenAt.push(clock.now());
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next;
    },
    limiter,
    clock.now,
  );
  const first = send({ method: 'GET', path: 'Users' });
  await clock.run();
  assert.equal((await first).status, 429);
  const second = send({ method: 'GET', path: 'Users' });
  await clock.run();
  assert.equal((await second).status, 200);
  assert.deepEqual(seenAt, [0, 1_000]);
  // Halved by the 429 (100 -> 50), then one step (1/50 of 100) back for the 200.
  assert.equal(limiter.rate(), 52);
});

test('a limit that is not positive is refused', () => {
  const clock = virtualClock();
  assert.throws(() => createRateLimiter({ requestsPerSecond: 0, burst: 1 }, clock), /requestsPerSecond/);
  assert.throws(() => createRateLimiter({ requestsPerSecond: 5, burst: -1 }, clock), /burst/);
});

test('withRateLimit slows down on an answer the caller calls a rate limit (a quota 403), like a 429', async () => {
  const clock = virtualClock();
  const quota = (r: HttpResponse) => r.status === 403 && r.text === 'quota';
  const answer = (status: number, text = ''): HttpResponse => ({ status, headers: {}, json: null, text });
  const run = async (rateLimited?: (r: HttpResponse) => boolean) => {
    const limiter = createRateLimiter({ requestsPerSecond: 100, burst: 1 }, clock);
    const send = withRateLimit(async () => answer(403, 'quota'), limiter, clock.now, rateLimited);
    const p = send({ method: 'POST', path: 'users' });
    await clock.run();
    await p;
    return limiter.rate();
  };
  assert.equal(await run(quota), 50, 'halved, as by a 429');
  assert.equal(await run(), 100, 'without the predicate a 403 is not a rate limit');
});

test('withRateLimit with `methods`: only those methods take a token; the others go at once', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 1, burst: 1 }, clock);
  const seenAt: string[] = [];
  const send = withRateLimit(
    async (req: HttpRequest) => {
      seenAt.push(`${req.method}@${clock.now()}`);
      return { status: 200, headers: {}, json: null, text: '' };
    },
    limiter,
    clock.now,
    undefined,
    ['POST', 'PATCH', 'DELETE'],
  );
  const all = [
    send({ method: 'POST', path: 'users' }),
    send({ method: 'GET', path: 'users' }),
    send({ method: 'POST', path: 'users' }),
    send({ method: 'GET', path: 'users' }),
  ];
  await clock.run();
  await Promise.all(all);
  // The second POST waits a second for its token; the GETs never wait.
  assert.deepEqual(seenAt.sort(), ['GET@0', 'GET@0', 'POST@0', 'POST@1000']);
});

/** A send that answers 200 with the given rate headers and records when each request went out. */
function answering(clock: ReturnType<typeof virtualClock>, headers: Record<string, string>) {
  const seenAt: number[] = [];
  const send = async (_req: HttpRequest): Promise<HttpResponse> => {
    seenAt.push(clock.now());
    return { status: 200, headers, json: null, text: '' };
  };
  return { send, seenAt };
}

test('requests left until the window resets are spread over the time left, not sent in a burst', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 100, burst: 1 }, clock);
  // Okta's headers: 20 requests left, the window resets in 10 s (a small reset is seconds to wait).
  const app = answering(clock, {
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '20',
    'x-rate-limit-reset': '10',
  });
  const send = withRateLimit(app.send, limiter, clock.now);
  for (let i = 0; i < 4; i++) {
    const p = send({ method: 'GET', path: 'users' });
    await clock.run();
    await p;
  }
  // The first answer set the pace: 20 requests over 10 s is one every 500 ms (not every 10 ms).
  const gaps = app.seenAt.slice(1).map((t, i) => t - (app.seenAt[i] ?? 0));
  assert.deepEqual(gaps, [500, 500, 500]);
  assert.equal(limiter.rate(), 2);
});

test('a window that resets later than a minute away (an hourly quota) is not spread out', async () => {
  const clock = virtualClock();
  const limiter = createRateLimiter({ requestsPerSecond: 100, burst: 1 }, clock);
  const app = answering(clock, { 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': '3600' });
  const send = withRateLimit(app.send, limiter, clock.now);
  for (let i = 0; i < 3; i++) {
    const p = send({ method: 'GET', path: 'users' });
    await clock.run();
    await p;
  }
  assert.deepEqual(app.seenAt, [0, 10, 20]);
  assert.equal(limiter.rate(), 100);
});
