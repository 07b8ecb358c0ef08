// Property: whatever a user types as an argument, a war-room line or a config file, `iam` answers
// exit 2 with one line naming what was wrong, or runs and prints well-formed records. Never a
// stack trace, an "internal error", or a hang. Runs the CLI in-process (runCli) on the Local brand.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { tempDir } from '../conformance/harness.js';
import {
  configText,
  GROUP_COMMANDS,
  idListArgument,
  jsonArgument,
  USER_COMMANDS,
  warRoomLine,
} from './arbitraries.js';
import { assertCleanOutcome, iamInProcess } from './harness.js';
import './report.js';

const RUNS = 150;
const dir = tempDir('iam-fuzz-');
after(() => dir.cleanup());
// Fuzzed configs name Local databases by relative paths (resolved against the process's cwd) or
// none (the user data directory): keep every file this test makes inside its temp directory.
process.chdir(dir.path);
process.env.XDG_DATA_HOME = dir.path;
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  loc:\n    brand: Local\n    path: ${join(dir.path, 'fuzz.db')}\n`);
const env = { IAM_FUZZ_SET: join(dir.path, 'set.db') };
const iam = (args: readonly string[]) => iamInProcess(args, { cwd: dir.path, env });

/** Prototype pollution would show up as new keys on Object.prototype. */
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const cleanPrototype = prototypeKeys();
const assertNoPollution = (label: string) =>
  assert.equal(prototypeKeys(), cleanPrototype, `${label}: Object.prototype was changed`);

const label = (args: readonly string[]) => JSON.stringify(args).slice(0, 300);

describe('bad input: the exact answers for what the fuzzing found', () => {
  const configFile = (name: string, text: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const cases: [string, string[], RegExp][] = [
    [
      'deep nesting',
      [
        'create-user',
        '--config',
        config,
        '--user-profile',
        `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ],
      /^iam: error: user-profile: not accepted: nesting deeper than 64 levels at "title\.0\.0/,
    ],
    [
      'a __proto__ key',
      ['get-user', '--config', config, '--user-profile', '{"__PROTO__":{}}'],
      /user-profile: not accepted: a "__PROTO__" key$/,
    ],
    [
      'a blank group id',
      ['delete-group', '--config', config, '--scim', '{"id":"   "}'],
      /scim: expected an object with "id"$/,
    ],
    [
      'an object as an id list',
      ['update-group', '--config', config, '--scim', '{"id":"g"}', '--member-ids-to-add', '{"a":1}'],
      /memberIdsToAdd: expected a JSON array or comma-separated ids, got an object$/,
    ],
    [
      'no instances',
      ['instances', '--config', configFile('empty.yaml', 'instances: {}')],
      /key "instances": expected at least one instance$/,
    ],
    [
      'a mapping path through __proto__',
      [
        'instances',
        '--config',
        configFile(
          'proto.yaml',
          'instances: {l: {brand: Local, mappers: {outgoing: [{app: "__proto__.x", profile: username}]}}}',
        ),
      ],
      /proto\.yaml:1: instance "l" mappers\.outgoing rule 1: mapping path "__proto__\.x": "__proto__" is not an attribute name$/,
    ],
    [
      'a bad mapping path, caught at load',
      [
        'instances',
        '--config',
        configFile(
          'path.yaml',
          'instances: {l: {brand: Local, mappers: {outgoing: [{app: "emails[type eq", profile: email}]}}}',
        ),
      ],
      /path\.yaml:1: instance "l" mappers\.outgoing rule 1: mapping path "emails\[type eq": cannot read/,
    ],
    [
      'a YAML tag',
      ['instances', '--config', configFile('tag.yaml', 'instances: !!js/function "x"')],
      /not valid YAML \(line 1, column 12: Unresolved tag/,
    ],
    [
      // Was: commander's line carried the \r raw (CI fuzz seed 1442187981, `!get-user memberIdsToAdd="\r"`).
      'a carriage return in an unknown option',
      ['get-user', '--config', config, '--member-ids-to-add=\r\u0007x\u0085'],
      /^iam: error: unknown option '--member-ids-to-add=\\r\\u0007x\\u0085' \(run with --help for usage\)$/,
    ],
    [
      'a number as a token',
      [
        'instances',
        '--config',
        configFile('token.yaml', 'instances: {s: {brand: SCIM, baseUrl: "https://x.example", token: 5}}'),
      ],
      /instance "s" key "token": expected a secret/,
    ],
  ];
  for (const [name, args, expected] of cases) {
    test(name, async () => {
      const o = await iam(args);
      assertCleanOutcome(o, name);
      assert.equal(o.code, 2);
      assert.match(o.err[0] ?? '', expected);
      assertNoPollution(name);
    });
  }
});

