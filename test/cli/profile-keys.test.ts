// The User Profile's keys through the CLI (issue 13 items 2 and 3): display names and camelCase on
// input, `--profile-keys display` on output, `iam fields`, and an unknown key warned about (an error
// with --strict, before anything is sent) instead of being dropped without a word.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-profile-keys-');
after(() => dir.cleanup());
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  hr:\n    brand: Local\n    path: ${join(dir.path, 'hr.db')}\n`);
const iam = (args: string[]) => runIam([...args, '--config', config, '--output', 'json'], { cwd: dir.path });
const profileOf = (stdout: string) =>
  (JSON.parse(stdout.trim().split('\n')[0] ?? '{}') as { IAM: { UserProfile: Record<string, unknown> } }).IAM
    .UserProfile;

test('display names and camelCase keys are the same fields; --profile-keys display prints display names', async () => {
  const made = await iam([
    'create-user',
    '--user-profile',
    '{"Username":"ann","Email":"ann@example.com","Given Name":"Ann","surName":"Lee"}',
  ]);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.stderr, '', 'no warning: every key is a field');
  const got = await iam(['get-user', '--user-profile', '{"username":"ann"}']);
  assert.deepEqual(
    [profileOf(got.stdout).givenname, profileOf(got.stdout).surname, profileOf(got.stdout).email],
    ['Ann', 'Lee', 'ann@example.com'],
  );
  const shown = await iam(['get-user', '--user-profile', '{"username":"ann"}', '--profile-keys', 'display']);
  const display = profileOf(shown.stdout);
  assert.deepEqual(
    [display['Given Name'], display.Surname, display.Email, display.Username],
    ['Ann', 'Lee', 'ann@example.com', 'ann'],
  );
  assert.equal('givenname' in display, false);
});

test('an unknown key is warned about with the closest field; --strict refuses it and sends nothing', async () => {
  const warned = await iam(['create-user', '--user-profile', '{"user_name":"q1","email":"q1@example.com"}']);
  assert.equal(warned.code, 0);
  assert.match(
    warned.stderr,
    /^iam: warning: instance "hr": user-profile key "user_name" is not a User Profile field \(did you mean "username"\?\); it is not sent$/m,
  );
  const strict = await iam([
    'create-user',
    '--strict',
    '--user-profile',
    '{"user_name":"q2","email":"q2@example.com"}',
  ]);
  assert.equal(strict.code, 2);
  assert.equal(strict.stdout, '');
  assert.equal(strict.stderr.trim().split('\n').length, 1, strict.stderr);
  assert.match(
    strict.stderr,
    /user-profile key "user_name" is not a User Profile field \(did you mean "username"\?\)/,
  );
  const none = await iam(['get-user', '--user-profile', '{"email":"q2@example.com"}']);
  assert.match(none.stdout, /"errorCode":404/, 'nothing was created');
});

test('iam fields lists every field with its display name and type', async () => {
  const r = await runIam(['fields', '--output', 'json'], { cwd: dir.path });
  const fields = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { Field: { name: string; display: string; type: string } }).Field);
  const given = fields.find((f) => f.name === 'givenname');
  assert.deepEqual(given && [given.display, given.type], ['Given Name', 'string']);
  assert.ok(fields.some((f) => f.name === 'peoplemanagerflag' && f.type === 'boolean'));
});
