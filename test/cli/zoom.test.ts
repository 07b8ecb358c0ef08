// `iam` as a process against the Zoom simulator (test/servers/zoom/, built from Zoom's published
// reference): a batch through a token that expires mid-run, a dry run checked on the simulator's
// request log, delete-user's disassociate/delete, and no client secret or access token in any output.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { startZoomSimulator, type ZoomSimulator, type ZoomSimulatorOptions } from '../servers/zoom/server.js';
import { joinerBatch, joinerRows } from '../support/joiner-batch.js';
import { type IamRun, runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';

const dir = tempDir('iam-zoom-cli-');
after(() => dir.cleanup());
/**
 * Letters and digits, as Zoom's client secrets are: Zoom's reference sends them raw in the Basic pair,
 * while the OAuth kit form-encodes them first (RFC 6749 2.3.1); both agree only on such secrets.
 */
const SECRET = 'Zs3cr3tK9xVq2Lm8Rt4Wp7Yb1Nc6Hd0F';

let n = 0;
interface Setup {
  sim: ZoomSimulator;
  config: string;
  audit: string;
}

/** A simulator and a config: `zoom` (allowDelete), `zoomdel` (deleteAction: delete), `nocreate` (createIfNotExists off). */
async function setup(options: ZoomSimulatorOptions = {}): Promise<Setup> {
  const sim = await startZoomSimulator({ rateLimits: false, clientSecret: SECRET, ...options });
  after(() => sim.close());
  n += 1;
  const instance = (extra: string) =>
    `    brand: Zoom\n    baseUrl: ${sim.url}\n    tokenUrl: ${sim.tokenUrl}\n` +
    `    accountId: ${sim.credentials.accountId}\n    clientId: ${sim.credentials.clientId}\n` +
    `    clientSecret: \${env:ZOOM_SECRET}\n    createAction: autoCreate\n    allowDelete: true\n${extra}`;
  const config = join(dir.path, `iam-${n}.yaml`);
  writeFileSync(
    config,
    `instances:\n  zoom:\n${instance('')}  zoomdel:\n${instance('    deleteAction: delete\n')}` +
      `  nocreate:\n${instance('    createIfNotExists: false\n')}`,
  );
  return { sim, config, audit: join(dir.path, `audit-${n}.log`) };
}

/** Async spawn: the simulator lives in this process and must keep answering. */
function iam(s: Setup, args: string[], config = true): Promise<IamRun> {
  return runIam([...args, ...(config ? ['--config', s.config] : [])], {
    cwd: dir.path,
    env: { IAM_AUDIT_LOG: s.audit, ZOOM_SECRET: SECRET },
  });
}

const user = (s: Setup, args: string[], profile: Record<string, unknown>) =>
  iam(s, [...args, '--output', 'json', '--user-profile', JSON.stringify(profile)]);

test('a batch of 50 create-user through a token that expires mid-batch: refreshed, every record succeeds', async () => {
  const s = await setup({ expiresIn: 1, latencyMs: 40 });
  const rows = joinerRows();
  await joinerBatch((args) => iam(s, args), { dir: dir.path, instance: 'zoom', rows });
  const grants = s.sim.requests.filter((q) => q.path === '/oauth/token').length;
  assert.ok(grants > 1, `the token was fetched again (${grants} grants)`);
  for (const row of rows) assert.ok(s.sim.store.findUser(row.email), row.email);
});

test('--dry-run update, disable and delete read the user and send no write to Zoom', async () => {
  const s = await setup();
  const made = await user(s, ['create-user', '--instance', 'zoom'], {
    email: 'ada@example.com',
    givenname: 'Ada',
    title: 'Engineer',
  });
  assert.equal(made.vendors[0]?.success, true, made.stdout + made.stderr);
  const before = JSON.stringify(s.sim.store.findUser('ada@example.com'));
  s.sim.requests.length = 0;
  const runs = [
    await user(s, ['update-user', '--instance', 'zoom', '--dry-run'], {
      email: 'ada.new@example.com',
      title: 'CTO',
      olduserdata: { email: 'ada@example.com' },
    }),
    await user(s, ['disable-user', '--instance', 'zoom', '--dry-run'], { email: 'ada@example.com' }),
    await user(s, ['delete-user', '--instance', 'zoomdel', '--dry-run'], { email: 'ada@example.com' }),
  ];
  for (const [i, run] of runs.entries()) {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.vendors[0]?.success, true, `${i}: ${run.stdout}`);
    assert.equal(run.vendors[0]?.id, made.vendors[0]?.id, `${i}: the user was found`);
  }
  const seen = s.sim.requests.map((q) => `${q.method} ${q.path}`);
  assert.ok(
    seen.some((q) => q.startsWith('GET /v2/users/')),
    'the user was read',
  );
  assert.deepEqual(
    seen.filter((q) => !q.startsWith('GET /v2/') && q !== 'POST /oauth/token'),
    [],
    'only reads and token requests reached Zoom',
  );
  assert.equal(JSON.stringify(s.sim.store.findUser('ada@example.com')), before, 'nothing changed');
  assert.deepEqual(s.sim.store.removed, []);
});

