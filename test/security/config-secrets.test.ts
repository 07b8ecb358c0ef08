// Secrets the configuration holds outside the token: a configuration error names the file, the line
// and known key names, never what the user wrote (a mis-indented line can make a secret a key, a tag
// or an alias); credentials in baseUrl (`user:password@`, `?api_key=`) and the password of the proxy
// `proxy: true` takes from HTTP_PROXY/HTTPS_PROXY are secrets, redacted everywhere.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import { ConfigError } from '../../src/core/errors.js';
import { tempDir } from '../conformance/harness.js';
import { type LeakyServer, startLeakyServer } from './leaky-server.js';

const SECRET = 'Sk9fQm3xVr7tLw2pZ';
const dir = tempDir('iam-config-secrets-');
after(() => dir.cleanup());

/** The ConfigError a config file gives (fails the test when there is none). */
function configError(name: string, yaml: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, yaml, { mode: 0o600 });
  try {
    createIamClient({ configPath: path, env: {} });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail(`${name}: no configuration error`);
}

describe('configuration errors never quote a value', () => {
  const head = 'instances:\n  hr:\n    brand: SCIM\n    baseUrl: https://hr.example.com/scim/v2\n';

  test('`token:SECRET` (no space) is one unknown key: the line is named, not the key', () => {
    const m = configError('glued.yaml', `${head}    token:${SECRET}:\n`);
    assert.equal(m.includes(SECRET), false, m);
    assert.match(m, /glued\.yaml: instance "hr": unknown key at line 5 \(a space missing after "token:"\?\)/);
    assert.match(m, /SCIM settings are: baseUrl, token, auth, pageSize/);
    const flow = configError('flow.yaml', `instances:\n  hr: {brand: SCIM, token:${SECRET}}\n`);
    assert.equal(flow.includes(SECRET), false, flow);
    assert.match(flow, /unknown key at line 2/);
  });

  test('a typo is named by the known key it is close to', () => {
    const m = configError('typo.yaml', `${head}    tokn: ${SECRET}\n`);
    assert.equal(m.includes(SECRET) || m.includes('tokn'), false, m);
    assert.match(m, /unknown key at line 5 \(did you mean "token"\?\)/);
  });

  test('`!SECRET` (an unresolved tag) and `*SECRET` (an unresolved alias): line and column only', () => {
    const tag = configError('tag.yaml', `${head}    token: !${SECRET}\n`);
    assert.equal(tag.includes(SECRET), false, tag);
    assert.match(tag, /tag\.yaml: not valid YAML \(line 5, column 12: Unresolved tag .*\)$/);
    const alias = configError('alias.yaml', `${head}    token: *${SECRET}\n`);
    assert.equal(alias.includes(SECRET), false, alias);
    assert.match(alias, /alias\.yaml: not valid YAML \(line 5, column 12: an alias .*\)$/);
  });

  test('a line run into the next (`token:SECRET` alone), a secret as a brand, nested keys', () => {
    const run = configError('run.yaml', `${head}    token:${SECRET}\n    pageSize: 5\n`);
    assert.equal(run.includes(SECRET), false, run);
    assert.match(run, /not valid YAML \(line 5, column 5: .*\)$/);
    const brand = configError('brand.yaml', `instances:\n  hr:\n    brand: ${SECRET}\n`);
    assert.equal(brand.includes(SECRET), false, brand);
    assert.match(
      brand,
      /instance "hr": unknown brand at line 3 \(expected one of: SCIM, AWS-ILM, Local, Zoom, LDAP, Slack, GitHub\)/,
    );
    const nested = configError(
      'nested.yaml',
      `${head}    token: t0ken\n    rateLimit: {requestsPerSecond: 3, token:${SECRET}}\n`,
    );
    assert.equal(nested.includes(SECRET), false, nested);
    assert.match(nested, /unknown key in "rateLimit" at line 6/);
    const instance = configError('instance.yaml', `${head}    token: t0ken\n  token:${SECRET}:\n`);
    assert.equal(instance.includes(SECRET), false, instance);
    assert.match(instance, /instance\.yaml key at line 6: /);
  });
});

