import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransportError } from '../core/errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isIdempotent, parseRetryAfter, withRetry } from './retry.js';
import type { HttpRequest, HttpResponse } from './transport.js';

const policy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const res = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  json: null,
  text: '',
});

function scripted(answers: Array<HttpResponse | Error>) {
  const seen: HttpRequest[] = [];
  const send = async (req: HttpRequest) => {
    seen.push(req);
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { send, seen };
}

test('parseRetryAfter reads delta seconds and HTTP dates', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('backoffDelay is full jitter under an exponential, capped ceiling', () => {
  assert.equal(
    backoffDelay(1, policy, () => 0.999),
    99,
  );
  assert.equal(
    backoffDelay(3, policy, () => 0.5),
    200,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0.5),
    500,
  );
  assert.equal(
    backoffDelay(2, policy, () => 0),
    0,
  );
});

test('429 is retried for POST, honouring its Retry-After', async () => {
  const sleeps: number[] = [];
  const { send, seen } = scripted([res(429, { 'retry-after': '1' }), res(201)]);
  const wrapped = withRetry(send, policy, { sleep: async (ms) => void sleeps.push(ms) });
  const out = await wrapped({ method: 'POST', path: 'Users', body: {} });
  assert.equal(out.status, 201);
  assert.equal(seen.length, 2);
  assert.deepEqual(sleeps, [1_000]);
});

test('a 429 asking for a longer wait than maxDelayMs (a daily limit) is not asked again', async () => {
  // Behaviour changed on purpose (issue 9): it used to wait maxDelayMs and ask again, up to
  // `attempts` times, each answered with the same 429.
  const sleeps: number[] = [];
  const now = Date.parse('2026-12-01T20:00:00Z');
  for (const headers of <Record<string, string>[]>[
    { 'retry-after': '60' },
    { 'retry-after': '2026-12-02T00:00:00Z' },
    { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) },
  ]) {
    const { send, seen } = scripted([res(429, headers), res(201)]);
    const wrapped = withRetry(send, policy, { sleep: async (ms) => void sleeps.push(ms), now: () => now });
    const out = await wrapped({ method: 'POST', path: 'Users', body: {} });
    assert.equal(out.status, 429, JSON.stringify(headers));
    assert.equal(out.attempts, 1);
    assert.equal(seen.length, 1);
  }
  assert.deepEqual(sleeps, []);
});

test('503 and transient network errors are retried only for idempotent methods', async () => {
  const sleep = async () => {};
  const post = scripted([res(503), res(200)]);
  assert.equal((await withRetry(post.send, policy, { sleep })({ method: 'POST', path: 'x' })).status, 503);
  assert.equal(post.seen.length, 1);

  const patch = scripted([new TransportError('reset', { retryable: true })]);
  await assert.rejects(
    withRetry(patch.send, policy, { sleep })({ method: 'PATCH', path: 'x' }),
    TransportError,
  );
  assert.equal(patch.seen.length, 1);

  const get = scripted([new TransportError('reset', { retryable: true }), res(504), res(200)]);
  assert.equal((await withRetry(get.send, policy, { sleep })({ method: 'GET', path: 'x' })).status, 200);
  assert.equal(get.seen.length, 3);
});

test('gives up after `attempts` and returns the last answer; non-retryable errors pass through', async () => {
  const sleep = async () => {};
  const busy = scripted([res(429), res(429), res(429), res(200)]);
  assert.equal((await withRetry(busy.send, policy, { sleep })({ method: 'GET', path: 'x' })).status, 429);
  assert.equal(busy.seen.length, 3);

  const tls = scripted([new TransportError('bad cert', { retryable: false })]);
  await assert.rejects(withRetry(tls.send, policy, { sleep })({ method: 'GET', path: 'x' }), /bad cert/);
  assert.equal(tls.seen.length, 1);
});

test('the default policy suits bulk work: 5 attempts, capped waits', async () => {
  assert.deepEqual(DEFAULT_RETRY_POLICY, { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 });
  const busy = scripted(Array.from({ length: 6 }, () => res(503)));
  const out = await withRetry(busy.send, DEFAULT_RETRY_POLICY, { sleep: async () => {} })({
    method: 'GET',
    path: 'x',
  });
  assert.equal(out.status, 503);
  assert.equal(out.attempts, 5);
  assert.equal(busy.seen.length, 5);
});

test('a PATCH the caller marks idempotent is retried after a 503 or a lost answer; POST never is', async () => {
  const sleep = async () => {};
  const patch = scripted([res(503), new TransportError('reset', { retryable: true }), res(200)]);
  const out = await withRetry(patch.send, policy, { sleep })({
    method: 'PATCH',
    path: 'x',
    idempotent: true,
  });
  assert.equal(out.status, 200);
  assert.equal(patch.seen.length, 3);
  assert.equal(isIdempotent({ method: 'PATCH', path: 'x' }), false);
  assert.equal(isIdempotent({ method: 'POST', path: 'x' }), false);
  assert.equal(isIdempotent({ method: 'PUT', path: 'x' }), true);
  assert.equal(isIdempotent({ method: 'DELETE', path: 'x', idempotent: false }), false);

  const post = scripted([new TransportError('reset', { retryable: true }), res(201)]);
  await assert.rejects(
    withRetry(post.send, policy, { sleep })({ method: 'POST', path: 'x', body: {} }),
    (e: unknown) => e instanceof TransportError && e.message === 'reset',
  );
  assert.equal(post.seen.length, 1);
});

