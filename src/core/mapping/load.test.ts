// Loading mappers: file and inline forms, create/update variants, { outgoing, incoming } files,
// and every load error's exact line (file, line, rule).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { yamlKeyLines } from '../config-errors.js';
import { ConfigError } from '../errors.js';
import { mapIncoming, mapOutgoing } from './engine.js';
import { loadMappers } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'iam-map-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = {
  where: 'iam.yaml: instance "hr"',
  source: 'iam.yaml',
  instance: 'hr',
  baseDir: dir,
  lineOf: undefined,
};

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

test('a { create, update } file: update has its own rules; without update, create serves both', () => {
  const both = file(
    'both.yaml',
    `create:
  - { app: userName, profile: username }
  - { app: active, value: true }
update:
  - { app: userName, profile: username, transform: [lowercase] }
`,
  );
  const { outgoing } = loadMappers({ outgoing: both }, ctx);
  assert.deepEqual(mapOutgoing(outgoing!, { username: 'JDoe' }, 'create'), {
    userName: 'JDoe',
    active: true,
  });
  assert.deepEqual(mapOutgoing(outgoing!, { username: 'JDoe' }, 'update'), { userName: 'jdoe' });
  const only = loadMappers({ outgoing: { create: [{ app: 'title', profile: 'title' }] } }, ctx).outgoing!;
  assert.deepEqual(
    mapOutgoing(only, { title: 'T' }, 'update'),
    { title: 'T' },
    'update falls back to create',
  );
});

test('{ create, update } may name files; a plain list file loads as before', () => {
  file('c.yaml', '- { app: userName, profile: username }\n- { app: title, value: New hire }\n');
  file('u.yaml', '- { app: userName, profile: username }\n');
  const { outgoing } = loadMappers({ outgoing: { create: 'c.yaml', update: 'u.yaml' } }, ctx);
  assert.deepEqual(mapOutgoing(outgoing!, { username: 'a' }, 'create'), { userName: 'a', title: 'New hire' });
  assert.deepEqual(mapOutgoing(outgoing!, { username: 'a' }, 'update'), { userName: 'a' });
  const plain = loadMappers({ outgoing: 'u.yaml', incoming: 'u.yaml' }, ctx);
  assert.deepEqual(
    plain.outgoing,
    [{ app: 'userName', profile: 'username' }],
    'an existing file: the same rules',
  );
});

test('an { outgoing, incoming } file: each side, its incoming rules read with their transforms', () => {
  const f = file(
    'sides.yaml',
    `outgoing:
  - { app: userName, profile: username, transform: [lowercase] }
incoming:
  - { app: userName, profile: username, transform: [uppercase] }
  - { app: 'urn:x:acme:2.0:User:site', profile: site, when: { field: userType, equals: Staff } }
`,
  );
  const m = loadMappers({ outgoing: f }, ctx);
  assert.deepEqual(mapOutgoing(m.outgoing!, { username: 'JDoe' }, 'create'), { userName: 'jdoe' });
  assert.deepEqual(
    mapIncoming(m.incoming!, { userName: 'jdoe', userType: 'Staff', 'urn:x:acme:2.0:User': { site: 'B' } }),
    {
      username: 'JDOE',
      site: 'B',
    },
  );
  assert.deepEqual(loadMappers({ incoming: f }, ctx).outgoing, undefined);
});

