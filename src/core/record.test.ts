import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AmbiguousError,
  AppError,
  ConfigError,
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  RateLimitedError,
  TransportError,
  UsageError,
} from './errors.js';
import { errorRecord, successRecord, transientCause, transientFailure } from './record.js';

const ctx = { brand: 'SCIM', instanceName: 'app', secrets: [] };

test('transient causes: what the transport retries, once its attempts ran out', () => {
  assert.deepEqual(transientCause(new RateLimitedError('slow down', { retryAfterMs: 7000 })), {
    retryAfterMs: 7000,
  });
  for (const status of [429, 502, 503, 504]) {
    assert.deepEqual(
      transientCause(new AppError('busy', { status })),
      { retryAfterMs: undefined },
      `${status}`,
    );
  }
  assert.ok(transientCause(new TransportError('reset', { retryable: true })));
  // A create whose outcome is unknown: the message is wrapped, the cause still says "no answer".
  const wrapped = new TransportError('may have landed', {
    cause: new TransportError('reset', { retryable: true }),
  });
  assert.ok(transientCause(wrapped));
});

test('definite failures are not transient', () => {
  const definite: unknown[] = [
    new AppError('bad value', { status: 400 }),
    new AppError('bad token', { status: 401 }),
    new AppError('forbidden', { status: 403 }),
    new AppError('server bug', { status: 500 }),
    new AppError('no status'),
    new NotFoundError('gone'),
    new ConflictError('taken'),
    new AmbiguousError('two', ['a', 'b']),
    new InvalidResponseError('not JSON', { status: 502 }),
    new TransportError('TLS: unknown CA'),
    new UsageError('user-profile: expected a JSON object'),
    new ConfigError('no token'),
    new Error('a bug'),
  ];
  for (const e of definite) assert.equal(transientCause(e), undefined, String(e));
});

test('a failed record built from a transient error carries the mark, invisible in its JSON', () => {
  const rec = errorRecord(ctx, 'create', { username: 'a' }, new AppError('busy', { status: 503 }), {});
  assert.deepEqual(transientFailure(rec), { retryAfterMs: undefined });
  const plain = errorRecord(ctx, 'create', { username: 'a' }, new AppError('bad', { status: 400 }), {});
  assert.equal(transientFailure(plain), undefined);
  assert.deepEqual(Object.keys(rec), Object.keys(plain));
  assert.equal(JSON.stringify(rec), JSON.stringify({ ...plain, errorCode: 503, errorMessage: 'busy' }));
  const ok = successRecord(ctx, 'create', {}, { id: '1', username: 'a', email: null, active: true, raw: {} });
  assert.equal(transientFailure(ok), undefined);
});