test('the answer says how many attempts it took and whether an earlier one may have landed', async () => {
  const sleep = async () => {};
  const lost = scripted([new TransportError('reset', { retryable: true }), res(404)]);
  const gone = await withRetry(lost.send, policy, { sleep })({ method: 'DELETE', path: 'Groups/g1' });
  assert.deepEqual([gone.status, gone.attempts, gone.mayHaveLanded], [404, 2, true]);

  // A 429 was refused before processing: the 404 after it is a real "not there".
  const refused = scripted([res(429), res(404)]);
  const missing = await withRetry(refused.send, policy, { sleep })({ method: 'DELETE', path: 'Groups/g1' });
  assert.deepEqual([missing.status, missing.attempts, missing.mayHaveLanded], [404, 2, undefined]);

  const first = scripted([res(200)]);
  assert.equal((await withRetry(first.send, policy, { sleep })({ method: 'GET', path: 'x' })).attempts, 1);
});

test('when retries run out on lost answers, the error says how many attempts were made', async () => {
  const sleep = async () => {};
  const reset = () =>
    new TransportError('cannot reach h: connection reset (ECONNRESET)', { retryable: true });
  const down = scripted([reset(), reset(), reset()]);
  await assert.rejects(
    withRetry(down.send, policy, { sleep })({ method: 'GET', path: 'x' }),
    (e: unknown) => {
      assert.ok(e instanceof TransportError);
      assert.equal(e.retryable, true);
      assert.equal(e.message, 'cannot reach h: connection reset (ECONNRESET) (gave up after 3 attempts)');
      return true;
    },
  );
});

test('onRetry hears of every retry with its reason and wait', async () => {
  const infos: unknown[] = [];
  const flaky = scripted([
    res(429, { 'retry-after': '1' }),
    new TransportError('reset', { retryable: true }),
    res(200),
  ]);
  await withRetry(flaky.send, policy, {
    sleep: async () => {},
    random: () => 0.5,
    onRetry: (info) => infos.push(info),
  })({ method: 'GET', path: 'Users' });
  assert.deepEqual(infos, [
    { method: 'GET', path: 'Users', attempt: 1, reason: 'HTTP 429', delayMs: 1_000 },
    { method: 'GET', path: 'Users', attempt: 2, reason: 'reset', delayMs: 100 },
  ]);
});

test('an answer the caller calls a rate limit (a quota 403) is retried like a 429, even a POST', async () => {
  const sleeps: number[] = [];
  const quota = (r: HttpResponse) => r.status === 403 && r.text === 'quota';
  const { send, seen } = scripted([{ ...res(403), text: 'quota' }, res(403), res(201)]);
  const wrapped = withRetry(send, policy, { sleep: async (ms) => void sleeps.push(ms), rateLimited: quota });
  const out = await wrapped({ method: 'POST', path: 'users', body: {} });
  // The quota 403 was sent again (with backoff); the plain 403 (a refusal) was not.
  assert.equal(out.status, 403);
  assert.equal(seen.length, 2);
  assert.equal(out.attempts, 2);
  assert.equal(out.mayHaveLanded, undefined, 'a rate-limit refusal was not processed: nothing landed');
  assert.equal(sleeps.length, 1);
  // Without the predicate, the same quota 403 is the answer at once.
  const again = scripted([{ ...res(403), text: 'quota' }, res(201)]);
  const plain = withRetry(again.send, policy, { sleep: async () => {} });
  assert.equal((await plain({ method: 'POST', path: 'users', body: {} })).status, 403);
  assert.equal(again.seen.length, 1);
});

test('a 503 with Retry-After is retried (idempotent requests) after the wait it asks, not a backoff', async () => {
  // RFC 9110 10.2.3: with 503, Retry-After says how long the service expects to be unavailable
  // (Microsoft Graph's throttling guidance asks clients to honour it on 503 as on 429).
  const sleeps: number[] = [];
  const { send, seen } = scripted([res(503, { 'retry-after': '1' }), res(200)]);
  const wrapped = withRetry(send, policy, { sleep: async (ms) => void sleeps.push(ms), random: () => 0 });
  const out = await wrapped({ method: 'GET', path: 'users' });
  assert.equal(out.status, 200);
  assert.equal(seen.length, 2);
  assert.deepEqual(sleeps, [1_000], 'the wait asked (1 s), not the backoff (0 ms with this random)');
});