/** The ConfigError of loading this file's text as `mappers.outgoing` (or incoming). */
function loadError(text: string, key: 'outgoing' | 'incoming' = 'outgoing'): string {
  const name = file(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
  try {
    loadMappers({ [key]: name }, ctx);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message.replace(join(dir, name), 'F').replace(name, 'F');
  }
  assert.fail(`loaded without an error: ${text}`);
}

test('every load error: one line with file, line and rule (1-based)', () => {
  const head = '- { app: userName, profile: username }\n- { app: title, profile: title }\n';
  const cases: [string, string][] = [
    [
      `${head}- app: title\n  transform: [trim, lowercas]\n  profile: title\n`,
      'F:4: rule 3: unknown transform "lowercas" (did you mean "lowercase"?)',
    ],
    [
      `${head}- { app: 'emails[type eq', profile: email }\n`,
      'F:3: rule 3: mapping path "emails[type eq": cannot read "emails[type eq"',
    ],
    [
      `- { app: '__proto__.x', profile: a }\n`,
      'F:1: rule 1: mapping path "__proto__.x": "__proto__" is not an attribute name',
    ],
    [
      `- app: x\n  profile: a\n  transform:\n    - replace: { pattern: '(a', with: '' }\n`,
      'F:3: rule 1: transform "replace" pattern: bad regex (error parsing regexp: missing closing ): `(a`)',
    ],
    [
      `- { app: x, when: { field: a, matches: '[' }, value: 1 }\n`,
      'F:1: rule 1: "when" matches: bad regex (error parsing regexp: missing closing ]: `[`)',
    ],
    [`${head}- { app: displayName }\n`, 'F:3: rule 3: no source: give profile, value or template'],
    [
      `- { app: x, profile: a, value: b }\n`,
      'F:1: rule 1: give one source: profile, value or template (profile may have a template)',
    ],
    [
      `- app: x\n  profile: a\n  tranform: [trim]\n`,
      'F:3: rule 1: unknown key "tranform" (did you mean "transform"?)',
    ],
    [`- { profile: a }\n`, 'F:1: rule 1: "app" (the app path) is missing'],
    [
      `- { app: x, profile: [] }\n`,
      'F:1: rule 1: "profile": expected a profile field name or a list of them',
    ],
    [`- { app: x, profile: a, on: always }\n`, 'F:1: rule 1: "on": expected create or update'],
    [`- { app: x, profile: a, direction: both }\n`, 'F:1: rule 1: "direction": expected in or out'],
    [
      `- { app: x, profile: a, with: { primary: [1] } }\n`,
      'F:1: rule 1: "with": expected a map of attribute: text, number or true/false',
    ],
    [
      `- { app: x, profile: a, template: '{__proto__}' }\n`,
      'F:1: rule 1: "template": names a field that is not a profile field',
    ],
    [
      `- { app: x, profile: a, transform: [{ date: { to: 'YYYY' } }] }\n`,
      'F:1: rule 1: date to "YYYY": write yyyy for the year and dd for the day (Y and D are week-year and day-of-year)',
    ],
    [
      `- { app: x, profile: a, when: { field: b } }\n`,
      'F:1: rule 1: "when": give exactly one of equals, in, matches, present (found 0)',
    ],
    [`- just a text\n`, 'F:1: rule 1: expected a map like { app: userName, profile: username }'],
    [`app: x\n`, 'F: expected a list of rules or { create, update }'],
    [
      `create:\n  - { app: x, profile: a, on: update }\nupdate: []\n`,
      'F:2: rule 1: "on: update" in the create list',
    ],
    [
      `update: [{ app: x, profile: a }]\n`,
      'F: "create" is missing (update falls back to it, not the other way)',
    ],
    [
      `- { app: x, value: 1 }\n`,
      'F:1: rule 1: an incoming rule writes a profile field: value is outgoing only',
    ],
    [
      `- { app: x\n`,
      'F: not valid YAML (line 2, column 1: bad indentation (items of one mapping or list start at the same column), or an unclosed [ or {)',
    ],
    [`outgoing: [{ app: x, profile: a }]\n`, 'F: no "incoming" side in this file'],
  ];
  for (const [i, [text, message]] of cases.entries()) {
    const key = i === 20 || i === 22 ? 'incoming' : 'outgoing';
    assert.equal(loadError(text, key), message, `case ${i + 1}`);
  }
});

test('inline rules in the config name the config file, its line, the instance and the rule', () => {
  const text = `instances:
  hr:
    brand: SCIM
    mappers:
      outgoing:
        create:
          - { app: userName, profile: username }
          - { app: title, profile: title, transform: [uppercas] }
`;
  const raw = {
    outgoing: {
      create: [
        { app: 'userName', profile: 'username' },
        { app: 'title', profile: 'title', transform: ['uppercas'] },
      ],
    },
  };
  assert.throws(
    () => loadMappers(raw, { ...ctx, lineOf: yamlKeyLines(text) }),
    (e) =>
      e instanceof ConfigError &&
      e.message ===
        'iam.yaml:8: instance "hr" mappers.outgoing rule 2: unknown transform "uppercas" (did you mean "uppercase"?)',
  );
});

test('an unreadable mapping file is named with the instance and key, as before', () => {
  assert.throws(
    () => loadMappers({ incoming: 'missing.yaml' }, ctx),
    (e) =>
      e instanceof ConfigError &&
      e.message ===
        `iam.yaml: instance "hr" key "mappers.incoming": cannot read mapping file ${join(dir, 'missing.yaml')} (ENOENT)`,
  );
});
