// Secrets: the Secret type never prints itself; records, error messages and debug logs are redacted
// (credential headers, secret-named JSON fields, and a token an app echoes back); a config file
// holding a literal secret that others may read is warned about.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { format, inspect } from 'node:util';
import { createIamClient } from '../../src/client.js';
import { ConfigError } from '../../src/core/errors.js';
import { redact, redactText } from '../../src/core/redact.js';
import { REDACTED, Secret } from '../../src/core/secrets.js';
import { createLogger } from '../../src/log/logger.js';
import { tempDir } from '../conformance/harness.js';
import { type LeakyServer, logLines, startLeakyServer } from './leaky-server.js';

const TOKEN = 'tok_9f8e7d6c5b4a39281706f5e4';
const B64 = Buffer.from(TOKEN).toString('base64');
const dir = tempDir('iam-secrets-');
after(() => dir.cleanup());

describe('Secret cannot print itself', () => {
  const s = new Secret(TOKEN);

  test('String(), template literals, concatenation and JSON show [REDACTED]', () => {
    assert.equal(String(s), REDACTED);
    assert.equal(`token=${s}`, `token=${REDACTED}`);
    assert.equal(''.concat(s as unknown as string), REDACTED);
    assert.equal(('' as string) + (s as unknown as string), REDACTED);
    assert.equal(JSON.stringify({ token: s }), `{"token":"${REDACTED}"}`);
  });

  test('util.inspect and every util.format placeholder show [REDACTED]', () => {
    assert.equal(inspect(s), REDACTED);
    assert.equal(inspect({ deep: { deeper: [s] } }, { depth: 10 }).includes(TOKEN), false);
    const formatted = format('%s %o %O %j %d', s, s, s, { s }, s);
    assert.equal(formatted.includes(TOKEN), false, formatted);
    assert.match(formatted, /\[REDACTED\]/);
  });

  test('console.log prints [REDACTED]', () => {
    let printed = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        printed += String(chunk);
        done();
      },
    });
    const c = new console.Console({ stdout: out, stderr: out });
    c.log(s);
    c.log('value:', s, { nested: s });
    c.error(new Error(`cannot use ${s}`));
    assert.equal(printed.includes(TOKEN), false, printed);
    assert.match(printed, /\[REDACTED\]/);
  });

  test('Error messages built from it, spreading, keys and structuredClone hold nothing', () => {
    const e = new Error(`request failed with ${s}`);
    assert.equal(e.message.includes(TOKEN), false);
    assert.equal(String(e).includes(TOKEN), false);
    assert.equal(inspect(e).includes(TOKEN), false);
    assert.deepEqual(Object.keys(s), []);
    assert.equal(JSON.stringify({ ...s }), '{}');
    assert.equal(inspect(structuredClone(s)).includes(TOKEN), false);
  });

  test('reveal() gives the value (the one place that sends it)', () => {
    assert.equal(s.reveal(), TOKEN);
  });
});

describe('redact and redactText', () => {
  test('secret-named fields anywhere in a body: password, token, secret, apiKey, clientSecret', () => {
    const body = {
      userName: 'jdoe',
      password: 'p4ssw0rd!',
      nested: { apiKey: 'k-123456', clientSecret: 'cs-123456', client_secret: 'cs-654321' },
      list: [{ access_token: 'at-123456' }, { refreshToken: 'rt-123456' }],
      'x-api-key': 'xk-123456',
    };
    const out = JSON.stringify(redact(body));
    for (const v of [
      'p4ssw0rd!',
      'k-123456',
      'cs-123456',
      'cs-654321',
      'at-123456',
      'rt-123456',
      'xk-123456',
    ]) {
      assert.equal(out.includes(v), false, `${v} in ${out}`);
    }
    assert.match(out, /"userName":"jdoe"/);
  });

  test('a SCIM PATCH operation that sets a password has its value redacted', () => {
    const patch = { Operations: [{ op: 'replace', path: 'password', value: 'n3w-p4ss' }] };
    assert.equal(JSON.stringify(redact(patch)).includes('n3w-p4ss'), false);
    const keep = { Operations: [{ op: 'replace', path: 'title', value: 'CTO' }] };
    assert.deepEqual(redact(keep), keep);
  });

  test('known secrets inside any string, in plain, base64, base64url and percent-encoded forms', () => {
    const token = 'ab+/cd=ef?gh&ij';
    const forms = [
      token,
      Buffer.from(token).toString('base64').replace(/=+$/, ''),
      Buffer.from(token).toString('base64url'),
      encodeURIComponent(token),
    ];
    for (const form of forms) {
      assert.equal(redactText(`the app said: ${form}!`, [token]), `the app said: ${REDACTED}!`);
      assert.deepEqual(redact({ detail: [`x ${form}`] }, [token]), { detail: [`x ${REDACTED}`] });
    }
  });
});