test('delete-user with allowDelete: disassociates by default; deleteAction delete deletes', async () => {
  const s = await setup();
  for (const email of ['leaver1@example.com', 'leaver2@example.com']) {
    const made = await user(s, ['create-user', '--instance', 'zoom'], { email });
    assert.equal(made.vendors[0]?.success, true, made.stdout + made.stderr);
  }
  const one = await user(s, ['delete-user', '--instance', 'zoom'], { email: 'leaver1@example.com' });
  const two = await user(s, ['delete-user', '--instance', 'zoomdel'], { email: 'leaver2@example.com' });
  for (const [run, action] of [
    [one, 'disassociate'],
    [two, 'delete'],
  ] as const) {
    assert.equal(run.code, 0, run.stderr);
    const v = run.vendors[0] ?? {};
    assert.deepEqual([v.action, v.success, v.active], ['delete', true, null], run.stdout);
    assert.deepEqual((v.details as Record<string, unknown>)?.action, action);
  }
  assert.deepEqual(
    s.sim.store.removed.map((r) => [r.email, r.action]),
    [
      ['leaver1@example.com', 'disassociate'],
      ['leaver2@example.com', 'delete'],
    ],
  );
  const gone = await user(s, ['get-user', '--instance', 'zoom'], { email: 'leaver1@example.com' });
  assert.deepEqual([gone.vendors[0]?.errorCode, gone.vendors[0]?.errorMessage], [404, 'User does not exist']);
});

test('--verbose and the audit log: no client secret and no access token, in any encoding', async () => {
  const s = await setup({ expiresIn: 1 });
  const runs: IamRun[] = [];
  const run = async (args: string[], profile: Record<string, unknown>) => {
    const r = await user(s, [...args, '--verbose'], profile);
    runs.push(r);
    return r;
  };
  await run(['create-user', '--instance', 'zoom'], { email: 'v1@example.com', givenname: 'Vee' });
  await run(['create-user', '--instance', 'zoom'], { email: 'v2@example.com', department: 'Ops' });
  // An app error (the email is in use) goes through the error path too.
  const refused = await run(['update-user', '--instance', 'zoom'], {
    email: 'v1@example.com',
    olduserdata: { email: 'v2@example.com' },
  });
  assert.deepEqual([refused.vendors[0]?.success, refused.vendors[0]?.errorCode], [false, 409]);
  await run(['disable-user', '--instance', 'zoom'], { email: 'v2@example.com' });
  await run(['delete-user', '--instance', 'zoom'], { email: 'v2@example.com' });
  const test = await iam(s, ['test', '--instance', 'zoom', '--verbose']);
  runs.push(test);
  assert.equal(test.code, 0, test.stderr);

  const tokens = s.sim.oauth.issuedTokens;
  assert.ok(tokens.length > 0, 'tokens were issued');
  assert.ok(
    runs.some((r) => /POST|GET|request/i.test(r.stderr)),
    'the verbose log was written (the check below is not vacuous)',
  );
  const { clientId } = s.sim.credentials;
  const forms = secretForms;
  const needles = [...forms(SECRET), ...forms(`${clientId}:${SECRET}`).slice(1), ...tokens.flatMap(forms)];
  assert.ok(existsSync(s.audit), 'the audit log was written');
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(s.audit, 'utf8')];
  for (const text of texts) {
    for (const needle of needles)
      assert.equal(text.includes(needle), false, `leaked: ${needle.slice(0, 4)}…`);
  }
});

