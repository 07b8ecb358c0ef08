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
