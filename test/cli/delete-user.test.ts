// `iam delete-user` as a process, on the Local brand: off unless the instance sets allowDelete, the
// human title, the war-room form, a batch of leavers, and the audit line of each delete.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-delete-');
after(() => dir.cleanup());
const audit = join(dir.path, 'audit.log');

const cfg = join(dir.path, 'iam.yaml');
writeFileSync(
  cfg,
  `instances:
  keep:
    brand: Local
    path: ${join(dir.path, 'keep.db')}
  hr:
    brand: Local
    path: ${join(dir.path, 'hr.db')}
    allowDelete: true
`,
);

function iam(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--config', cfg], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir.path,
      XDG_DATA_HOME: join(dir.path, 'xdg'),
      IAM_AUDIT_LOG: audit,
    },
    cwd: dir.path,
    ...(input === undefined ? {} : { input }),
  });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const vendors = lines.map(
    (l) => ((l.IAM ?? {}) as Record<string, unknown>).Vendor as Record<string, unknown>,
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, vendors };
}

test('delete-user: off by default (skipped, no change); on, deletes; the audit says delete', () => {
  for (const inst of ['keep', 'hr']) {
    const made = iam([
      'create-user',
      '--instance',
      inst,
      '--output',
      'json',
      '--user-profile',
      '{"username":"leaver"}',
    ]);
    assert.equal(made.code, 0, made.stderr);
  }
  const off = iam([
    'delete-user',
    '--instance',
    'keep',
    '--output',
    'json',
    '--user-profile',
    '{"username":"leaver"}',
  ]);
  assert.equal(off.code, 0, off.stderr);
  assert.deepEqual(
    [off.vendors[0]?.action, off.vendors[0]?.skipped, off.vendors[0]?.reason],
    ['delete', true, 'Command is disabled.'],
  );
  const still = iam([
    'get-user',
    '--instance',
    'keep',
    '--output',
    'json',
    '--user-profile',
    '{"username":"leaver"}',
  ]);
  assert.equal(still.vendors[0]?.success, true, 'nothing was deleted');

  const on = iam([
    'delete-user',
    '--instance',
    'hr',
    '--output',
    'table',
    '--user-profile',
    '{"username":"leaver"}',
  ]);
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /Delete User Results \(Local\)/);
  const gone = iam([
    'get-user',
    '--instance',
    'hr',
    '--output',
    'json',
    '--user-profile',
    '{"username":"leaver"}',
  ]);
  assert.deepEqual([gone.vendors[0]?.errorCode, gone.vendors[0]?.errorMessage], [404, 'User does not exist']);

  const outcomes = readFileSync(audit, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"delete-user"') && l.includes('"outcome"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    outcomes.map((o) => [o.instance, o.action, o.outcome]),
    [
      ['keep', 'delete', 'skipped'],
      ['hr', 'delete', 'success'],
    ],
  );
});

test('delete-user in the war-room form and as a batch of leavers', () => {
  for (const u of ['a1', 'a2'])
    iam(['create-user', '--instance', 'hr', '--user-profile', JSON.stringify({ username: u })]);
  // The war-room form is the whole argv (one argument); the config comes from IAM_CONFIG.
  const room = spawnSync(
    process.execPath,
    [BIN, '!iam-delete-user user-profile={"username":"a1"} using=hr'],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir.path,
        XDG_DATA_HOME: join(dir.path, 'xdg'),
        IAM_AUDIT_LOG: audit,
        IAM_CONFIG: cfg,
      },
      cwd: dir.path,
    },
  );
  const war = {
    code: room.status,
    stderr: room.stderr,
    vendors: room.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { IAM: { Vendor: Record<string, unknown> } }).IAM.Vendor),
  };
  assert.equal(war.code, 0, war.stderr);
  assert.deepEqual(
    [war.vendors[0]?.action, war.vendors[0]?.success, war.vendors[0]?.skipped],
    ['delete', true, false],
  );
  const batch = spawnSync(
    process.execPath,
    [BIN, 'batch', 'delete-user', '--input', '-', '--instance', 'hr', '--output', 'json', '--config', cfg],
    {
      encoding: 'utf8',
      input: '{"username":"a2"}\n{"username":"nobody"}\n',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir.path,
        XDG_DATA_HOME: join(dir.path, 'xdg'),
        IAM_AUDIT_LOG: audit,
      },
      cwd: dir.path,
    },
  );
  assert.equal(batch.status, 0, batch.stderr);
  assert.match(batch.stdout, /"action":"delete"/);
  assert.match(batch.stdout, /User does not exist/);
});