describe('config file permissions', () => {
  const config = (name: string, token: string, mode: number) => {
    const path = join(dir.path, name);
    writeFileSync(
      path,
      `instances:\n  hr:\n    brand: SCIM\n    baseUrl: https://hr.example.com/scim/v2\n    token: ${token}\n`,
    );
    chmodSync(path, mode);
    return path;
  };
  const warnings = (path: string) => {
    const seen: string[] = [];
    createIamClient({ configPath: path, env: { HR_TOKEN: TOKEN }, onWarning: (m) => seen.push(m) });
    return seen;
  };

  test('a literal secret in a file group/others can read: a warning naming the file and key, not the value', () => {
    const path = config('loose.yaml', TOKEN, 0o644);
    const seen = warnings(path);
    assert.equal(seen.length, 1, seen.join('\n'));
    const w = seen[0] ?? '';
    assert.ok(w.includes(path), w);
    assert.match(w, /instance "hr" key "token"/);
    assert.match(w, /chmod 600/);
    assert.match(w, /\$\{env:NAME\}/);
    assert.equal(w.includes(TOKEN), false);
  });

  test("the server's API keys and SCIM tokens written literally are warned about too; references are not", () => {
    const path = join(dir.path, 'serve.yaml');
    const key = 'k3y-0123456789abcdef';
    writeFileSync(
      path,
      [
        'instances:',
        '  hr:',
        '    brand: SCIM',
        '    baseUrl: https://hr.example.com/scim/v2',
        `    token: \${env:HR_TOKEN}`,
        'server:',
        '  apiKeys:',
        `    - { name: ops, key: ${key}, scopes: [read] }`,
        '  scim:',
        `    - { path: hr, instance: hr, token: "\${env:HR_TOKEN}" }`,
        '',
      ].join('\n'),
    );
    chmodSync(path, 0o644);
    const seen = warnings(path);
    assert.equal(seen.length, 1, seen.join('\n'));
    assert.match(seen[0] ?? '', /key "server\.apiKeys\.0\.key"/);
    assert.equal((seen[0] ?? '').includes(key), false);
    chmodSync(path, 0o600);
    assert.deepEqual(warnings(path), []);
  });

  test('no warning for mode 0600, or for env: and file: references', () => {
    assert.deepEqual(warnings(config('tight.yaml', TOKEN, 0o600)), []);
    assert.deepEqual(warnings(config('env-ref.yaml', `\${env:HR_TOKEN}`, 0o644)), []);
    const secretFile = join(dir.path, 'hr-token');
    writeFileSync(secretFile, TOKEN, { mode: 0o600 });
    assert.deepEqual(warnings(config('file-ref.yaml', `\${file:${secretFile}}`, 0o644)), []);
  });
});

describe('logger', () => {
  test('JSON lines at or above the level; context fields; known secrets scrubbed', () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'info',
      write: (l) => lines.push(l),
      secrets: [TOKEN],
      context: () => ({ correlationId: 'c-1' }),
    });
    log.debug('hidden');
    log.info(`the app echoed ${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` }, note: B64 });
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(entry.level, 'info');
    assert.equal(entry.correlationId, 'c-1');
    assert.equal(typeof entry.time, 'string');
    assert.equal(lines[0]?.includes(TOKEN), false);
    assert.equal(lines[0]?.includes(B64), false);
  });

  test('an unknown IAM_LOG_LEVEL is a configuration error naming it', () => {
    assert.throws(
      () =>
        createIamClient({
          config: { instances: { l: { brand: 'Local', path: ':memory:' } } },
          env: { IAM_LOG_LEVEL: 'loud' },
        }),
      (e: unknown) => e instanceof ConfigError && /IAM_LOG_LEVEL.*"loud"/.test(e.message),
    );
  });
});

