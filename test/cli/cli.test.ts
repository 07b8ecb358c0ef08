// The built `iam` run as a process: output shapes, exit codes, war-room syntax, config errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-cli-');
after(() => dir.cleanup());

function config(name: string, body: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, body);
  return path;
}

const twoLocal = config(
  'two.yaml',
  `instances:
  alpha:
    brand: Local
    path: ${join(dir.path, 'alpha.db')}
  beta:
    brand: Local
    path: ${join(dir.path, 'beta.db')}
    allowDisable: no
`,
);
const one = config(
  'one.yaml',
  `instances:\n  solo:\n    brand: Local\n    path: ${join(dir.path, 'solo.db')}\n`,
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

function iam(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', XDG_DATA_HOME: join(dir.path, 'xdg'), HOME: dir.path, ...env },
    cwd: dir.path,
  });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

const vendor = (line: Record<string, unknown> | undefined) =>
  (((line?.IAM ?? {}) as Record<string, unknown>).Vendor ?? {}) as Record<string, unknown>;

function assertCleanUsageError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0] as string, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('iam CLI', () => {
  test('--version and --help', () => {
    const v = iam(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const h = iam(['create-user', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Example:\n\s+iam create-user --user-profile/);
  });

  test('json output is exactly the IAM context object, one line, fields in the spec order', () => {
    const r = iam([
      'create-user',
      '--config',
      one,
      '--user-profile',
      '{"username":"cli.a","email":"a@x.io"}',
      '--output',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 1);
    const line = r.lines[0]!;
    assert.deepEqual(Object.keys(line), ['IAM']);
    assert.deepEqual(Object.keys(line.IAM as object), ['Vendor', 'UserProfile']);
    const v = vendor(line);
    assert.deepEqual(Object.keys(v), [
      'action',
      'brand',
      'instanceName',
      'success',
      'active',
      'id',
      'username',
      'email',
      'errorCode',
      'errorMessage',
      'details',
      'skipped',
      'reason',
    ]);
    assert.deepEqual(
      [v.action, v.brand, v.instanceName, v.success, v.username],
      ['create', 'Local', 'solo', true, 'cli.a'],
    );
    assert.deepEqual((line.IAM as Record<string, unknown>).UserProfile, {
      username: 'cli.a',
      email: 'a@x.io',
    });
  });

  test('json is the default when stdout is not a terminal; get not found exits 1', () => {
    const r = iam(['get-user', '--config', one, '--user-profile', '{"username":"nobody"}']);
    assert.equal(r.code, 1);
    assert.deepEqual([vendor(r.lines[0]).success, vendor(r.lines[0]).errorCode], [false, 404]);
  });

  test('war-room form as one argument', () => {
    const r = iam(
      [
        '!iam-create-user user-profile={"username": "war room", "title": "a \\"quoted\\" title"} allow-enable=NO',
      ],
      {
        IAM_CONFIG: one,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const v = vendor(r.lines[0]);
    assert.deepEqual([v.username, v.active], ['war room', false]);
    assert.equal((v.details as Record<string, unknown>).title, 'a "quoted" title');
  });

  test('first-generation input and output form', () => {
    const r = iam([
      'create-user',
      '--config',
      one,
      '--scim',
      '{"userName":"fg.user","emails":[{"value":"fg@x.io","primary":true}]}',
      '--output',
      'json',
      '--format',
      'first-generation',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rec = r.lines[0]!.CreateUser as Record<string, unknown>;
    assert.ok(rec, r.stdout);
    assert.equal(rec.username, 'fg.user');
    assert.equal(rec.email, 'fg@x.io');
    for (const k of ['action', 'skipped', 'reason']) assert.equal(k in rec, false, k);
  });

  test('table output has the spec title and the fields', () => {
    const r = iam([
      'update-user',
      '--config',
      one,
      '--user-profile',
      '{"username":"tbl"}',
      '--output',
      'table',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Create User Results \(Local\)/);
    for (const k of [
      'brand',
      'instanceName',
      'success',
      'active',
      'id',
      'username',
      'email',
      'errorCode',
      'errorMessage',
      'details',
    ]) {
      assert.match(r.stdout, new RegExp(`\\b${k}\\b`));
    }
    const s = iam([
      'enable-user',
      '--config',
      one,
      '--user-profile',
      '{"username":"tbl"}',
      '--output',
      'table',
    ]);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /^Enable User Results \(Local\)/);
    assert.match(s.stdout, /skipped[\s│|]+true/);
    assert.match(s.stdout, /User is already enabled\./);
  });

  test('several instances: --instance is required, --all-instances prints one record per instance', () => {
    assertCleanUsageError(
      iam(['get-user', '--config', twoLocal, '--user-profile', '{"username":"x"}']),
      /--instance NAME or --all-instances/,
    );
    iam(['create-user', '--config', twoLocal, '--all-instances', '--user-profile', '{"username":"multi"}']);
    const r = iam([
      'disable-user',
      '--config',
      twoLocal,
      '--all-instances',
      '--user-profile',
      '{"username":"multi"}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.lines.map((l) => [vendor(l).instanceName, vendor(l).success, vendor(l).active, vendor(l).reason]),
      [
        ['alpha', true, false, ''],
        ['beta', true, null, 'Command is disabled.'],
      ],
    );
    const b = iam([
      'get-user',
      '--config',
      twoLocal,
      '--instance',
      'beta',
      '--instance',
      'alpha',
      '--user-profile',
      '{"username":"multi"}',
    ]);
    assert.deepEqual(
      b.lines.map((l) => [vendor(l).instanceName, vendor(l).active]),
      [
        ['beta', true],
        ['alpha', false],
      ],
    );
  });

  test('a profile with no lookup attribute is a failed record (exit 1) naming what would work', () => {
    const r = iam(['get-user', '--config', one, '--user-profile', '{"title":"x"}']);
    assert.equal(r.code, 1);
    assert.match(String(vendor(r.lines[0]).errorMessage), /give one of id, username, email/);
  });

  test('group commands print GetGroup/CreateGroup/UpdateGroup/DeleteGroup records', () => {
    const u = vendor(
      iam(['create-user', '--config', one, '--user-profile', '{"username":"member1"}']).lines[0],
    );
    const c = iam(['create-group', '--config', one, '--scim', '{"displayName":"CLI Group"}']);
    const created = c.lines[0]!.CreateGroup as Record<string, unknown>;
    assert.equal(created.success, true);
    const up = iam([
      'update-group',
      '--config',
      one,
      '--scim',
      JSON.stringify({ id: created.id }),
      '--memberIdsToAdd',
      String(u.id),
    ]);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((up.lines[0]!.UpdateGroup as Record<string, unknown>).success, true);
    const g = iam([
      'get-group',
      '--config',
      one,
      '--scim',
      '{"displayName":"CLI Group"}',
      '--include-members',
      'true',
    ]);
    assert.deepEqual((g.lines[0]!.GetGroup as Record<string, unknown>).members, [
      { value: u.id, display: 'member1' },
    ]);
    const d = iam(['delete-group', '--config', one, '--scim', JSON.stringify({ id: created.id })]);
    assert.equal((d.lines[0]!.DeleteGroup as Record<string, unknown>).success, true);
    const d2 = iam(['delete-group', '--config', one, '--scim', JSON.stringify({ id: created.id })]);
    assert.equal(d2.code, 1);
    assert.deepEqual(d2.lines[0]!.DeleteGroup, {
      brand: 'Local',
      instanceName: 'solo',
      success: false,
      id: created.id,
      displayName: null,
      errorCode: 404,
      errorMessage: 'Group Not Found',
      details: {},
    });
  });

  test('bad input gets one clear line and exit code 2', () => {
    assertCleanUsageError(
      iam(['create-user', '--config', one, '--user-profile', '{"username":']),
      /^iam: error: user-profile: expected a JSON object/,
    );
    assertCleanUsageError(
      iam(['create-user', '--config', one, '--user-profile', '[]']),
      /user-profile: expected a JSON object, got an array/,
    );
    assertCleanUsageError(iam(['create-user', '--config', one]), /--user-profile is required/);
    assertCleanUsageError(
      iam(['get-user', '--config', one, '--instance', 'nope', '--user-profile', '{}']),
      /unknown instance "nope"/,
    );
    assertCleanUsageError(
      iam(['create-user', '--config', one, '--user-profile', '{"username":"x"}', '--allow-enable', 'maybe']),
      /allow-enable: expected true\/false\/yes\/no\/1\/0, got "maybe"/,
    );
    assertCleanUsageError(
      iam(['update-group', '--config', one, '--scim', '{"id":"1"}']),
      /memberIdsToAdd or memberIdsToDelete/,
    );
    assertCleanUsageError(
      iam(['get-group', '--config', one, '--scim', '{}']),
      /scim: expected an object with "id" or "displayName"/,
    );
    const unknown = iam(['get-user', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  });

  test('configuration errors name the instance and key', () => {
    const brand = config('brand.yaml', 'instances:\n  x:\n    brand: Nope\n');
    assertCleanUsageError(
      iam(['instances', '--config', brand]),
      /instance "x": unknown brand at line 3 \(expected one of: SCIM, AWS-ILM, Local, Zoom, LDAP, Slack, GitHub\)/,
    );
    const key = config(
      'key.yaml',
      'instances:\n  aws:\n    brand: AWS-ILM\n    baseUrl: https://scim.example.com\n    tenantId: t\n    tokn: abc\n',
    );
    assertCleanUsageError(
      iam(['instances', '--config', key]),
      /instance "aws": unknown key at line 6 \(did you mean "token"\?\); AWS-ILM settings are: .*token/,
    );
    const missing = config(
      'notoken.yaml',
      'instances:\n  aws:\n    brand: AWS-ILM\n    baseUrl: https://scim.example.com\n    tenantId: t\n',
    );
    assertCleanUsageError(
      iam(['instances', '--config', missing]),
      /instance "aws" key "token": is required for brand AWS-ILM/,
    );
    const type = config('type.yaml', 'instances:\n  l:\n    brand: Local\n    allowCreate: sometimes\n');
    assertCleanUsageError(
      iam(['instances', '--config', type]),
      /instance "l" key "allowCreate": expected true or false/,
    );
    const env = config(
      'env.yaml',
      'instances:\n  s:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: $' +
        '{env:IAM_TEST_MISSING_TOKEN}\n',
    );
    // An unresolved reference is its instance's error, met when that instance is used (`instances`
    // still lists it: test/cli/bad-input.test.ts).
    assertCleanUsageError(
      iam(['get-user', '--config', env, '--user-profile', '{"username":"a"}']),
      /instance "s" key "token": environment variable IAM_TEST_MISSING_TOKEN is not set/,
    );
    assertCleanUsageError(
      iam(['instances', '--config', join(dir.path, 'missing.yaml')]),
      /cannot read it \(ENOENT\)/,
    );
    assertCleanUsageError(
      iam(['instances', '--config', config('bad.yaml', 'instances: [')]),
      /not valid YAML/,
    );
    const ca = config(
      'ca.yaml',
      'instances:\n  s:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: t0ken\n    caFile: no-such-ca.pem\n',
    );
    assertCleanUsageError(
      iam(['instances', '--config', ca]),
      /instance "s" key "caFile": cannot read .*no-such-ca\.pem \(ENOENT\)/,
    );
  });

  test('a proxy password may be a reference and is never printed', () => {
    const proxied = config(
      'proxied.yaml',
      'instances:\n  s:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: t0ken\n    proxy: $' +
        '{env:IAM_TEST_PROXY}\n',
    );
    const r = iam(['instances', '--config', proxied, '--output', 'json'], {
      IAM_TEST_PROXY: 'http://u:Pr0xyPass@127.0.0.1:9',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.lines[0] as Record<string, unknown>).proxy, 'http://u:REDACTED@127.0.0.1:9/');
    assert.doesNotMatch(r.stdout + r.stderr, /Pr0xyPass/);
  });

  test('instances, test and get-mapping-fields', () => {
    const list = iam(['instances', '--config', twoLocal, '--output', 'json']);
    assert.deepEqual(
      list.lines.map((l) => [l.name, l.brand]),
      [
        ['alpha', 'Local'],
        ['beta', 'Local'],
      ],
    );
    const t = iam(['test', '--config', one]);
    assert.equal(t.code, 0, t.stderr);
    assert.equal((t.lines[0]!.Test as Record<string, unknown>).success, true);
    const m = iam(['get-mapping-fields', '--config', one]);
    assert.ok(
      ((m.lines[0]!.MappingFields as Record<string, unknown>).fields as string[]).includes('username'),
    );
  });

  test('with no configuration at all, the embedded local directory answers (npm start runs the demo)', () => {
    const d = iam(['demo', '--output', 'json']);
    assert.equal(d.code, 0, d.stderr);
    const actions = d.lines.map((l) => (l.IAM ? vendor(l).action : Object.keys(l)[0]));
    assert.deepEqual(actions, [
      'create',
      'get',
      'update',
      'disable',
      'enable',
      'CreateGroup',
      'UpdateGroup',
      'GetGroup',
      'DeleteGroup',
    ]);
    const again = iam(['demo', '--output', 'json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(vendor(again.lines[0]).action, 'update', 'a second run finds the user it made');
  });
});
