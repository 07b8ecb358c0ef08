// The same property as cli-input.test.ts, on the built `iam` run as a process (what a user and a
// SOAR playbook run): a handful of generated inputs (fixed seed, so the sample is the same every
// run) and the regressions, checked on the real exit code, stdout and stderr.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { tempDir } from '../conformance/harness.js';
import { type HostileServer, startHostileServer } from '../servers/hostile-scim.js';
import { configText, idListArgument, jsonArgument, ref, warRoomLine } from './arbitraries.js';
import { assertCleanOutcome, BIN, iamSpawned } from './harness.js';

const dir = tempDir('iam-fuzz-spawn-');
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  loc:\n    brand: Local\n    path: ${join(dir.path, 'spawn.db')}\n`);
const iam = (args: readonly string[], env: Record<string, string> = {}) =>
  iamSpawned(args, { cwd: dir.path, env });
const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] =>
  // Short values only: argv has a per-argument limit, and the point here is the process, not size.
  fc
    .sample(arb, { numRuns: n * 4, seed })
    .filter((v) => JSON.stringify(v).length < 20_000)
    .slice(0, n);

let server: HostileServer;
before(async () => {
  server = await startHostileServer(() => ({ kind: 'hang' }));
});
after(async () => {
  await server.close();
  dir.cleanup();
});

describe('fuzz: the built iam process', () => {
  test('generated arguments, war-room lines and config files', async () => {
    const runs: string[][] = [
      ...sample(jsonArgument, 3, 7).map((v) => ['create-user', '--config', config, '--user-profile', v]),
      ...sample(jsonArgument, 1, 8).map((v) => ['get-group', '--config', config, '--scim', v]),
      ...sample(idListArgument, 1, 9).map((v) => [
        'update-group',
        '--config',
        config,
        '--scim',
        '{"id":"g1"}',
        '--member-ids-to-add',
        v,
      ]),
      ...sample(warRoomLine, 3, 10).map((line) => [line]),
    ];
    for (const [i, text] of sample(configText(join(dir.path, 'mutated.db')), 2, 11).entries()) {
      const file = join(dir.path, `config-${i}.yaml`);
      writeFileSync(file, text, { mode: 0o600 });
      runs.push(['get-user', '--config', file, '--all-instances', '--user-profile', '{"username":"s"}']);
    }
    for (const args of runs)
      assertCleanOutcome(await iam(args, { IAM_CONFIG: config }), JSON.stringify(args).slice(0, 300));
  });

  test('regressions: deep nesting, __proto__, newlines, option-like values', async () => {
    const cases: [string[], RegExp][] = [
      [
        [
          'create-user',
          '--config',
          config,
          '--user-profile',
          `{"username":"d","title":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        ],
        /^iam: error: user-profile: not accepted: nesting deeper than 64 levels/,
      ],
      [
        ['get-user', '--config', config, '--user-profile', '{"__proto__":{"username":"admin"}}'],
        /"__proto__" key/,
      ],
      [
        ['get-user', '--config', config, '--user-profile', '-V'],
        /^iam: error: user-profile: expected a JSON object/,
      ],
      [['!iam-get-user __proto__=1'], /unknown argument "__proto__"/],
      [['!iam-get-user abc\ndef'], /expected name=value at "abc\\ndef"/],
      [
        ['get-usr'],
        /^iam: error: unknown command 'get-usr' \(Did you mean get-user\?\) \(run with --help for usage\)$/,
      ],
      [
        [
          'create-user',
          '--config',
          config,
          '--user-profile',
          '{"username":"x"}',
          '--allow-enable',
          'no\nyes',
        ],
        /allow-enable: expected .* got "no\\nyes"/,
      ],
    ];
    for (const [args, expected] of cases) {
      const o = await iam(args);
      assertCleanOutcome(o, JSON.stringify(args).slice(0, 200));
      assert.equal(o.code, 2);
      assert.match(o.err[0] ?? '', expected);
    }
  });

  test('a reader that closes the pipe early (`iam ... | head -1`): no stack trace, normal exit', async () => {
    // Enough output (thousands of lines) to fill the pipe, so the write after the close must fail.
    const many = join(dir.path, 'many.yaml');
    const names = Array.from({ length: 3000 }, (_, i) => `  local-${i}:\n    brand: Local\n`).join('');
    writeFileSync(many, `instances:\n${names}`);
    const child = spawn(process.execPath, [BIN, 'instances', '--config', many, '--output', 'json'], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: dir.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });

  test('an app that never answers: the process ends at the timeout with a record and exit 1', async () => {
    const scim = join(dir.path, 'scim.yaml');
    writeFileSync(
      scim,
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: ${ref('env', 'SPAWN_TOKEN')}\n    timeoutMs: 300\n`,
      { mode: 0o600 },
    );
    const o = await iam(['create-group', '--config', scim, '--scim', '{"displayName":"G"}'], {
      SPAWN_TOKEN: 'spawn-token-1',
    });
    assertCleanOutcome(o, 'hang');
    assert.equal(o.code, 1);
    assert.match(o.out[0] ?? '', /no answer from 127\.0\.0\.1:\d+ within 300 ms \(timeout\)/);
  });
});