describe('credentials in baseUrl and in HTTP_PROXY are secrets', () => {
  const TOKEN = 'tok-7c2e91aa40d5b8f3';
  const USER = 'svc-4b1f0e';
  const PASSWORD = 'Bp/9d83:e1c0';
  const API_KEY = 'ak5d0c3b9e2f7a61';
  let server: LeakyServer;
  before(async () => {
    server = await startLeakyServer(TOKEN);
  });
  after(() => server.close());

  test('iam test, records, dry-run output and the debug log: redacted; one warning per instance', async () => {
    const withUser = server.url.replace('://', `://${USER}:${encodeURIComponent(PASSWORD)}@`);
    const warnings: string[] = [];
    const lines: string[] = [];
    const iam = createIamClient({
      config: {
        instances: {
          userinfo: { brand: 'SCIM', baseUrl: withUser, token: TOKEN },
          apikey: { brand: 'SCIM', baseUrl: `${server.url}?api_key=${API_KEY}`, token: TOKEN },
        },
      },
      env: {},
      dryRun: true,
      logLevel: 'debug',
      logWrite: (l) => lines.push(l),
      onWarning: (w) => warnings.push(w),
    });
    const results: unknown[] = [];
    for (const name of ['userinfo', 'apikey']) {
      results.push(await iam.test(name));
      results.push(await iam.createUser(name, { userProfile: { username: 'ann' } }));
      results.push(await iam.test(name));
    }
    await iam.close();
    const text = JSON.stringify([results, lines, warnings]);
    for (const secret of [USER, PASSWORD, encodeURIComponent(PASSWORD), API_KEY]) {
      assert.equal(text.includes(secret), false, `${secret} in ${text.slice(text.indexOf(secret) - 100)}`);
    }
    assert.match(JSON.stringify(results[0]), /SCIM endpoint http:\/\/\[REDACTED\]:\[REDACTED\]@127\.0\.0\.1/);
    assert.match(JSON.stringify(results[1]), /"url":"http:\/\/\[REDACTED\]:\[REDACTED\]@127\.0\.0\.1/);
    assert.deepEqual(warnings, [
      `instance "userinfo": baseUrl carries credentials (user:password@ or a secret query parameter); they are redacted from all output, but put them in the token setting or \${env:NAME} instead`,
      `instance "apikey": baseUrl carries credentials (user:password@ or a secret query parameter); they are redacted from all output, but put them in the token setting or \${env:NAME} instead`,
    ]);
    assert.ok(
      server.requests.some((r) => String(r.query.api_key).startsWith(API_KEY)),
      'the key was sent',
    );
  });

  test('proxy: true: the password of HTTP_PROXY / HTTPS_PROXY is redacted like a configured one', () => {
    const proxyPassword = 'Px-3e8a1f/66c0';
    const config = { instances: { hr: { brand: 'SCIM', baseUrl: server.url, token: TOKEN, proxy: true } } };
    for (const name of ['HTTP_PROXY', 'https_proxy']) {
      const env = { [name]: `http://iam:${encodeURIComponent(proxyPassword)}@proxy.example:3128` };
      const iam = createIamClient({ config, env });
      const said = `proxy said: ${proxyPassword} ${encodeURIComponent(proxyPassword)} ${Buffer.from(`iam:${proxyPassword}`).toString('base64')}`;
      assert.equal(iam.redactText(said), 'proxy said: [REDACTED] [REDACTED] [REDACTED]', name);
    }
    // proxy: false does not take it from the environment (nor redact it).
    const direct = createIamClient({
      config: { instances: { hr: { ...config.instances.hr, proxy: false } } },
      env: { HTTP_PROXY: `http://iam:${proxyPassword}@proxy.example:3128` },
    });
    assert.equal(direct.redactText(proxyPassword), proxyPassword);
  });
});
