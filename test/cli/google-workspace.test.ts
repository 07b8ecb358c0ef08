// `iam` as a process against the Google Directory API simulator (test/servers/google/, built from
// Google's published reference): the key as a ${file:} reference to a key file as downloaded, a
// batch through tokens that expire mid-run, a key missing a field as one line that never quotes
// it, and no key, private key, assertion, access token or generated password in any output.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import {
  type GoogleSimulator,
  type GoogleSimulatorOptions,
  startGoogleSimulator,
} from '../servers/google/server.js';
import { joinerBatch, joinerRows } from '../support/joiner-batch.js';
import { type IamRun, runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';

const dir = tempDir('iam-google-cli-');
after(() => dir.cleanup());

let n = 0;
interface Setup {
  sim: GoogleSimulator;
  config: string;
  audit: string;
  keyFile: string;
}

/** A simulator, its key written as Google Cloud gives it (pretty JSON), and a config referring to it. */
async function setup(options: GoogleSimulatorOptions = {}, key?: string): Promise<Setup> {
  const sim = await startGoogleSimulator(options);
  after(() => sim.close());
  n += 1;
  const keyFile = join(dir.path, `key-${n}.json`);
  writeFileSync(keyFile, `${key ?? sim.serviceAccountKey}\n`);
  const config = join(dir.path, `iam-${n}.yaml`);
  writeFileSync(
    config,
    `instances:\n  google:\n    brand: Google-Workspace\n    baseUrl: ${sim.baseUrl}\n` +
      `    serviceAccountKey: \${file:${keyFile}}\n    subject: ${sim.admin}\n    allowDelete: true\n` +
      '    rateLimit: { requestsPerSecond: 1000, burst: 100 }\n',
  );
  return { sim, config, audit: join(dir.path, `audit-${n}.log`), keyFile };
}

function iam(s: Setup, args: string[]): Promise<IamRun> {
  return runIam([...args, '--config', s.config], { cwd: dir.path, env: { IAM_AUDIT_LOG: s.audit } });
}

const user = (s: Setup, args: string[], profile: Record<string, unknown>) =>
  iam(s, [...args, '--output', 'json', '--user-profile', JSON.stringify(profile)]);

test('a batch of 50 create-user through 1-second tokens: refreshed mid-batch, every record succeeds', async () => {
  const s = await setup({ expiresIn: 1, latencyMs: 40 });
  const rows = joinerRows();
  await joinerBatch((args) => iam(s, args), { dir: dir.path, instance: 'google', rows });
  const grants = s.sim.requests.filter((q) => q.path === '/token').length;
  assert.ok(grants > 1, `the token was fetched again (${grants} grants)`);
  for (const row of rows) assert.ok(s.sim.store.findUser(row.email), row.email);
});

test('a key file without private_key: one line naming serviceAccountKey and the field, never the key', async () => {
  const sim = await startGoogleSimulator();
  after(() => sim.close());
  const { private_key: pem, ...rest } = JSON.parse(sim.serviceAccountKey) as Record<string, string>;
  const s = await setup({}, JSON.stringify(rest, null, 2));
  const r = await user(s, ['get-user', '--instance', 'google'], { email: 'x@example.com' });
  assert.notEqual(r.code, 0);
  const out = r.stdout + r.stderr;
  assert.match(out, /serviceAccountKey/);
  assert.match(out, /the key has no "private_key"/);
  assert.equal(/^\s+at /m.test(r.stderr), false, 'no stack trace');
  for (const needle of [String(rest.private_key_id), (pem ?? '').slice(40, 80)]) {
    assert.equal(out.includes(needle), false, 'the key is not quoted');
  }
  assert.equal(out.includes('sim-project'), false, 'nothing of the key is quoted');
});

test('--verbose and the audit log: no key, private key, assertion, access token or password, in any encoding', async () => {
  const s = await setup({ expiresIn: 1 });
  const runs: IamRun[] = [];
  const run = async (args: string[], profile: Record<string, unknown>) => {
    const r = await user(s, [...args, '--verbose'], profile);
    runs.push(r);
    return r;
  };
  await run(['create-user', '--instance', 'google'], {
    email: 'v1@example.com',
    givenname: 'Vee',
    surname: 'One',
  });
  await run(['create-user', '--instance', 'google'], {
    email: 'v2@example.com',
    givenname: 'Vee',
    surname: 'Two',
  });
  // An app error (the address is in use) goes through the error path too.
  const refused = await run(['update-user', '--instance', 'google'], {
    email: 'v1@example.com',
    olduserdata: { email: 'v2@example.com' },
  });
  assert.deepEqual([refused.vendors[0]?.success, refused.vendors[0]?.errorCode], [false, 409]);
  await run(['disable-user', '--instance', 'google'], { email: 'v2@example.com' });
  await run(['delete-user', '--instance', 'google'], { email: 'v2@example.com' });
  const check = await iam(s, ['test', '--instance', 'google', '--verbose']);
  runs.push(check);
  assert.equal(check.code, 0, check.stderr);

  assert.ok(s.sim.oauth.issuedTokens.length > 0, 'tokens were issued');
  assert.ok(
    runs.some((r) => /POST|GET|request/i.test(r.stderr)),
    'the verbose log was written (the check below is not vacuous)',
  );
  const passwords = s.sim.requests
    .map((q) => (q.body as Record<string, unknown> | undefined)?.password)
    .filter((p): p is string => typeof p === 'string');
  assert.equal(passwords.length, 2, 'two generated passwords were sent');
  const assertions = s.sim.requests
    .filter((q) => q.path === '/token')
    .map((q) => new URLSearchParams(String(q.body)).get('assertion') ?? '');
  const pem = s.sim.privateKeyPem;
  const pemLines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const forms = secretForms;
  const needles = [
    ...forms(s.sim.serviceAccountKey),
    ...forms(pem),
    ...pemLines,
    ...forms(JSON.stringify(pem).slice(1, -1)),
    ...s.sim.oauth.issuedTokens.flatMap(forms),
    ...assertions.flatMap(forms),
    ...assertions.map((a) => a.split('.')[2] ?? ''),
    ...passwords.flatMap(forms),
  ].filter((x) => x.length >= 16);
  assert.ok(existsSync(s.audit), 'the audit log was written');
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(s.audit, 'utf8')];
  for (const text of texts) {
    for (const needle of needles)
      assert.equal(text.includes(needle), false, `leaked: ${needle.slice(0, 4)}…`);
  }
});

test('iam brands lists Google-Workspace with every setting described', async () => {
  const s = await setup();
  const r = await runIam(['brands', '--output', 'json'], { cwd: dir.path, env: { IAM_AUDIT_LOG: s.audit } });
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.includes('"Google-Workspace"'));
  assert.ok(line, 'listed');
  const settings = (JSON.parse(line) as { Brand: { settings: { key: string; description: string }[] } }).Brand
    .settings;
  const keys = settings.map((x) => x.key);
  for (const k of ['serviceAccountKey', 'subject', 'customer', 'baseUrl', 'tokenUrl'])
    assert.ok(keys.includes(k), k);
  for (const x of settings) assert.ok(x.description, x.key);
});
