// `iam` as a process against the Okta simulator (test/servers/okta/, built from Okta's published
// reference): a batch through 1-second tokens, the status table and lifecycle through the CLI, and
// no API token, private key, client assertion or access token in any output, log or audit line.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { type OktaSimulator, type OktaSimulatorOptions, startOktaSimulator } from '../servers/okta/server.js';
import { joinerBatch, joinerRows } from '../support/joiner-batch.js';
import { type IamRun, runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';

const dir = tempDir('iam-okta-cli-');
after(() => dir.cleanup());

let n = 0;
interface Setup {
  sim: OktaSimulator;
  config: string;
  audit: string;
  keyFile: string;
}

/** A simulator and a config: `okta` (service app, key in a file), `ssws` (API token from the environment). */
async function setup(options: OktaSimulatorOptions = {}): Promise<Setup> {
  const sim = await startOktaSimulator(options);
  after(() => sim.close());
  n += 1;
  const keyFile = join(dir.path, `key-${n}.pem`);
  writeFileSync(keyFile, sim.privateKeyPem);
  const config = join(dir.path, `iam-${n}.yaml`);
  writeFileSync(
    config,
    'instances:\n' +
      `  okta:\n    brand: Okta\n    orgUrl: ${sim.orgUrl}\n    clientId: ${sim.clientId}\n` +
      `    privateKey: \${file:${keyFile}}\n    allowDelete: true\n` +
      `  ssws:\n    brand: Okta\n    orgUrl: ${sim.orgUrl}\n    token: \${env:OKTA_TOKEN}\n    allowDelete: true\n`,
  );
  return { sim, config, audit: join(dir.path, `audit-${n}.log`), keyFile };
}

function iam(s: Setup, args: string[]): Promise<IamRun> {
  return runIam([...args, '--config', s.config], {
    cwd: dir.path,
    env: { IAM_AUDIT_LOG: s.audit, OKTA_TOKEN: s.sim.apiToken },
  });
}

const user = (s: Setup, args: string[], profile: Record<string, unknown>) =>
  iam(s, [...args, '--output', 'json', '--user-profile', JSON.stringify(profile)]);

test('a batch of 50 create-user through 1-second tokens: fetched again, every record succeeds', async () => {
  const s = await setup({ expiresIn: 1, latencyMs: 40 });
  const rows = joinerRows((i) => ({
    username: `joiner${i}@example.com`,
    email: `joiner${i}@example.com`,
    givenname: 'Joe',
    surname: `Iner${i}`,
  }));
  await joinerBatch((args) => iam(s, args), { dir: dir.path, instance: 'okta', rows });
  assert.ok(s.sim.oauth.grants > 1, `the token was fetched again (${s.sim.oauth.grants} grants)`);
  assert.equal(s.sim.store.users.size, 50);
});

test('the status table through the CLI: SUSPENDED is disabled and enable unsuspends; raw status in details', async () => {
  const s = await setup();
  const u = s.sim.store.seedUser(
    { login: 'sus@example.com', email: 'sus@example.com', firstName: 'Sue', lastName: 'Spend' },
    'SUSPENDED',
  );
  const got = (await user(s, ['get-user', '--instance', 'ssws'], { username: 'sus@example.com' })).vendors[0];
  assert.deepEqual(
    [got?.success, got?.active, (got?.details as Record<string, unknown>)?.status],
    [true, false, 'SUSPENDED'],
  );
  const on = (await user(s, ['enable-user', '--instance', 'ssws'], { username: 'sus@example.com' }))
    .vendors[0];
  assert.deepEqual([on?.action, on?.success, on?.active], ['enable', true, true]);
  assert.equal(s.sim.store.users.get(u.id)?.status, 'ACTIVE');
  assert.ok(s.sim.requests.some((q) => q.path === `/api/v1/users/${u.id}/lifecycle/unsuspend`));
  const locked = s.sim.store.seedUser(
    { login: 'lock@example.com', email: 'lock@example.com', firstName: 'L', lastName: 'O' },
    'LOCKED_OUT',
  );
  const l = (await user(s, ['enable-user', '--instance', 'ssws'], { id: locked.id })).vendors[0];
  assert.deepEqual([l?.skipped, l?.reason], [true, 'User is already enabled.']);
  const off = (await user(s, ['delete-user', '--instance', 'ssws'], { id: locked.id })).vendors[0];
  assert.deepEqual([off?.success, (off?.details as Record<string, unknown>)?.deactivated], [true, true]);
  assert.equal(s.sim.store.users.has(locked.id), false);
});

test('two users with one email: get-user by email is ambiguous and touches neither', async () => {
  const s = await setup();
  for (const login of ['a1@example.com', 'a2@example.com'])
    s.sim.store.seedUser({ login, email: 'same@example.com', firstName: 'A', lastName: 'B' });
  const r = (await user(s, ['disable-user', '--instance', 'ssws'], { email: 'same@example.com' })).vendors[0];
  assert.equal(r?.success, false);
  assert.match(String(r?.errorMessage), /2 accounts match/);
  assert.equal(
    s.sim.requests.some((q) => q.path.includes('/lifecycle/')),
    false,
    'no account was disabled',
  );
});

test('--verbose and the audit log: no API token, private key, assertion or access token, in any encoding', async () => {
  const s = await setup({ expiresIn: 1 });
  const runs: IamRun[] = [];
  const run = async (args: string[], profile: Record<string, unknown>) => {
    const r = await user(s, [...args, '--verbose'], profile);
    runs.push(r);
    return r;
  };
  const insts = ['okta', 'ssws'];
  for (const inst of insts) {
    const who = `${inst}1@example.com`;
    await run(['create-user', '--instance', inst], {
      username: who,
      email: who,
      givenname: 'V',
      surname: 'W',
    });
  }
  for (const inst of insts) {
    // An app error (the login is in use: 400 E0000001) goes through the error path too.
    const clash = await run(['update-user', '--instance', inst], {
      username: inst === 'okta' ? 'ssws1@example.com' : 'okta1@example.com',
      olduserdata: { username: `${inst}1@example.com` },
    });
    assert.deepEqual([clash.vendors[0]?.success, clash.vendors[0]?.errorCode], [false, 409], clash.stdout);
  }
  for (const inst of insts) {
    const who = `${inst}1@example.com`;
    await run(['disable-user', '--instance', inst], { username: who });
    await run(['delete-user', '--instance', inst], { username: who });
    const t = await iam(s, ['test', '--instance', inst, '--verbose']);
    runs.push(t);
    assert.equal(t.code, 0, t.stderr);
  }
  const tokens = s.sim.oauth.issuedTokens;
  assert.ok(tokens.length > 0, 'tokens were issued');
  const assertions = s.sim.requests
    .filter((q) => q.path === '/oauth2/v1/token')
    .map((q) => new URLSearchParams(String(q.body)).get('client_assertion') ?? '');
  assert.ok(assertions.length > 0 && assertions.every((a) => a.length > 100));
  assert.ok(
    runs.some((r) => /GET|POST/.test(r.stderr)),
    'the verbose log was written (the check is not vacuous)',
  );
  const forms = secretForms;
  // The key's base64 body, line by line (any line of it is part of the key).
  const keyLines = s.sim.privateKeyPem.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));
  const needles = [
    ...forms(s.sim.apiToken),
    ...tokens.flatMap(forms),
    ...assertions.flatMap(forms),
    ...keyLines,
  ];
  assert.ok(existsSync(s.audit), 'the audit log was written');
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(s.audit, 'utf8')];
  for (const text of texts)
    for (const needle of needles)
      assert.equal(text.includes(needle), false, `leaked: ${needle.slice(0, 6)}…`);
});

test('iam brands lists Okta and every one of its settings', async () => {
  const r = await runIam(['brands'], { cwd: dir.path });
  assert.equal(r.code, 0, r.stderr);
  const at = r.stdout.indexOf('Okta');
  assert.ok(at >= 0, r.stdout);
  for (const setting of ['orgUrl', 'token', 'clientId', 'privateKey', 'keyId', 'scopes'])
    assert.ok(r.stdout.slice(at).includes(setting), setting);
});
