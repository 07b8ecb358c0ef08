// `iam batch` at its edges: Ctrl-C, usage errors, and the wire of the loopback SCIM server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import {
  assertUsage,
  BIN,
  dir,
  file,
  iam,
  jsonl,
  lineOf,
  localConfig,
  summary,
  vendor,
} from './batch-harness.js';

after(() => dir.cleanup());

describe('iam batch: interrupts and usage errors', () => {
  test('Ctrl-C: reading stops, commands in flight finish and are printed, exit 130', async () => {
    const config = localConfig();
    const input = file(
      'many.jsonl',
      jsonl(Array.from({ length: 200_000 }, (_, i) => ({ username: `n${i}` }))),
    );
    const child = spawn(
      process.execPath,
      [BIN, 'batch', 'create-user', '--input', input, '--config', config],
      {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg') },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      if (stdout === '') child.kill('SIGINT'); // as soon as the first records are out
      stdout += t;
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /^iam: interrupted: finishing the commands in flight/m);
    const m = /^iam: batch interrupted: (\d+) done: (\d+) succeeded, 0 skipped, 0 failed/m.exec(stderr);
    assert.ok(m, stderr);
    const records = stdout.split('\n').filter((l) => l !== '');
    assert.equal(records.length, Number(m[1]), 'every command that ran is printed');
    assert.ok(records.length < 200_000);
    const after = await iam(['batch', 'get-user', '--input', '-', '--config', config], {
      stdin: jsonl([{ username: 'n0' }, { username: 'n199999' }]),
    });
    assert.deepEqual(after.records.map((r) => vendor(r).success).sort(), [false, true]);
  });

  test('usage errors: exit 2, one line, nothing run', async () => {
    const config = localConfig();
    const input = file('in.jsonl', jsonl([{ username: 'u' }]));
    const cases: [string[], RegExp][] = [
      [['batch', 'create-user'], /--input is required/],
      [
        ['batch', 'create-user', '--input', join(dir.path, 'missing.jsonl')],
        /cannot open .*missing\.jsonl \(ENOENT\)/,
      ],
      [['batch', 'create-user', '--input', file('people.txt', 'x')], /give --format jsonl or csv/],
      [['batch', 'create-user', '--input', dir.path, '--format', 'jsonl'], /is a directory/],
      [['batch', 'remove-user', '--input', input], /unknown command "remove-user"/],
      [
        ['batch', 'create-user', '--input', input, '--concurrency', 'lots'],
        /concurrency: expected a whole number/,
      ],
      [
        ['batch', 'create-user', '--input', input, '--concurrency', '0'],
        /concurrency: expected a whole number/,
      ],
      [['batch', 'create-user', '--input', input, '--output', 'table'], /JSON lines only/],
      [
        ['batch', 'get-user', '--input', input, '--allow-enable', 'no'],
        /allow-enable: applies to create-user/,
      ],
      [['batch', 'create-user', '--input', input, '--allow-enable', 'maybe'], /allow-enable: expected/],
      [
        ['batch', 'create-user', '--input', file('bad.csv', 'username,,email\na,b,c\n')],
        /column 2 has no name/,
      ],
    ];
    for (const [args, pattern] of cases) assertUsage(await iam([...args, '--config', config]), pattern);
    const check = await iam(['batch', 'get-user', '--input', input, '--config', config]);
    assert.equal(vendor(check.records[0]).errorCode, 404, 'nothing was created by the failed runs');
  });
});

describe('iam batch on the loopback SCIM server', () => {
  let server: ScimTestServer;
  let config: string;
  before(async () => {
    server = await startScimServer();
    config = file(
      'scim.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:T}\n`,
    );
  });
  after(() => server.close());

  test('the wire: requests match the lines (lookup + POST per create, one lookup per get)', async () => {
    server.reset();
    const people = Array.from({ length: 25 }, (_, i) => ({ username: `w${i}`, email: `w${i}@x.com` }));
    const input = file('wire.jsonl', jsonl(people));
    const env = { T: server.token };
    const created = await iam(
      ['batch', 'create-user', '--input', input, '--config', config, '--concurrency', '5'],
      {
        env,
      },
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.records.length, 25);
    const sent = server.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/scim\/v2/, '')}`);
    assert.equal(sent.filter((s) => s === 'GET /Users').length, 25);
    assert.equal(sent.filter((s) => s === 'POST /Users').length, 25);
    assert.equal(sent.length, 50);
    assert.equal(server.users().length, 25);
    assert.match(summary(created.stderr), /25 done: 25 succeeded, 0 skipped, 0 failed; 0 retried/);

    server.requests.length = 0;
    const got = await iam(['batch', 'get-user', '--input', input, '--config', config], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(server.requests.length, 25);
    for (const rec of got.records) {
      const line = lineOf(rec) ?? 0;
      assert.equal(vendor(rec).username, `w${line - 1}`, 'each record traces back to its input line');
    }
  });
});
