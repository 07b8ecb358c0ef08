// `iam` as a process against the ServiceNow simulator (test/servers/servicenow/, built from the
// Table API reference): a batch of create-user, a username carrying ^OR refused in a batch without
// touching anyone, and no password, Basic pair, client secret or access token in any output.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { type SnowSimulator, startServiceNowSimulator } from '../servers/servicenow/server.js';
import { type IamRun, runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';

const dir = tempDir('iam-snow-cli-');
after(() => dir.cleanup());
const PASSWORD = 'Pw7-sn0w:Qx9vL2mK8rT4';
const SECRET = 'Cs3cr3tR7wQ2pL9mN4vB8xZ1';

let n = 0;
interface Setup {
  sim: SnowSimulator;
  config: string;
  audit: string;
}

/** A simulator and a config with `basic` (HTTP Basic) and `oauth` (client credentials) instances. */
async function setup(): Promise<Setup> {
  const sim = await startServiceNowSimulator({ password: PASSWORD, clientSecret: SECRET, expiresIn: 1 });
  after(() => sim.close());
  n += 1;
  const config = join(dir.path, `iam-${n}.yaml`);
  const { username, clientId } = sim.credentials;
  writeFileSync(
    config,
    'instances:\n' +
      `  basic:\n    brand: ServiceNow\n    instanceUrl: ${sim.url}\n    username: ${username}\n` +
      `    password: \${env:SNOW_PASSWORD}\n    allowDelete: true\n` +
      `  oauth:\n    brand: ServiceNow\n    instanceUrl: ${sim.url}\n    clientId: ${clientId}\n` +
      `    clientSecret: \${env:SNOW_SECRET}\n    allowDelete: true\n`,
  );
  return { sim, config, audit: join(dir.path, `audit-${n}.log`) };
}

function iam(s: Setup, args: string[]): Promise<IamRun> {
  return runIam([...args, '--config', s.config], {
    cwd: dir.path,
    env: { IAM_AUDIT_LOG: s.audit, SNOW_PASSWORD: PASSWORD, SNOW_SECRET: SECRET },
  });
}

function batchFile(name: string, rows: Record<string, unknown>[]): string {
  const file = join(dir.path, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

test('batch create-user of 40 through both instances: every record succeeds, each user is in sys_user', async () => {
  const s = await setup();
  for (const instance of ['basic', 'oauth']) {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      username: `${instance}.joiner${i}`,
      email: `${instance}.joiner${i}@example.com`,
      givenname: 'Joe',
      surname: `Iner${i}`,
    }));
    const input = batchFile(`${instance}.jsonl`, rows);
    const r = await iam(s, [
      'batch',
      'create-user',
      '--input',
      input,
      '--instance',
      instance,
      '--no-progress',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.vendors.length, 20);
    assert.ok(
      r.vendors.every((v) => v.success === true),
      JSON.stringify(r.vendors.find((v) => !v.success)),
    );
  }
  const names = s.sim.store.rows('sys_user').map((u) => u.user_name);
  assert.equal(names.length, 40);
  assert.ok(names.includes('oauth.joiner19') && names.includes('basic.joiner0'));
});

test('a batch with a username carrying ^OR: that row is refused, the others apply, admin is untouched', async () => {
  const s = await setup();
  const admin = s.sim.store.insert('sys_user', { user_name: 'admin', title: 'Administrator' });
  const input = batchFile('mixed.jsonl', [
    { username: 'ok.one', title: 'Eng' },
    { username: 'nobody^ORuser_name=admin', title: 'Owned' },
    { username: 'x^NQactive=true', title: 'Owned' },
  ]);
  const r = await iam(s, ['batch', 'update-user', '--input', input, '--instance', 'basic', '--no-progress']);
  assert.equal(r.vendors.length, 3, r.stderr);
  // Records come as commands finish (in parallel): matched by what they say, not by position.
  const ok = r.vendors.filter((v) => v.success === true);
  assert.deepEqual(
    ok.map((v) => v.username),
    ['ok.one'],
  );
  const refused = r.vendors.filter((v) => v.success === false).map((v) => String(v.errorMessage));
  assert.equal(refused.length, 2);
  for (const m of refused) assert.match(m, /user_name: .*"\^"/);
  assert.deepEqual(s.sim.store.get('sys_user', admin.sys_id as string), admin, 'admin unchanged');
  assert.equal(s.sim.store.rows('sys_user').length, 2, 'only ok.one was created');
});

test('--dry-run create, update, disable, delete and a member add read ServiceNow and send no write', async () => {
  const s = await setup();
  const ada = s.sim.store.insert('sys_user', { user_name: 'ada', first_name: 'Ada', title: 'Eng' });
  const group = s.sim.store.insert('sys_user_group', { name: 'Ops' });
  const before = JSON.stringify([...s.sim.store.tables.entries()]);
  const dry = (cmd: string, profile: Record<string, unknown>) =>
    iam(s, [
      cmd,
      '--instance',
      'basic',
      '--dry-run',
      '--output',
      'json',
      '--user-profile',
      JSON.stringify(profile),
    ]);
  const runs = [
    await dry('create-user', { username: 'new.one', email: 'new.one@example.com' }),
    await dry('update-user', { username: 'ada', title: 'Lead' }),
    await dry('disable-user', { username: 'ada' }),
    await dry('delete-user', { username: 'ada' }),
    await iam(s, [
      'update-group',
      '--instance',
      'basic',
      '--dry-run',
      '--output',
      'json',
      '--scim',
      JSON.stringify({ id: group.sys_id }),
      '--member-ids-to-add',
      String(ada.sys_id),
    ]),
  ];
  for (const r of runs) {
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.vendors[0]?.success ?? true, true, JSON.stringify(r.vendors[0]));
  }
  assert.deepEqual(
    s.sim.api().filter((q) => q.method !== 'GET'),
    [],
    'only reads reached ServiceNow',
  );
  assert.equal(JSON.stringify([...s.sim.store.tables.entries()]), before);
});

