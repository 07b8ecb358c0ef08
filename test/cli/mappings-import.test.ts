// `iam mappings import` through the built CLI: the YAML it writes loads as an instance's mapping
// and maps as XSOAR would; untranslated fields on stderr with exit 1; unreadable input exit 2.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-mappings-import-');
after(() => dir.cleanup());
const FIXTURES = resolve(import.meta.dirname, '../fixtures/soar');
const iam = (args: string[]) =>
  runIam(args, { cwd: dir.path, env: { IAM_AUDIT_LOG: join(dir.path, 'audit.log') } });

test('a fully translatable mapper: exit 0, YAML on stdout that a Local instance maps with', async () => {
  const mapper = {
    type: 'mapping-outgoing',
    mapping: {
      'User Profile': {
        internalMapping: {
          username: { simple: 'username' },
          displayname: {
            complex: {
              root: 'givenname',
              accessor: '',
              filters: [],
              transformers: [
                {
                  operator: 'concat',
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: XSOAR's own ${field} syntax
                  args: { suffix: { isContext: false, value: { simple: ' ${surname}' } } },
                },
                { operator: 'toUpperCase', args: {} },
              ],
            },
          },
        },
      },
    },
  };
  writeFileSync(join(dir.path, 'local-out.json'), JSON.stringify(mapper));
  const r = await iam(['mappings', 'import', 'local-out.json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  writeFileSync(join(dir.path, 'local.yaml'), r.stdout);
  writeFileSync(
    join(dir.path, 'iam.yaml'),
    `instances:\n  loc:\n    brand: Local\n    path: ./people.db\n    mappers:\n      outgoing: ./local.yaml\n`,
  );
  const made = await iam([
    'create-user',
    '--config',
    'iam.yaml',
    '--dry-run',
    '--output',
    'json',
    '--user-profile',
    '{"username":"ann","givenname":"Ann","surname":"Lee"}',
  ]);
  assert.equal(made.code, 0, made.stderr);
  // XSOAR: displayname = toUpperCase(concat("Ann", " ${surname}")) = "ANN LEE".
  const details = made.vendors[0]?.details as { dryRun: { body: unknown }[] };
  assert.deepEqual(details.dryRun[0]?.body, { username: 'ann', displayname: 'ANN LEE', active: true });
});

test('untranslated fields: exit 1, each named on stderr and as a comment in --out', async () => {
  const r = await iam(['mappings', 'import', join(FIXTURES, 'okta-outgoing.json'), '--out', 'okta.yaml']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'iam: not translated: outgoing "User Profile - Create" manager: ParseJSON: no equivalent transform\n',
  );
  const yaml = readFileSync(join(dir.path, 'okta.yaml'), 'utf8');
  assert.match(yaml, /^# NOT TRANSLATED: outgoing "User Profile - Create" manager: ParseJSON/m);
  assert.match(yaml, /^ {4}- \{ app: login, profile: username, transform: \[ lowercase \] \}$/m);
  writeFileSync(
    join(dir.path, 'okta-iam.yaml'),
    `instances:\n  loc:\n    brand: Local\n    path: ./o.db\n    mappers:\n      outgoing: ./okta.yaml\n`,
  );
  const check = await iam(['config', 'check', '--config', 'okta-iam.yaml']);
  assert.equal(check.code, 0, check.stderr);
});

test('unreadable input: exit 2, one line', async () => {
  writeFileSync(join(dir.path, 'not.json'), '{ nope');
  writeFileSync(join(dir.path, 'classifier.json'), '{"type":"classification","mapping":{}}');
  const a = await iam(['mappings', 'import', 'not.json']);
  assert.deepEqual(
    [a.code, a.stderr],
    [2, `iam: error: cannot read the mapper export ${join(dir.path, 'not.json')} (not JSON)\n`],
  );
  const b = await iam(['mappings', 'import', 'classifier.json']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /^iam: error: .*classifier\.json: not an XSOAR mapper export \(expected "type"/);
  const c = await iam(['mappings', 'import', 'missing.json']);
  assert.deepEqual([c.code, c.stderr.split('\n').length], [2, 2]);
});
