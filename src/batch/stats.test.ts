import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UserResult } from '../core/record.js';
import type { BatchResult } from './engine.js';
import { BatchStats, formatProgress, formatSummary } from './stats.js';

function result(
  line: number,
  outcome: 'ok' | 'skipped' | 'failed',
  durationMs: number,
  retries = 0,
): BatchResult {
  const vendor = {
    success: outcome !== 'failed',
    skipped: outcome === 'skipped',
  } as UserResult['vendor'];
  return { kind: 'result', line, instance: 'a', result: { vendor, userProfile: {} }, retries, durationMs };
}

describe('BatchStats', () => {
  test('counts outcomes, unreadable entries as failures, and sums retries', () => {
    let now = 0;
    const stats = new BatchStats(() => now);
    stats.add(result(1, 'ok', 5, 2));
    stats.add(result(2, 'skipped', 5));
    stats.add(result(3, 'failed', 5, 1));
    stats.add({ kind: 'error', line: 4, instance: null, message: 'invalid JSON' });
    now = 2000;
    const s = stats.summary();
    assert.deepEqual(
      { ...s, p50Ms: undefined, p99Ms: undefined },
      {
        done: 4,
        succeeded: 1,
        skipped: 1,
        failed: 2,
        retried: 3,
        escrowPasses: 0,
        stillFailed: 0,
        elapsedMs: 2000,
        opsPerSecond: 2,
        p50Ms: undefined,
        p99Ms: undefined,
      },
    );
  });

  test('latency percentiles to within 2%, in fixed memory', () => {
    const stats = new BatchStats(() => 0);
    assert.equal(stats.summary().p50Ms, null);
    for (let i = 1; i <= 1000; i++) stats.add(result(i, 'ok', i / 10)); // 0.1 .. 100 ms
    const { p50Ms, p99Ms } = stats.summary();
    assert.ok(p50Ms !== null && Math.abs(p50Ms - 50) / 50 < 0.02, String(p50Ms));
    assert.ok(p99Ms !== null && Math.abs(p99Ms - 99) / 99 < 0.02, String(p99Ms));
  });

  test('summary and progress lines', () => {
    let now = 0;
    const stats = new BatchStats(() => now);
    for (let i = 0; i < 30; i++) stats.add(result(i, 'ok', 12));
    now = 3000;
    const s = stats.summary();
    assert.match(
      formatSummary(s),
      /^30 done: 30 succeeded, 0 skipped, 0 failed; 0 retried; 3\.0 s, 10 ops\/s; latency p50 1[12] ms, p99 1[12] ms$/,
    );
    // A quarter of the file read in 3 s: 9 s to go.
    assert.equal(
      formatProgress(s, 250, 1000),
      '[######------------------] 25%  30 done, 0 failed  10 ops/s  ETA 0:09',
    );
    assert.equal(formatProgress(s, 250, undefined), '30 done, 0 failed  10 ops/s');
  });

  test('escrow: passes that ran (the latest pass a result came from) and transient failures left', () => {
    let now = 0;
    const stats = new BatchStats(() => now);
    stats.add(result(1, 'ok', 10));
    stats.add({ ...result(2, 'ok', 10), pass: 2 });
    stats.add({ ...result(3, 'failed', 10), pass: 3, retryable: true });
    stats.add({ ...result(4, 'failed', 10), pass: 2 }); // a definite failure on a later pass
    now = 1000;
    const s = stats.summary();
    assert.equal(s.escrowPasses, 2);
    assert.equal(s.stillFailed, 1);
    assert.equal(s.failed, 2);
    assert.match(
      formatSummary(s),
      /^4 done: 2 succeeded, 0 skipped, 2 failed; 0 retried; escrow: 2 passes, 1 still failed; 1\.0 s, /,
    );
    const one = new BatchStats(() => 0);
    one.add({ ...result(1, 'ok', 10), pass: 2 });
    assert.match(formatSummary(one.summary()), /; 0 retried; escrow: 1 pass, 0 still failed; /);
  });
});
