import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransportError } from '../core/errors.js';
import { backoffDelay, parseRetryAfter, withRetry } from './retry.js';
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

test('429 is retried for POST, honouring a capped Retry-After', async () => {
  const sleeps: number[] = [];
  const { send, seen } = scripted([res(429, { 'retry-after': '60' }), res(201)]);
  const wrapped = withRetry(send, policy, { sleep: async (ms) => void sleeps.push(ms) });
  const out = await wrapped({ method: 'POST', path: 'Users', body: {} });
  assert.equal(out.status, 201);
  assert.equal(seen.length, 2);
  assert.deepEqual(sleeps, [1_000]);
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
