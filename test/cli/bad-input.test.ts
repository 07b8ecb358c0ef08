// Bad input and resources, through the built `iam`: files that never end (/dev/zero, a FIFO) are
// refused quickly instead of read until memory runs out; token files with a BOM or trailing line
// breaks work, one with a line break inside is refused naming the file; an unset ${env:} in one
// instance stops only that instance.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { ref } from '../fuzz/arbitraries.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-bad-input-');
after(() => dir.cleanup());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI without blocking this process (the test server lives here). The kill timer only
 * keeps a regression (a read without end) from hanging the suite: a pass exits in well under it.
 */
function iam(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg'), ...env },
      cwd: dir.path,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

function file(name: string, body: string | Buffer): string {
  const path = join(dir.path, name);
  writeFileSync(path, body);
  return path;
}

/** One line on stderr, exit 2, no stack. */
function assertRefused(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

const USER = ['--user-profile', '{"username":"ann"}'];

describe('files that never end are refused, not read', () => {
  test('--config /dev/zero: exit 2, names the file and says it is not a regular file', async () => {
    const r = await iam(['get-user', '--config', '/dev/zero', ...USER]);
    assertRefused(r, /^iam: error: config file \/dev\/zero: cannot read it \(not a regular file\)$/);
  });

  test('--config naming a FIFO (no writer) or /dev/stdin: refused at once, no hang', async () => {
    const fifo = join(dir.path, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    assertRefused(
      await iam(['instances', '--config', fifo]),
      /config file .*config\.fifo: .*not a regular file/,
    );
    const piped = await iam(['instances', '--config', '/dev/stdin'], {}, 'instances: {}\n');
    assertRefused(piped, /config file \/dev\/stdin: cannot read it \(not a regular file\)/);
  });

  test('a config file over 1 MiB: the line says the limit', async () => {
    const big = file('big.yaml', `# ${'x'.repeat(1024 * 1024)}\ninstances:\n  a:\n    brand: Local\n`);
    assertRefused(
      await iam(['instances', '--config', big]),
      /config file .*big\.yaml: cannot read it \(larger than 1 MiB, the limit for a config file\)/,
    );
  });

  test('token: a file reference to /dev/zero and caFile: /dev/zero name the instance, the key and the file', async () => {
    const token = file(
      'zero-token.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: ${ref('file', '/dev/zero')}\n`,
    );
    assertRefused(
      await iam(['get-user', '--config', token, ...USER]),
      /instance "app" key "token": cannot read secret file \/dev\/zero \(not a regular file\)/,
    );
    const ca = file(
      'zero-ca.yaml',
      'instances:\n  app:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: t0ken\n    caFile: /dev/zero\n',
    );
    assertRefused(
      await iam(['get-user', '--config', ca, ...USER]),
      /instance "app" key "caFile": cannot read \/dev\/zero \(not a regular file\)/,
    );
  });

  test('a mapping file of /dev/zero and a secret file over 64 KiB are refused with the limit', async () => {
    const mapping = file(
      'zero-map.yaml',
      'instances:\n  loc:\n    brand: Local\n    mappers:\n      outgoing: /dev/zero\n',
    );
    assertRefused(
      await iam(['instances', '--config', mapping]),
      /key "mappers.outgoing": cannot read mapping file \/dev\/zero \(not a regular file\)/,
    );
    const huge = file('huge.token', 'a'.repeat(64 * 1024 + 1));
    const cfg = file(
      'huge-token.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: \${file:${huge}}\n`,
    );
    assertRefused(
      await iam(['get-user', '--config', cfg, ...USER]),
      /key "token": cannot read secret file .*huge\.token \(larger than 64 KiB, the limit for a secret file\)/,
    );
  });
});

describe('token files and header values', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimServer({ token: 'tok-5c1e-22aa' });
  });
  after(() => server.close());

  const configWith = (name: string, token: string) =>
    file(name, `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: ${token}\n`);

  test('a BOM and several trailing CR/LF are not part of the token: the request authenticates', async () => {
    const tokenFile = file('bom.token', `\uFEFF${server.token}\r\n\n\n`);
    const r = await iam(['get-user', '--config', configWith('bom.yaml', `\${file:${tokenFile}}`), ...USER]);
    // Authenticated: the app answered "no such user" (exit 1), not 401 or "network error".
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /User does not exist/);
    assert.doesNotMatch(r.stdout, /network error|401/);
  });

  test('a line break inside the token file: refused naming the file, never the value', async () => {
    const tokenFile = file('two-lines.token', `${server.token}\nsecond-line-value\n`);
    const sent = server.requests.length;
    const r = await iam(['get-user', '--config', configWith('two.yaml', `\${file:${tokenFile}}`), ...USER]);
    assertRefused(r, /key "token": secret file .*two-lines\.token holds a control character/);
    assert.doesNotMatch(r.stderr, /second-line-value|tok-5c1e/);
    assert.equal(server.requests.length, sent, 'nothing sent');
  });

  test('a line break inside an env reference token: one line naming the key, not "network error"', async () => {
    const r = await iam(['get-user', '--config', configWith('env.yaml', ref('env', 'TOK')), ...USER], {
      TOK: `${server.token}\nX-Evil: 1`,
    });
    assertRefused(r, /instance "app" key "token": holds a control character/);
    assert.doesNotMatch(r.stderr, /X-Evil|tok-5c1e/);
  });
});

