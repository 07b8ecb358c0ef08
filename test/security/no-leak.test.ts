// The "done when" test of "no secret ever leaks": every command of the built `iam` (user commands,
// group commands, test, get-mapping-fields, instances, batch), with debug logging on and an audit
// log, against an app that echoes the token back in its error bodies, its success bodies and its
// response headers; the token given literally, through ${env:} and through ${file:}. Then stdout,
// stderr (the debug log), and the audit file are searched for the token, its base64 forms and the
// password sent on create: none may appear. The app also echoes the token inside a Basic credential,
// as hex and percent-encoded in both cases, and the request URL; instances carry credentials in
// their baseUrl (`user:password@`, `?api_key=`) and one goes through the app as a forward proxy
// (`proxy: true`, HTTP_PROXY with a password), which echoes the proxy credentials back. None of
// these may appear either, in any form.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { BIN, type CliRun, type LeakyServer, logLines, runIam, startLeakyServer } from './leaky-server.js';

// '/', '+' and '=' so that percent-encoding changes it.
const TOKEN = `scim_${randomBytes(18).toString('hex')}/${randomBytes(3).toString('hex')}+x=`;
const PASSWORD = `Pw-${randomBytes(9).toString('hex')}`;
const BASE_USER = `svc-${randomBytes(4).toString('hex')}`;
const BASE_PASSWORD = `Bp/${randomBytes(9).toString('hex')}:`;
const API_KEY = `ak${randomBytes(12).toString('hex')}`;
const PROXY_PASSWORD = `Px@${randomBytes(9).toString('hex')}/`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hex = (s: string) => Buffer.from(s).toString('hex');
/** Base64 of a secret at byte offset 0, 1 or 2 of a longer string, without the edge characters. */
const inner64 = (s: string) =>
  [0, 1, 2].map((k) =>
    b64(`${'\0'.repeat(k)}${s}`)
      .replace(/=+$/, '')
      .slice(4, -4),
  );
const percent = (s: string) => [encodeURIComponent(s), encodeURIComponent(s).toLowerCase()];
const FORBIDDEN = [
  TOKEN,
  // A cut inside the token (the debug log's 8 KiB cut) must not leave all of it but the end.
  TOKEN.slice(0, -1),
  b64(TOKEN),
  b64(TOKEN).replace(/=+$/, ''),
  Buffer.from(TOKEN).toString('base64url'),
  ...inner64(TOKEN),
  hex(TOKEN),
  hex(TOKEN).toUpperCase(),
  ...percent(TOKEN),
  PASSWORD,
  BASE_USER,
  BASE_PASSWORD,
  ...percent(BASE_PASSWORD),
  API_KEY,
  PROXY_PASSWORD,
  ...percent(PROXY_PASSWORD),
  ...inner64(PROXY_PASSWORD),
];

const home = tempDir('iam-no-leak-');
after(() => home.cleanup());