test('--verbose and the audit log: no password, Basic pair, client secret or access token, in any encoding', async () => {
  const s = await setup();
  const runs: IamRun[] = [];
  for (const instance of ['basic', 'oauth']) {
    const profile = JSON.stringify({ username: `v.${instance}`, email: `v.${instance}@example.com` });
    for (const cmd of ['create-user', 'disable-user', 'delete-user']) {
      runs.push(
        await iam(s, [
          cmd,
          '--instance',
          instance,
          '--verbose',
          '--output',
          'json',
          '--user-profile',
          profile,
        ]),
      );
    }
    runs.push(await iam(s, ['test', '--instance', instance, '--verbose']));
  }
  // A refused password goes through the error path too.
  const wrong = await runIam(
    [
      'get-user',
      '--instance',
      'basic',
      '--verbose',
      '--user-profile',
      '{"username":"x"}',
      '--config',
      s.config,
    ],
    {
      cwd: dir.path,
      env: { IAM_AUDIT_LOG: s.audit, SNOW_PASSWORD: `${PASSWORD}-old`, SNOW_SECRET: SECRET },
    },
  );
  runs.push(wrong);
  assert.match(wrong.stdout + wrong.stderr, /User Not Authenticated/);
  for (const r of runs.slice(0, -1)) assert.equal(r.code, 0, r.stderr);
  assert.ok(
    runs.some((r) => /GET|POST/.test(r.stderr)),
    'the verbose log was written (the check is not vacuous)',
  );
  const tokens = s.sim.oauth.issuedTokens;
  assert.ok(tokens.length > 0, 'tokens were issued');
  const forms = secretForms;
  const { username } = s.sim.credentials;
  const needles = [
    ...forms(PASSWORD),
    ...forms(`${PASSWORD}-old`),
    ...forms(`${username}:${PASSWORD}`).slice(1),
    ...forms(SECRET),
    ...tokens.flatMap(forms),
  ];
  assert.ok(existsSync(s.audit), 'the audit log was written');
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(s.audit, 'utf8')];
  for (const text of texts) {
    for (const needle of needles)
      assert.equal(text.includes(needle), false, `leaked: ${needle.slice(0, 4)}…`);
  }
});
