// The audit log's line discipline, with the one write(2) injected: a short write or a full disk
// leaves the whole line or none of it; a torn line from an older crash is ended on open.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { AuditLog } from './audit-log.js';
import type { AuditEntry, IntentEntry } from './entry.js';

const dir = mkdtempSync(join(tmpdir(), 'iam-audit-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const intent = (n: number): IntentEntry => ({
  event: 'intent',
  time: '2026-12-01T00:00:00.000Z',
  actor: 'tester',
  instance: 'app',
  brand: 'SCIM',
  command: 'create-user',
  correlationId: `c${n}`,
  targetId: null,
  username: `u${n}`,
  method: 'POST',
  path: 'Users',
  fields: ['userName'],
});

const outcome = (n: number): AuditEntry => ({
  event: 'outcome',
  time: '2026-12-01T00:00:00.000Z',
  actor: 'tester',
  instance: 'app',
  brand: 'Local',
  command: 'create-user',
  action: 'create',
  targetId: `id${n}`,
  username: `u${n}`,
  outcome: 'success',
  reason: '',
  errorCode: null,
  errorMessage: '',
  correlationId: `c${n}`,
  fields: ['username'],
  dryRun: false,
});

/** Every line of the file parsed: a torn line fails here. */
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { correlationId: string });

/** A disk that takes `room` more bytes, writes what fits (a short write), then fails with ENOSPC. */
function fullDisk(room: number) {
  let left = room;
  return (fd: number, data: Uint8Array): number => {
    if (left <= 0) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const n = writeSync(fd, data.subarray(0, Math.min(left, data.length)));
    left -= n;
    return n;
  };
}

test('a short write is cut back off: the intent throws (nothing may be sent) and no half line remains', () => {
  const path = join(dir, 'short.log');
  const log = new AuditLog(path, { sync: false, write: fullDisk(300) });
  log.appendRequired(intent(1)); // fits (about 230 bytes)
  assert.throws(
    () => log.appendRequired(intent(2)), // 70 bytes left: a short write
    (e: unknown) =>
      e instanceof ConfigError &&
      /cannot record the write before sending it \(ENOSPC\); nothing was sent/.test(e.message),
  );
  assert.throws(() => log.appendRequired(intent(3)), ConfigError); // no room at all
  log.close();
  assert.deepEqual(
    lines(path).map((l) => l.correlationId),
    ['c1'],
  );
  assert.ok(readFileSync(path, 'utf8').endsWith('\n'));
});

test('an outcome that cannot be written is a warning (the change happened), and leaves no half line', () => {
  const path = join(dir, 'outcome.log');
  const warnings: string[] = [];
  const log = new AuditLog(path, { sync: false, write: fullDisk(100), onWarning: (w) => warnings.push(w) });
  log.append(intent(1));
  log.close();
  assert.equal(readFileSync(path, 'utf8'), '');
  assert.match(warnings[0] ?? '', /could not record create-user on instance "app"/);
});

test('a torn last line from an older crash is ended, so the next line is not glued onto it', () => {
  const path = join(dir, 'torn.log');
  writeFileSync(path, `${JSON.stringify(intent(1))}\n{"event":"intent","ti`, { mode: 0o600 });
  const log = new AuditLog(path, { sync: false });
  log.appendRequired(intent(2));
  log.close();
  const text = readFileSync(path, 'utf8').split('\n');
  assert.equal(text[1], '{"event":"intent","ti');
  assert.equal((JSON.parse(text[2] ?? '') as { correlationId: string }).correlationId, 'c2');
});

test('a pipe or terminal (not a regular file) is written, never synced or truncated', () => {
  const log = new AuditLog('/dev/null');
  log.appendRequired(intent(1));
  assert.doesNotThrow(() => log.close());
});

test('a torn last line that cannot be ended (disk full) stops the write with a ConfigError', () => {
  const path = join(dir, 'torn-full.log');
  writeFileSync(path, '{"event":"intent","ti', { mode: 0o600 });
  const log = new AuditLog(path, { sync: false, write: fullDisk(0) });
  assert.throws(
    () => log.open(),
    (e: unknown) => e instanceof ConfigError && /cannot end its torn last line \(ENOSPC\)/.test(e.message),
  );
  assert.equal(readFileSync(path, 'utf8'), '{"event":"intent","ti');
});

test('group commit: kept intents go out whole in one write, gathered outcomes in one more', async () => {
  const path = join(dir, 'group.log');
  let writes = 0;
  const log = new AuditLog(path, {
    sync: false,
    write: (fd, data) => {
      writes += 1;
      return writeSync(fd, data);
    },
  });
  for (let n = 0; n < 64; n++) log.queueRequired(intent(n));
  assert.equal(writes, 0, 'kept, not written');
  log.writeQueued();
  assert.equal(writes, 1);
  log.gather();
  for (let n = 0; n < 64; n++) log.append(outcome(n));
  assert.equal(writes, 1, 'gathered until the loop turns');
  await new Promise((ok) => setImmediate(ok));
  assert.equal(writes, 2);
  log.close();
  const got = lines(path).map((l) => l.correlationId);
  assert.deepEqual(got, [
    ...Array.from({ length: 64 }, (_, n) => `c${n}`),
    ...Array.from({ length: 64 }, (_, n) => `c${n}`),
  ]);
});

test('group commit: kept intents that do not fit are cut back whole and refused (commit nothing)', () => {
  const path = join(dir, 'group-full.log');
  const log = new AuditLog(path, { sync: false, write: fullDisk(500) });
  for (let n = 0; n < 8; n++) log.queueRequired(intent(n));
  assert.throws(
    () => log.writeQueued(),
    (e: unknown) => e instanceof ConfigError && /nothing was sent/.test(e.message),
  );
  log.close();
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('lines written within the sync interval share one background fdatasync; close() syncs the rest', async () => {
  const path = join(dir, 'coalesced.log');
  const synced: number[] = [];
  const log = new AuditLog(path, {
    syncIntervalMs: 30,
    fdatasync: (fd, done) => {
      synced.push(fd);
      setImmediate(() => done(null));
    },
  });
  // Fifty commands' lines, written over a few event-loop turns (as concurrent commands do).
  for (let i = 0; i < 50; i++) {
    log.appendRequired(intent(i));
    await new Promise((r) => setImmediate(r));
    log.append(outcome(i));
  }
  assert.equal(synced.length, 0, 'no sync before the interval ends');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(synced.length, 1, 'one sync for the hundred lines of the interval');
  log.append(outcome(50));
  log.close();
  assert.equal(readFileSync(path, 'utf8').trimEnd().split('\n').length, 101);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(synced.length, 1, 'after close() (which synced itself) the pending sync does not run');
});

test('lines written after a close and a reopen (on another descriptor) still get their background sync', async () => {
  const path = join(dir, 'reopened.log');
  const synced: number[] = [];
  const log = new AuditLog(path, {
    syncIntervalMs: 20,
    fdatasync: (fd, done) => {
      synced.push(fd);
      setImmediate(() => done(null));
    },
  });
  log.append(outcome(1));
  log.close();
  // Hold the old descriptor's number, so the reopened log gets another one.
  const holder = openSync(join(dir, 'holder'), 'w');
  try {
    log.append(outcome(2));
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(synced.length, 1, 'one sync, of the reopened file');
    assert.notEqual(synced[0], holder);
  } finally {
    log.close();
    closeSync(holder);
  }
});
