// The SCIM brand's `auth` setting through the CLI (issue 12): HTTP Basic and an API key header
// against the test SCIM server set to accept only those; a wrong password answered 401 with a
// clear record; token and auth both or neither is a config error naming the key; no credential,
// nor the Basic pair's base64, in any output, debug log or audit line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { startScimServer } from '../servers/scim-server.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-scim-auth-');
after(() => dir.cleanup());
const USER = 'svc-iam';
const PASSWORD = 'Pa55-w0rd-for-basic';
const KEY = 'k3y-value-4-the-api';
let n = 0;

function config(body: string): string {
  n += 1;
  const path = join(dir.path, `iam-${n}.yaml`);
  writeFileSync(path, `instances:\n  app:\n    brand: SCIM\n${body}`, { mode: 0o600 });
  return path;
}
const iam = (args: string[], cfg: string, env: Record<string, string> = {}) =>
  runIam([...args, '--config', cfg], {
    cwd: dir.path,
    env: { IAM_AUDIT_LOG: join(dir.path, 'audit.log'), ...env },
  });

test('HTTP Basic: the user is created; a wrong password is a 401 record; no credential in any output', async () => {
  const server = await startScimServer({ auth: { basic: { username: USER, password: PASSWORD } } });
  after(() => server.close());
  const good = config(
    `    baseUrl: ${server.url}\n    auth:\n      type: basic\n      username: ${USER}\n      password: \${env:PW}\n`,
  );
  const made = await iam(
    [
      'create-user',
      '--instance',
      'app',
      '--output',
      'json',
      '--verbose',
      '--user-profile',
      '{"username":"ann"}',
    ],
    good,
    { PW: PASSWORD },
  );
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.vendors[0]?.success, true);
  assert.equal(server.users().length, 1);
  const wrong = await iam(
    ['get-user', '--instance', 'app', '--output', 'json', '--user-profile', '{"username":"ann"}'],
    good,
    { PW: 'not-the-password' },
  );
  assert.notEqual(wrong.code, 0);
  assert.equal(wrong.vendors[0]?.success, false);
  assert.equal(wrong.vendors[0]?.errorCode, 401);
  const pair = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  const seen = [
    made.stdout,
    made.stderr,
    wrong.stdout,
    wrong.stderr,
    readFileSync(join(dir.path, 'audit.log'), 'utf8'),
  ];
  for (const text of seen) {
    for (const secret of [PASSWORD, pair, 'not-the-password'])
      assert.equal(text.includes(secret), false, secret);
  }
});

test('an API key in a named header', async () => {
  const server = await startScimServer({ auth: { apiKey: { header: 'x-api-key', value: KEY } } });
  after(() => server.close());
  const cfg = config(
    `    baseUrl: ${server.url}\n    auth:\n      type: apiKey\n      header: X-API-Key\n      key: \${env:KEY}\n`,
  );
  const r = await iam(
    ['create-user', '--instance', 'app', '--output', 'json', '--user-profile', '{"username":"bo"}'],
    cfg,
    {
      KEY,
    },
  );
  assert.equal(r.vendors[0]?.success, true, r.stdout + r.stderr);
  assert.equal(server.requests.at(-1)?.headers?.['x-api-key'] === undefined, false);
  assert.equal(r.stdout.includes(KEY) || r.stderr.includes(KEY), false);
});

test('token and auth both, or neither: one line naming the setting, exit 2, nothing sent', async () => {
  for (const [body, expected] of [
    [
      '    baseUrl: http://127.0.0.1:9/scim\n    token: abc\n    auth:\n      type: bearer\n      token: def\n',
      /key "token": expected token \(a Bearer token\) or auth, one of them$/,
    ],
    // Not "token is required": auth would do as well.
    [
      '    baseUrl: http://127.0.0.1:9/scim\n',
      /key "token": expected token \(a Bearer token\) or auth, one of them$/,
    ],
    [
      '    baseUrl: http://127.0.0.1:9/scim\n    auth:\n      type: digest\n',
      /key "auth.type": expected type bearer, basic or apiKey$/,
    ],
  ] as const) {
    const r = await iam(
      ['get-user', '--instance', 'app', '--user-profile', '{"username":"x"}'],
      config(body),
    );
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', expected);
    assert.equal(/abc|def/.test(r.stderr), false, 'no secret value quoted');
  }
});
