// A grouped Local batch killed with kill -9 (issue 16): the built CLI creates accounts in a Local
// store (many commands per commit) and is killed mid-run. Then every record it printed names an
// account that is in the store, every account in the store has an intent line, and an account
// with no printed record and no outcome line is one `iam audit verify` lists.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { tempDir } from '../conformance/harness.js';
import { BIN, runIam } from '../support/run-iam.js';

const dir = tempDir('iam-audit-kill-local-');
after(() => dir.cleanup());

type Line = Record<string, unknown>;
const LINES = 100_000;

/** The whole lines of a file (a kill may leave a last line unfinished: not a printed record). */
function wholeLines(path: string): Line[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

test('batch create-user on Local killed with kill -9: every printed record is in the store, every row has an intent', async () => {
  const store = join(dir.path, 'local.db');
  const config = join(dir.path, 'iam.yaml');
  const audit = join(dir.path, 'audit.log');
  const out = join(dir.path, 'out.jsonl');
  const input = join(dir.path, 'in.jsonl');
  writeFileSync(config, `instances:\n  loc:\n    brand: Local\n    path: ${store}\n`);
  const profiles = Array.from({ length: LINES }, (_, i) => JSON.stringify({ username: `k${i}` }));
  writeFileSync(input, `${profiles.join('\n')}\n`);
  const args = ['batch', 'create-user', '--input', input, '--out', out, '--no-progress'];
  const child = spawn(process.execPath, [BIN, ...args, '--config', config, '--audit-log', audit], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  const done = new Promise<void>((ok) => child.on('close', () => ok()));
  const end = Date.now() + 60_000;
  while (wholeLines(out).length < 500) {
    if (Date.now() > end) assert.fail('no 500 records within a minute');
    await sleep(10);
  }
  child.kill('SIGKILL');
  await done;

  const printed = wholeLines(out).map((l) => (l as { IAM: { Vendor: { id: string } } }).IAM.Vendor.id);
  const db = new Database(store);
  const rows = db.prepare('SELECT id, username FROM users').all() as { id: string; username: string }[];
  db.close();
  assert.ok(rows.length > 0 && rows.length < LINES, `killed mid-run (${rows.length} rows)`);
  const ids = new Set(rows.map((r) => r.id));
  assert.deepEqual(
    printed.filter((id) => !ids.has(id)),
    [],
    'printed records whose account is not in the store',
  );

  const lines = wholeLines(audit);
  const intents = new Set(lines.filter((l) => l.event === 'intent').map((l) => l.username));
  assert.deepEqual(
    rows.filter((r) => !intents.has(r.username)).map((r) => r.username),
    [],
    'accounts in the store with no intent line',
  );
  const outcomes = new Set(lines.filter((l) => l.event === 'outcome').map((l) => l.username));
  const shown = new Set(printed);
  const unaccounted = rows.filter((r) => !shown.has(r.id) && !outcomes.has(r.username));
  const verify = await runIam(['audit', 'verify', audit], { cwd: dir.path });
  if (unaccounted.length > 0) assert.equal(verify.code, 1, verify.stderr);
  for (const r of unaccounted) {
    assert.ok(
      verify.stdout.includes(`username ${r.username} (INSERT users): no outcome`),
      `${r.username} is in the store, not printed, and not listed by audit verify`,
    );
  }
});