describe('fuzz: command-line input', () => {
  test('--user-profile / --scim on user commands: any JSON or text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...USER_COMMANDS),
        fc.constantFrom('--user-profile', '--scim'),
        jsonArgument,
        async (command, flag, value) => {
          const args = [command, '--config', config, flag, value];
          assertCleanOutcome(await iam(args), label(args));
          assertNoPollution(label(args));
        },
      ),
      {
        numRuns: RUNS,
        examples: [
          // Regressions: each of these once ended in "internal error: Maximum call stack size exceeded".
          [
            'create-user',
            '--user-profile',
            `{"username":"u","olduserdata":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
          ],
          [
            'create-user',
            '--user-profile',
            `{"username":"u","title":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
          ],
          // `__proto__` (any case: keys are lowercased) used to replace the profile's prototype.
          ['get-user', '--user-profile', '{"__PROTO__":{"username":"admin"}}'],
          [
            'update-user',
            '--user-profile',
            '{"username":"q","olduserdata":{"__proto__":{"username":"admin"}}}',
          ],
          ['get-user', '--user-profile', '{"username":"a","constructor":{"x":1},"toString":"x"}'],
          ['get-user', '--scim', '{"userName":5,"emails":{},"name":"x"}'],
        ],
      },
    );
  });

  test('--scim on group commands, with member id lists: any JSON or text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GROUP_COMMANDS),
        fc.oneof(jsonArgument, fc.constantFrom('{"id":"g1"}', '{"displayName":"Fuzzers"}')),
        fc.option(idListArgument, { nil: undefined }),
        fc.option(idListArgument, { nil: undefined }),
        fc.constantFrom('--member-ids-to-add', '--memberIdsToAdd'),
        async (command, scim, add, remove, addFlag) => {
          const args = [command, '--config', config, '--scim', scim];
          if (command === 'update-group') {
            if (add !== undefined) args.push(addFlag, add);
            if (remove !== undefined) args.push('--member-ids-to-delete', remove);
          }
          assertCleanOutcome(await iam(args), label(args));
          assertNoPollution(label(args));
        },
      ),
      {
        numRuns: RUNS,
        examples: [
          // Was: the error message echoed the item through JSON.stringify, which overflowed.
          [
            'update-group',
            '{"id":"g1"}',
            `[${'['.repeat(20_000)}${']'.repeat(20_000)}]`,
            undefined,
            '--member-ids-to-add',
          ],
          // Was: `{}` read as one id named "{}".
          ['update-group', '{"id":"g1"}', '{"a":1}', undefined, '--member-ids-to-add'],
          [
            'create-group',
            `{"displayName":"g","members":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
            undefined,
            undefined,
            '--memberIdsToAdd',
          ],
          [
            'create-group',
            '{"displayName":"g2","__proto__":{"id":"x"}}',
            undefined,
            undefined,
            '--memberIdsToAdd',
          ],
        ],
      },
    );
  });

  test('boolean flags: any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (value) => {
        const args = [
          'create-user',
          '--config',
          config,
          '--user-profile',
          '{"username":"b"}',
          '--allow-enable',
          value,
        ];
        assertCleanOutcome(await iam(args), label(args));
      }),
      { numRuns: 60, examples: [['maybe\nno']] },
    );
  });

  test('war-room lines: any text after the !', async () => {
    await fc.assert(
      fc.asyncProperty(warRoomLine, async (line) => {
        const o = await iamInProcess([line], { cwd: dir.path, env: { IAM_CONFIG: config } });
        assertCleanOutcome(o, label([line]));
        assertNoPollution(label([line]));
      }),
      {
        numRuns: RUNS * 2,
        examples: [
          // Was: `__proto__` looked up Object.prototype and pushed it into argv (two lines on stderr).
          ['!iam-get-user __proto__=1'],
          ['!iam-get-user constructor={}'],
          // Was: the excerpt of the bad part was printed raw, newline included.
          ['!iam-get-user abc\ndef'],
          // Was: reached the option parser as a command name.
          ['!-V'],
          ['!--help'],
          ['!iam-nope x=1'],
          ['!iam-get-usr user-profile={"username":"a"}'],
        ],
      },
    );
  });

  test('config files: mutations of a valid config, any YAML, any text', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        configText(join(dir.path, 'mutated.db')),
        fc.constantFrom('get-user', 'instances', 'test'),
        async (text, command) => {
          const file = join(dir.path, `config-${n++}.yaml`);
          writeFileSync(file, text, { mode: 0o600 });
          const args =
            command === 'get-user'
              ? [command, '--config', file, '--user-profile', '{"username":"c"}', '--all-instances']
              : command === 'test'
                ? [command, '--config', file, '--all-instances']
                : [command, '--config', file];
          assertCleanOutcome(await iam(args), `${command} with config ${JSON.stringify(text).slice(0, 400)}`);
          assertNoPollution(JSON.stringify(text).slice(0, 400));
        },
      ),
      {
        numRuns: RUNS,
        examples: [
          // Was: a mapping path through __proto__ set Object.prototype.polluted for the whole process.
          [
            'instances: {loc: {brand: Local, mappers: {outgoing: [{app: "__proto__.polluted", profile: username}]}}}',
            'get-user',
          ],
          // Was: "several instances are configured (): choose with --instance NAME".
          ['instances: {}', 'get-user'],
          // Was: a bad mapping path failed only when a command ran, without naming instance or key.
          [
            'instances: {loc: {brand: Local, mappers: {outgoing: [{app: "emails[type eq", profile: email}]}}}',
            'instances',
          ],
          // Was: the yaml library printed a multi-line warning to stderr and went on with a guess.
          ['instances: !!js/function "x"', 'instances'],
          // Was: a newline in a name or value split the error over two lines.
          ['instances:\n  "x\\ny":\n    brand: "Lo\\ncal"\n', 'instances'],
          ['instances: {loc: {brand: SCIM, baseUrl: "http://127.0.0.1:9", token: 5}}', 'instances'],
        ],
      },
    );
  });
});