test('a token request is not a write: no audit intent for it, and `iam audit verify` finds none unanswered', async () => {
  const s = await setup();
  const made = await user(s, ['create-user', '--instance', 'zoom'], { email: 'aud@example.com' });
  assert.equal(made.vendors[0]?.success, true, made.stdout + made.stderr);
  const lines = readFileSync(s.audit, 'utf8').trim().split('\n');
  assert.deepEqual(
    lines.filter((l) => l.includes('oauth/token')),
    [],
    'the token request is not in the audit log',
  );
  const verify = await iam(s, ['audit', 'verify', s.audit], false);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

test('the section 3 rows through the CLI on Zoom: get, create, update, enable, disable, delete', async () => {
  const s = await setup();
  const ask = async (command: string, profile: Record<string, unknown>, extra: string[] = []) => {
    const r = await user(s, [command, '--instance', 'zoom', ...extra], profile);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal(r.vendors.length, 1, r.stdout + r.stderr);
    return r.vendors[0] as Record<string, unknown>;
  };
  const row = (v: Record<string, unknown>, keys: string[]) => keys.map((k) => v[k]);
  const ann = { email: 'ann@example.com', givenname: 'Ann', surname: 'Lee' };
  assert.deepEqual(row(await ask('get-user', ann), ['success', 'errorCode', 'errorMessage']), [
    false,
    404,
    'User does not exist',
  ]);
  const none = await ask('get-user', { title: 'CTO' });
  assert.match(String(none.errorMessage), /give one of id, email$/);
  const made = await ask('create-user', ann);
  assert.deepEqual(row(made, ['action', 'success', 'active', 'username']), [
    'create',
    true,
    true,
    'ann@example.com',
  ]);
  const again = await ask('create-user', { ...ann, title: 'Lead' });
  assert.deepEqual(row(again, ['action', 'success', 'id']), ['update', true, made.id]);
  assert.equal(s.sim.store.findUser('ann@example.com')?.profile.job_title, 'Lead');
  const got = await ask('get-user', { id: made.id });
  assert.deepEqual(row(got, ['success', 'id', 'email', 'active']), [true, made.id, 'ann@example.com', true]);
  assert.deepEqual(row(await ask('enable-user', ann), ['skipped', 'reason']), [
    true,
    'User is already enabled.',
  ]);
  assert.deepEqual(row(await ask('disable-user', ann), ['action', 'success', 'active']), [
    'disable',
    true,
    false,
  ]);
  assert.deepEqual(row(await ask('disable-user', ann), ['skipped', 'reason']), [
    true,
    'User is already disabled.',
  ]);
  // Update of an inactive user with allow-enable: enabled first, then updated.
  const up = await ask('update-user', { ...ann, department: 'Ops' }, ['--allow-enable', 'true']);
  assert.deepEqual(row(up, ['action', 'success', 'active']), ['update', true, true]);
  assert.deepEqual(
    [s.sim.store.findUser('ann@example.com')?.status, s.sim.store.findUser('ann@example.com')?.profile.dept],
    ['active', 'Ops'],
  );
  // A rename: found by the old email, changed through PUT /users/{id}/email, same id.
  const moved = await ask('update-user', { ...ann, email: 'ann.lee@example.com', olduserdata: ann });
  assert.deepEqual(row(moved, ['action', 'success', 'id', 'email']), [
    'update',
    true,
    made.id,
    'ann.lee@example.com',
  ]);
  const bob = { email: 'bob@example.com' };
  assert.deepEqual(row(await ask('enable-user', bob), ['skipped', 'reason']), [true, 'User does not exist']);
  assert.deepEqual(row(await ask('disable-user', bob), ['skipped', 'reason']), [true, 'User does not exist']);
  assert.equal(s.sim.store.findUser('bob@example.com'), undefined, 'enable never creates');
  const off = (await user(s, ['update-user', '--instance', 'nocreate'], bob)).vendors[0] ?? {};
  assert.deepEqual(row(off, ['action', 'skipped', 'reason']), ['update', true, 'User does not exist']);
  const created = await ask('update-user', bob);
  assert.deepEqual(row(created, ['action', 'success']), ['create', true]);
  assert.deepEqual(row(await ask('delete-user', { email: 'nobody@example.com' }), ['skipped', 'reason']), [
    true,
    'User does not exist',
  ]);
});