describe('an unresolved reference stops only its own instance', () => {
  const cfg = () =>
    file(
      'mixed.yaml',
      `instances:\n  loc:\n    brand: Local\n    path: ${join(dir.path, 'mixed.db')}\n` +
        `  app:\n    brand: SCIM\n    baseUrl: https://scim.example.com\n    token: ${ref('env', 'IAM_TEST_UNSET_TOKEN')}\n`,
    );

  test('commands on the other instance run; `instances` lists both', async () => {
    const config = cfg();
    const created = await iam(['create-user', '--config', config, '--instance', 'loc', ...USER]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /"success":true/);
    const list = await iam(['instances', '--config', config, '--output', 'json']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { name: string }).name),
      ['loc', 'app'],
    );
  });

  test('a command on that instance: exit 2 naming the instance, the key and the variable', async () => {
    const r = await iam(['get-user', '--config', cfg(), '--instance', 'app', ...USER]);
    assertRefused(
      r,
      /instance "app" key "token": environment variable IAM_TEST_UNSET_TOKEN is not set \(referenced as \$\{env:IAM_TEST_UNSET_TOKEN\}\)/,
    );
  });

  test('--all-instances: the good instance gives its record, the other its line; exit 2', async () => {
    const r = await iam(['get-user', '--config', cfg(), '--all-instances', ...USER]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /"instanceName":"loc"/);
    assert.match(
      r.stderr,
      /instance "app" key "token": environment variable IAM_TEST_UNSET_TOKEN is not set/,
    );
  });

  test('a wrong shape in any instance still fails the whole file at load', async () => {
    const bad = file(
      'shape.yaml',
      `instances:\n  loc:\n    brand: Local\n  app:\n    brand: SCIM\n    baseUrl: https://x.example\n    token: \${env:IAM_TEST_UNSET_TOKEN}\n    tiemoutMs: 5\n`,
    );
    assertRefused(
      await iam(['get-user', '--config', bad, '--instance', 'loc', ...USER]),
      // Named by its line, never quoted (an unknown key may be a mis-indented secret).
      /instance "app": unknown key at line 8 \(did you mean "timeoutMs"\?\)/,
    );
  });
});

describe('look-alike accounts: control and invisible characters in identity fields', () => {
  const config = () =>
    file('look.yaml', `instances:\n  loc:\n    brand: Local\n    path: ${join(dir.path, 'look.db')}\n`);

  test('a single command: exit 2, one line naming the field; nothing is created', async () => {
    const cfg = config();
    const r = await iam(['create-user', '--config', cfg, '--user-profile', '{"username":"root\\u0000"}']);
    assertRefused(r, /user-profile: field "username" holds an invisible or control character \(U\+0000/);
    const get = await iam(['get-user', '--config', cfg, '--user-profile', '{"username":"root"}']);
    assert.match(get.stdout, /User does not exist/);
  });

  test('in a batch the line fails with its number and the batch goes on', async () => {
    const input = file(
      'look.jsonl',
      `${JSON.stringify({ username: 'bo\u202Eb' })}\n${JSON.stringify({ username: 'carl' })}\n`,
    );
    const r = await iam(['batch', 'create-user', '--input', input, '--config', config()]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /iam: line 1 \(loc\): user-profile: field "username" .*U\+202E/);
    assert.match(r.stdout, /"username":"carl"/);
    assert.doesNotMatch(r.stdout, /bo\u202Eb/);
  });
});
