// Two processes writing one Local store at once (two `iam batch` runs on the same SQLite file):
// when both find no account and both create, the one that loses the race must update the account
// the other just created, never fail with "already taken". Real processes, real file, many rounds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-local-race-');
after(() => dir.cleanup());

const ROUNDS = 60;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function iam(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg') },
      cwd: dir.path,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface Vendor {
  success: boolean;
  action: string;
  errorMessage: string;
  username: string;
}

const records = (r: Run): Vendor[] =>
  r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { IAM: { Vendor: Vendor } }).IAM.Vendor);

test('two processes racing update-user (createIfNotExists) on one store: one creates, the other updates', async () => {
  const db = join(dir.path, 'race.db');
  const config = join(dir.path, 'race.yaml');
  writeFileSync(
    config,
    `instances:\n  loc:\n    brand: Local\n    path: ${db}\n    createIfNotExists: true\n`,
  );
  // The store exists before the race (its creation is not what is raced here).
  assert.equal((await iam(['test', '--config', config])).code, 0);
  const input = (title: string) => {
    const path = join(dir.path, `${title}.jsonl`);
    const lines = Array.from({ length: ROUNDS }, (_, i) => JSON.stringify({ username: `u${i}`, title }));
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const [a, b] = await Promise.all(
    ['A', 'B'].map((t) => iam(['batch', 'update-user', '--input', input(t), '--config', config])),
  );
  const all = [
    ...records(a ?? { code: 0, stdout: '', stderr: '' }),
    ...records(b ?? { code: 0, stdout: '', stderr: '' }),
  ];
  assert.equal(all.length, 2 * ROUNDS);
  const failed = all.filter((v) => !v.success);
  assert.deepEqual(
    failed.map((v) => `${v.username}: ${v.errorMessage}`),
    [],
  );
  for (const r of [a, b]) assert.equal(r?.code, 0, r?.stderr);
  // Every account was created exactly once, and updated by the other process.
  const creates = all.filter((v) => v.action === 'create').map((v) => v.username);
  assert.equal(new Set(creates).size, creates.length, 'no account created twice');
  assert.equal(creates.length, ROUNDS);
});
