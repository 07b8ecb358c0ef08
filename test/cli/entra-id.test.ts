// `iam` as a process against the Microsoft Graph simulator (test/servers/entra-id/, built from
// Microsoft's published reference): a batch through 1-second tokens, the certificate (signed client
// assertion) path, and no client secret, private key, assertion, access token or generated password
// in any output, verbose log or audit line, in any encoding.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import {
  type EntraSimulator,
  type EntraSimulatorOptions,
  startEntraSimulator,
} from '../servers/entra-id/server.js';
import { joinerBatch, joinerRows } from '../support/joiner-batch.js';
import { type IamRun, runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';

const dir = tempDir('iam-entra-cli-');
after(() => dir.cleanup());
const SECRET = 'Qx8~vT2.abC-9dEf_GhIjK1LmN0pQrS4tUvWx';

/** A self-signed certificate and its PKCS#8 key, made now with openssl (nothing committed). */
function makeCert(name: string): { cert: string; key: string; certFile: string; keyFile: string } {
  const keyFile = join(dir.path, `${name}.key`);
  const certFile = join(dir.path, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

let n = 0;
interface Setup {
  sim: EntraSimulator;
  config: string;
  audit: string;
}

async function setup(
  options: EntraSimulatorOptions = {},
  certKeyFile?: string,
  certFile?: string,
): Promise<Setup> {
  const sim = await startEntraSimulator({ clientSecret: SECRET, ...options });
  after(() => sim.close());
  n += 1;
  const common =
    `    brand: Entra-ID\n    authorityUrl: ${sim.authorityUrl}\n    graphUrl: ${sim.graphUrl}\n` +
    `    tenantId: ${sim.credentials.tenantId}\n    clientId: ${sim.credentials.clientId}\n` +
    `    domain: contoso.com\n    allowDelete: true\n`;
  let text = `instances:\n  entra:\n${common}    clientSecret: \${env:ENTRA_SECRET}\n`;
  if (certKeyFile && certFile) {
    text += `  entracert:\n${common}    certificate: \${file:${certFile}}\n    privateKey: \${file:${certKeyFile}}\n`;
  }
  const config = join(dir.path, `iam-${n}.yaml`);
  writeFileSync(config, text);
  return { sim, config, audit: join(dir.path, `audit-${n}.log`) };
}

function iam(s: Setup, args: string[]): Promise<IamRun> {
  return runIam([...args, '--config', s.config], {
    cwd: dir.path,
    env: { IAM_AUDIT_LOG: s.audit, ENTRA_SECRET: SECRET },
  });
}
const user = (s: Setup, args: string[], profile: Record<string, unknown>) =>
  iam(s, [...args, '--output', 'json', '--user-profile', JSON.stringify(profile)]);

test('a batch of 50 create-user through 1-second tokens: refreshed, every record succeeds', async () => {
  const s = await setup({ expiresIn: 1, latencyMs: 40 });
  const rows = joinerRows((i) => ({ username: `joiner${i}`, givenname: 'Joe', surname: `Iner${i}` }));
  await joinerBatch((args) => iam(s, args), { dir: dir.path, instance: 'entra', rows });
  const grants = s.sim.requests.filter((q) => q.path.endsWith('/oauth2/v2.0/token')).length;
  assert.ok(grants > 1, `the token was fetched again (${grants} grants)`);
  for (const row of rows) assert.ok(s.sim.dir.findUser(`${row.username}@contoso.com`), row.username);
});

test('--verbose and the audit log: no secret, key, assertion, token or generated password, in any encoding', async () => {
  const cert = makeCert('entra-app');
  const s = await setup({ expiresIn: 2, certificate: cert.cert }, cert.keyFile, cert.certFile);
  const runs: IamRun[] = [];
  const run = async (args: string[], profile: Record<string, unknown>) => {
    const r = await user(s, [...args, '--verbose'], profile);
    runs.push(r);
    return r;
  };
  for (const inst of ['entra', 'entracert']) {
    const made = await run(['create-user', '--instance', inst], { username: `v-${inst}`, givenname: 'Vee' });
    assert.equal(made.vendors[0]?.success, true, made.stdout + made.stderr);
    await run(['create-user', '--instance', inst], { username: `w-${inst}`, password: 'Given-Pa55word!x' });
    const refused = await run(['update-user', '--instance', inst], {
      username: `v-${inst}`,
      olduserdata: { username: `w-${inst}` },
    });
    assert.deepEqual([refused.vendors[0]?.success, refused.vendors[0]?.errorCode], [false, 409]);
    await run(['disable-user', '--instance', inst], { username: `w-${inst}` });
    await run(['delete-user', '--instance', inst], { username: `w-${inst}` });
    const t = await iam(s, ['test', '--instance', inst, '--verbose']);
    runs.push(t);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, inst === 'entracert' ? /certificate/ : /client secret/);
  }
  assert.ok(s.sim.tokens.assertions.length > 0, 'the certificate path was used');
  assert.ok(
    runs.some((r) => /POST|GET|request/i.test(r.stderr)),
    'the verbose log was written',
  );
  const forms = secretForms;
  const passwords = [...s.sim.dir.users.values(), ...s.sim.dir.deletedUsers.values()].map((u) => u.password);
  const keyBody = cert.key.split('\n').filter((l) => l && !l.startsWith('-----'));
  const needles = [
    ...forms(SECRET),
    ...s.sim.tokens.issued.flatMap(forms),
    ...s.sim.tokens.assertions.flatMap(forms),
    ...passwords.flatMap(forms),
    ...keyBody,
  ];
  assert.ok(existsSync(s.audit), 'the audit log was written');
  const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(s.audit, 'utf8')];
  for (const text of texts) {
    for (const needle of needles)
      assert.equal(text.includes(needle), false, `leaked: ${needle.slice(0, 4)}…`);
  }
});

test('a wrong client secret, and an assertion signed by a key the app does not know: one line each, what to check', async () => {
  const cert = makeCert('entra-registered');
  const other = makeCert('entra-other');
  const s = await setup(
    { certificate: cert.cert, clientSecret: 'not-the-secret-0000' },
    other.keyFile,
    other.certFile,
  );
  const bad = await user(s, ['get-user', '--instance', 'entra'], { username: 'x' });
  assert.equal(bad.vendors[0]?.success, false);
  assert.match(
    String(bad.vendors[0]?.errorMessage),
    /AADSTS7000215: Invalid client secret provided.*check clientId\/clientSecret/,
  );
  assert.equal(bad.stdout.includes(SECRET), false);
  const wrongKey = await user(s, ['get-user', '--instance', 'entracert'], { username: 'x' });
  assert.equal(wrongKey.vendors[0]?.success, false);
  assert.match(String(wrongKey.vendors[0]?.errorMessage), /AADSTS700027.*check clientId, the certificate/);
  assert.equal(String(wrongKey.vendors[0]?.errorMessage).includes('\n'), false);
});
