// The command line as people type it (issue 13 items 6 and 7): the war-room form with the CLI's
// options around it in any order, options every command takes before the command (as gh, kubectl
// and the AWS CLI allow), `-o` for `--output` in any case, and `--output yaml`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-habits-');
after(() => dir.cleanup());
const config = join(dir.path, 'iam.yaml');
writeFileSync(
  config,
  `instances:\n  a:\n    brand: Local\n    path: ${join(dir.path, 'a.db')}\n  b:\n    brand: Local\n    path: ${join(dir.path, 'b.db')}\n`,
);
const iam = (args: string[]) => runIam(args, { cwd: dir.path });
const PROFILE = '{"username":"hab","email":"hab@example.com"}';

before(async () => {
  const made = await iam([
    'create-user',
    '--config',
    config,
    '--instance',
    'b',
    '-o',
    'json',
    '--user-profile',
    PROFILE,
  ]);
  assert.equal(made.code, 0, made.stderr);
});

test('the war-room form takes the CLI options, in any order; using= keeps working', async () => {
  for (const args of [
    [`!iam-get-user user-profile=${PROFILE}`, '--config', config, '--instance', 'b', '--output', 'json'],
    ['--config', config, `!iam-get-user user-profile=${PROFILE}`, '--output', 'json', '--instance', 'b'],
    ['--output', 'json', `!iam-get-user user-profile=${PROFILE} using=b`, '--config', config],
  ]) {
    const r = await iam(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual([r.vendors.length, r.vendors[0]?.instanceName, r.vendors[0]?.username], [1, 'b', 'hab']);
  }
});

test('options every command takes may come before the command; -o and its value in any case', async () => {
  for (const args of [
    ['--config', config, '--instance', 'b', '-o', 'JSON', 'get-user', '--user-profile', PROFILE],
    ['--config', config, '--output=Json', 'get-user', '--instance', 'b', '--user-profile', PROFILE],
    ['-o', 'json', 'get-user', '--config', config, '--instance', 'b', '--user-profile', PROFILE],
  ]) {
    const r = await iam(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.vendors[0]?.username, 'hab', args.join(' '));
  }
  const version = await iam(['--config', config, '--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test('--output yaml prints the same record as YAML documents', async () => {
  const json = await iam([
    'get-user',
    '--config',
    config,
    '--instance',
    'b',
    '-o',
    'json',
    '--user-profile',
    PROFILE,
  ]);
  const yaml = await iam([
    'get-user',
    '--config',
    config,
    '--instance',
    'b',
    '-o',
    'yaml',
    '--user-profile',
    PROFILE,
  ]);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.match(yaml.stdout, /^---\n/);
  assert.deepEqual(parse(yaml.stdout.replace(/^---\n/, '')), JSON.parse(json.stdout.trim()));
});

test('helpful mistakes: a profile field as an option, JSON the shell broke, both inputs, first-generation as a table', async () => {
  const one = (args: string[]) => iam([...args, '--config', config, '--instance', 'b']);
  const cases: [string[], RegExp][] = [
    [
      ['get-user', '--username', 'jdoe'],
      /^iam: error: unknown option '--username': did you mean --user-profile '\{"username":"jdoe"\}'\?$/,
    ],
    [
      ['get-user', '--user-profile', '{username:jdoe}'],
      /^iam: error: user-profile: expected a JSON object \(.*\); in a shell, put the whole JSON in single quotes, e\.g\. --user-profile '\{"username":"jdoe"\}'$/,
    ],
    [
      ['get-user', '--user-profile', PROFILE, '--scim', '{"userName":"x"}'],
      /^iam: error: get-user: give --user-profile or --scim, not both$/,
    ],
    [
      ['get-user', '--user-profile', PROFILE, '--format', 'first-generation', '-o', 'table'],
      /^iam: error: --format first-generation is a JSON shape: add --output json$/,
    ],
  ];
  for (const [args, expected] of cases) {
    const r = await one(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr.trim(), expected);
  }
});

test('iam config path says which file and why; iam config check resolves every instance', async () => {
  const home = join(dir.path, 'home');
  const xdg = join(home, 'xdg');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(xdg, 'iam'), { recursive: true });
  const user = join(xdg, 'iam', 'config.yaml');
  writeFileSync(user, `instances:\n  mine:\n    brand: Local\n    path: ${join(home, 'mine.db')}\n`);
  const env = { HOME: home, XDG_CONFIG_HOME: xdg };
  const cwd = home; // no ./iam.yaml there
  const path = await runIam(['config', 'path'], { cwd, env });
  assert.equal(path.stdout.trim(), `${user} (user config)`);
  const used = await runIam(['instances', '-o', 'json'], { cwd, env });
  assert.match(used.stdout, /"name":"mine"/, 'commands read the per-user config');
  const ok = await runIam(['config', 'check'], { cwd, env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), `${user}: ok (1 instance: mine)`);
  writeFileSync(
    user,
    `instances:\n  s:\n    brand: SCIM\n    baseUrl: https://x.example\n    token: \${env:NOT_SET_HERE}\n`,
  );
  const bad = await runIam(['config', 'check'], { cwd, env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr.trim(), /instance "s" key "token": environment variable NOT_SET_HERE is not set/);
  // A server: key whose reference is unset: serve would refuse it, so check says so too.
  writeFileSync(
    user,
    `instances:\n  mine:\n    brand: Local\n    path: ${join(home, 'mine.db')}\nserver:\n  apiKeys:\n    - name: soar\n      key: \${env:NO_API_KEY_HERE}\n      scopes: [read]\n`,
  );
  const noKey = await runIam(['config', 'check'], { cwd, env });
  assert.equal(noKey.code, 2, noKey.stdout);
  assert.match(noKey.stderr, /NO_API_KEY_HERE is not set/);
  const none = await runIam(['config', 'path'], { cwd, env: { HOME: join(dir.path, 'nobody') } });
  assert.match(none.stdout, /^embedded default/);
});