describe('no secret leaks from any command (built CLI, debug on, echoing app)', () => {
  let server: LeakyServer;
  const runs: { args: string[]; run: CliRun }[] = [];
  const audit = join(home.path, 'audit.log');

  before(async () => {
    assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build first`);
    server = await startLeakyServer(TOKEN);
    // The app is also the forward proxy of `viaproxy` (absolute-URI requests, Proxy-Authorization).
    env.HTTP_PROXY = `http://iam:${encodeURIComponent(PROXY_PASSWORD)}@${new URL(server.url).host}`;
    const tokenFile = join(home.path, 'scim-token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const url = server.url;
    // 0644 on purpose: the permission warning must not leak what it warns about.
    writeFileSync(
      join(home.path, 'iam.yaml'),
      `instances:
  literal:
    brand: SCIM
    baseUrl: ${url}
    token: ${TOKEN}
    mappers:
      outgoing:
        - { app: userName, profile: [username, email] }
        - { app: 'emails[type eq "work"].value', profile: email, with: { primary: true } }
        - { app: title, profile: title }
        - { app: password, profile: password, on: create, direction: out }
  env:
    brand: SCIM
    baseUrl: ${url}
    token: \${env:IAM_TEST_TOKEN}
  file:
    brand: SCIM
    baseUrl: ${url}
    token: \${file:${tokenFile}}
  wrong:
    brand: SCIM
    baseUrl: ${url}
    token: ${TOKEN}-wrong
  userinfo:
    brand: SCIM
    baseUrl: ${url.replace('://', `://${BASE_USER}:${encodeURIComponent(BASE_PASSWORD)}@`)}
    token: \${env:IAM_TEST_TOKEN}
  apikey:
    brand: SCIM
    baseUrl: ${url}?api_key=${API_KEY}
    token: \${env:IAM_TEST_TOKEN}
  viaproxy:
    brand: SCIM
    baseUrl: ${url}
    token: \${env:IAM_TEST_TOKEN}
    proxy: true
`,
      { mode: 0o644 },
    );
    writeFileSync(
      join(home.path, 'joiners.jsonl'),
      [
        { username: 'bea', email: 'bea@example.com', password: PASSWORD },
        { username: 'reject.batch', email: 'rb@example.com' },
        { username: 'jdoe', title: 'Batch title' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
  });
  after(() => server.close());

  const env: Record<string, string> = { IAM_TEST_TOKEN: TOKEN, IAM_LOG_LEVEL: 'debug', IAM_AUDIT_LOG: audit };
  const iam = async (...args: string[]) => {
    const run = await runIam([...args, '--output', 'json'], home.path, env);
    runs.push({ args, run });
    return run;
  };
  const all = (...args: string[]) => iam(...args, '--all-instances');
  const firstId = (run: CliRun, key: string): string => {
    for (const line of run.lines) {
      const rec = (key === 'IAM' ? (line.IAM as Record<string, unknown>)?.Vendor : line[key]) as
        | Record<string, unknown>
        | undefined;
      if (typeof rec?.id === 'string' && rec.id !== '') return rec.id;
    }
    return 'none';
  };

  test('every command runs', async () => {
    await all('test');
    await iam('test', '--instance', 'wrong', '--verbose');
    await all('get-mapping-fields');
    await runIam(['instances', '--output', 'json'], home.path, env).then((run) =>
      runs.push({ args: ['instances'], run }),
    );
    const created = await all(
      'create-user',
      '--user-profile',
      JSON.stringify({ username: 'jdoe', email: 'jdoe@example.com', password: PASSWORD }),
    );
    const userId = firstId(created, 'IAM');
    await all('create-user', '--user-profile', '{"username":"reject.me","email":"r@example.com"}');
    await all('get-user', '--user-profile', '{"username":"jdoe"}');
    await all('get-user', '--user-profile', '{"id":"missing-id"}');
    await all('update-user', '--user-profile', '{"username":"jdoe","title":"CTO"}', '--verbose');
    await all('update-user', '--user-profile', '{"username":"jdoe","title":"CEO"}', '--dry-run');
    await all('disable-user', '--user-profile', '{"username":"jdoe"}');
    await all('enable-user', '--user-profile', `{"id":"${userId}"}`);
    await all('disable-user', '--user-profile', '{"username":"jdoe"}', '--dry-run');
    await all('enable-user', '--user-profile', '{"id":"missing-id"}');
    const group = await all('create-group', '--scim', '{"displayName":"Eng"}');
    const groupId = firstId(group, 'CreateGroup');
    await all('get-group', '--scim', `{"id":"${groupId}"}`, '--include-members', 'yes');
    await all('get-group', '--scim', '{"id":"missing-group"}');
    await all('update-group', '--scim', `{"id":"${groupId}"}`, '--member-ids-to-add', userId);
    await all('update-group', '--scim', `{"id":"${groupId}"}`, '--member-ids-to-add', 'no-such-user');
    await all('delete-group', '--scim', `{"id":"${groupId}"}`, '--dry-run');
    await all('delete-group', '--scim', `{"id":"${groupId}"}`);
    await iam('batch', 'create-user', '--input', 'joiners.jsonl', '--all-instances', '--verbose');
    await iam('batch', 'disable-user', '--input', 'joiners.jsonl', '--instance', 'literal', '--dry-run');
    for (const { args, run } of runs) {
      assert.notEqual(run.code, 2, `${args.join(' ')}: ${run.stderr.split('\n').slice(-3).join('\n')}`);
    }
  });

  test('the token in every form, the password and URL and proxy credentials appear nowhere: stdout, stderr, debug log, audit log', () => {
    assert.ok(runs.length >= 20, 'the commands ran');
    const outputs = [
      ...runs.map(({ args, run }) => ({ where: `stdout of ${args.join(' ')}`, text: run.stdout })),
      ...runs.map(({ args, run }) => ({ where: `stderr of ${args.join(' ')}`, text: run.stderr })),
      { where: audit, text: readFileSync(audit, 'utf8') },
    ];
    for (const { where, text } of outputs) {
      for (const secret of FORBIDDEN) {
        const at = text.indexOf(secret);
        assert.equal(at, -1, `${where} leaks a secret: …${text.slice(Math.max(0, at - 80), at + 20)}…`);
      }
    }
  });

  test('the test had something to catch: the app echoed, the debug log and errors show [REDACTED]', () => {
    assert.ok(server.echoes > 50, `the app echoed the token ${server.echoes} times`);
    const stderr = runs.map((r) => r.run.stderr).join('\n');
    const debug = logLines(stderr);
    assert.ok(debug.filter((l) => l.msg === 'http response').length > 50, 'HTTP answers were logged');
    assert.match(stderr, /"x-echo-token":"\[REDACTED\]"/);
    assert.match(stderr, /"set-cookie":"\[REDACTED\]"/);
    assert.match(stderr, /"password":"\[REDACTED\]"/, 'the password sent on create was logged, redacted');
    assert.match(stderr, /iam: warning: config file .* key "token"/);
    const stdout = runs.map((r) => r.run.stdout).join('\n');
    assert.match(stdout, /refused \(token \[REDACTED\], base64 \[REDACTED\]\)/);
    assert.match(stderr, /"x-echo-basic":"\[REDACTED\]"/);
    assert.match(stderr, /"x-echo-hex":"\[REDACTED\]"/);
    assert.match(
      stdout,
      /basic \[REDACTED\], hex \[REDACTED\], HEX \[REDACTED\], pct \[REDACTED\], PCT \[REDACTED\]/,
    );
    for (const name of ['userinfo', 'apikey']) {
      const warned = new RegExp(`iam: warning: instance "${name}": baseUrl carries credentials`, 'g');
      const runsWarned = runs.filter((r) => (r.run.stderr.match(warned) ?? []).length === 1);
      assert.ok(runsWarned.length >= 15, `${name}: warned once in each run that used it`);
    }
    // The proxy was used, with its password, and the app echoed it back.
    assert.ok(server.requests.some((r) => String(r.headers['proxy-authorization']).startsWith('Basic ')));
    assert.match(stdout, /proxy iam:\[REDACTED\]/);
    assert.ok(
      server.requests.some((r) => String(r.query.api_key).startsWith(API_KEY)),
      'the api key reached the app',
    );
    const auditLines = readFileSync(audit, 'utf8').trim().split('\n');
    assert.ok(auditLines.length >= 40, `${auditLines.length} audit lines`);
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Users'));
    assert.ok(
      posts.some((r) => (r.body as Record<string, unknown>).password === PASSWORD),
      'the password did reach the app',
    );
  });
});