describe('debug log and records against an app that echoes the token', () => {
  let server: LeakyServer;
  const lines: string[] = [];
  const client = () =>
    createIamClient({
      config: {
        instances: {
          app: {
            brand: 'SCIM',
            baseUrl: server.url,
            token: TOKEN,
            mappers: {
              outgoing: [
                { app: 'userName', profile: ['username', 'email'] },
                { app: 'title', profile: 'title' },
                { app: 'password', profile: 'password', on: 'create', direction: 'out' },
              ],
            },
          },
        },
      },
      env: {},
      logLevel: 'debug',
      logWrite: (l) => lines.push(l),
    });
  before(async () => {
    server = await startLeakyServer(TOKEN);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    lines.length = 0;
  });

  test('every request and answer is logged with method, URL, status, duration, headers and bodies', async () => {
    const c = client();
    const r = await c.createUser('app', { userProfile: { username: 'ann', password: 'Initial-Pa55!' } });
    await c.close();
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const log = logLines(lines.join('\n'));
    const post = log.find((l) => l.msg === 'http request' && l.method === 'POST');
    const answer = log.find((l) => l.msg === 'http response' && l.method === 'POST');
    assert.ok(post && answer, lines.join('\n'));
    assert.equal(post.url, `${server.url}/Users`);
    assert.deepEqual((post.requestHeaders as Record<string, unknown>).authorization, REDACTED);
    const body = post.requestBody as Record<string, unknown>;
    assert.equal(body.userName, 'ann');
    assert.equal(body.password, REDACTED, 'the password sent is not in the log');
    assert.equal(answer.status, 201);
    assert.equal(typeof answer.durationMs, 'number');
    const headers = answer.responseHeaders as Record<string, string>;
    assert.equal(headers['x-echo-token'], REDACTED);
    assert.equal(headers['x-echo-base64'], REDACTED);
    assert.equal(headers['set-cookie'], REDACTED);
    assert.equal((answer.responseBody as Record<string, unknown>).userName, 'ann');
    // Every line of one command shares its correlation id.
    assert.equal(new Set(log.map((l) => l.correlationId)).size, 1);
    const all = lines.join('\n');
    assert.equal(all.includes(TOKEN) || all.includes(B64) || all.includes('Initial-Pa55!'), false);
    assert.ok(server.echoes > 0, 'the app did echo the token');
  });

  test('a large body is cut in the log, and says so', async () => {
    const c = client();
    await c.createUser('app', { userProfile: { username: 'long', title: 'x'.repeat(20_000) } });
    await c.close();
    const post = logLines(lines.join('\n')).find((l) => l.msg === 'http request' && l.method === 'POST');
    assert.equal(typeof post?.requestBody, 'string');
    assert.match(String(post?.requestBody), /… \(truncated, \d+ characters in all\)$/);
    assert.ok(String(post?.requestBody).length < 9000);
  });

  test('the token echoed in an error body is not in the record, the test result or the log', async () => {
    const c = client();
    const failed = await c.createUser('app', { userProfile: { username: 'reject.me' } });
    assert.equal(failed.vendor.success, false);
    assert.equal(failed.vendor.errorCode, 400);
    assert.match(failed.vendor.errorMessage, /refused \(token \[REDACTED\], base64 \[REDACTED\]\)/);
    const group = await c.deleteGroup('app', { scim: { id: 'missing' } });
    assert.equal(JSON.stringify(group).includes(TOKEN), false);
    await c.close();
    const wrong = createIamClient({
      config: { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: `${TOKEN}-wrong` } } },
      env: {},
    });
    const t = await wrong.test('app');
    await wrong.close();
    assert.equal(t.success, false);
    assert.match(t.message, /401/);
    assert.equal(t.message.includes(TOKEN), false, t.message);
    const text = JSON.stringify([failed, lines]);
    assert.equal(text.includes(TOKEN) || text.includes(B64), false);
  });
});
