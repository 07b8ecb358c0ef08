// Generators of bad (and occasionally good) input for the fuzz tests: JSON arguments, id lists,
// war-room lines and configuration files. Each mixes fast-check's general values with the shapes
// that broke things before: deep nesting, `__proto__` keys, huge strings, control characters.
import * as fc from 'fast-check';
import { stringify as toYaml } from 'yaml';

/** A `${kind:name}` secret reference (built, so it is not mistaken for a template placeholder). */
export const ref = (kind: 'env' | 'file', name: string): string => `$\{${kind}:${name}}`;

/** Keys that mean something to JavaScript or to the commands. */
export const TRICKY_KEYS = [
  '__proto__',
  '__PROTO__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'olduserdata',
  'OldUserData',
  'username',
  'email',
  'id',
  'schemas',
  'userName',
  'emails',
  'name',
  'active',
  'displayName',
  'members',
  'password',
  'meta',
] as const;

/** Text nobody should have to type but someone will: empty, JSON fragments, controls, escapes. */
export const EDGE_STRINGS = [
  '',
  ' ',
  'null',
  'true',
  '0',
  '[]',
  '{}',
  '{',
  '[',
  '{"a":',
  '"',
  '\\',
  '\u0000',
  '\n',
  '\r\n',
  '\u001b[31mred\u001b[0m',
  '\ud800',
  '💥',
  'a,b,,c',
  '--help',
  '-V',
  ref('env', 'IAM_FUZZ_UNSET'),
] as const;

export const anyText = fc.oneof(
  fc.constantFrom(...EDGE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

/** A string of 100 kB to 2 MB (built, not generated char by char, to stay fast). */
export const hugeText = fc
  .tuple(fc.integer({ min: 100_000, max: 2_000_000 }), fc.constantFrom('x', 'é', '"', '💥'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** JSON text nested `depth` levels, as arrays or objects, around an optional payload. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 40, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"olduserdata":'), fc.boolean())
  .map(([depth, open, wrap]) => {
    const close = open === '[' ? ']' : '}';
    const core = `${open.repeat(depth)}${open === '[' ? '' : '1'}${close.repeat(depth)}`;
    return wrap ? `{"username":"deep","title":${core}}` : core;
  });

const smallJson = fc.jsonValue({ maxDepth: 3 });

/** Objects with tricky keys (fast-check defines `__proto__` as an own key, as JSON.parse does). */
export const trickyObject = fc.dictionary(
  fc.oneof(fc.constantFrom(...TRICKY_KEYS), fc.string({ maxLength: 10 })),
  fc.oneof(smallJson, anyText, fc.dictionary(fc.constantFrom(...TRICKY_KEYS), smallJson, { maxKeys: 3 })),
  { maxKeys: 6 },
);

/** Anything a user could pass as a JSON argument (`--user-profile`, `--scim`). */
export const jsonArgument = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: trickyObject.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: deepJsonText },
  { weight: 1, arbitrary: hugeText.map((s) => JSON.stringify({ username: s, title: s.slice(0, 1000) })) },
  { weight: 1, arbitrary: hugeText },
);

/** `--member-ids-to-add` / `--member-ids-to-delete`: arrays of anything, comma lists, junk. */
export const idListArgument = fc.oneof(
  fc.array(fc.oneof(fc.string(), fc.integer(), smallJson), { maxLength: 8 }).map((a) => JSON.stringify(a)),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }).map((a) => a.join(',')),
  anyText,
  deepJsonText.map((t) => `[${t}]`),
  fc.constant(JSON.stringify(Array.from({ length: 3000 }, (_, i) => `id-${i}`))),
);

export const USER_COMMANDS = [
  'get-user',
  'create-user',
  'update-user',
  'enable-user',
  'disable-user',
] as const;
export const GROUP_COMMANDS = ['get-group', 'create-group', 'update-group', 'delete-group'] as const;

const WAR_ROOM_NAMES = [
  'user-profile',
  'scim',
  'allow-enable',
  'include-members',
  'memberIdsToAdd',
  'member-ids-to-delete',
  'using',
  '__proto__',
  'constructor',
  'toString',
  'bogus',
  '',
] as const;

const warRoomValue = fc.oneof(
  fc.constantFrom('{"username":"wr"}', '{"id":"g1"}', '{"displayName":"G"}', 'loc', 'yes', 'a,b'),
  jsonArgument.filter((s) => s.length < 5_000),
  anyText,
  anyText.map((s) => `"${s}"`),
  anyText.map((s) => `'${s}'`),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** `!...` lines: plain random text after the `!`, and lines shaped like the real syntax. */
export const warRoomLine = fc.oneof(
  { weight: 1, arbitrary: anyText.map((s) => `!${s}`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...USER_COMMANDS, ...GROUP_COMMANDS, 'nope', '', '-V', '--help'),
        fc.boolean(),
        fc.array(
          fc.tuple(fc.constantFrom(...WAR_ROOM_NAMES), warRoomValue, fc.constantFrom(' ', '  ', '\n', '\t')),
          {
            maxLength: 4,
          },
        ),
      )
      .map(
        ([cmd, prefix, args]) =>
          `!${prefix ? 'iam-' : ''}${cmd}${args.map(([k, v, sep]) => `${sep}${k}=${v}`).join('')}`,
      ),
  },
);

/** Where in a config a mutation lands (the base config is built by `baseConfig`). */
const CONFIG_PATHS: readonly (readonly (string | number)[])[] = [
  [],
  ['instances'],
  ['instances', 'loc'],
  ['instances', 'loc', 'brand'],
  ['instances', 'loc', 'path'],
  ['instances', 'loc', 'allowCreate'],
  ['instances', 'loc', 'createIfNotExists'],
  ['instances', 'loc', 'timeoutMs'],
  ['instances', 'loc', 'insecure'],
  ['instances', 'loc', 'proxy'],
  ['instances', 'loc', 'mappers'],
  ['instances', 'loc', 'mappers', 'outgoing'],
  ['instances', 'loc', 'mappers', 'outgoing', 0],
  ['instances', 'loc', 'mappers', 'outgoing', 0, 'app'],
  ['instances', 'loc', 'mappers', 'outgoing', 0, 'profile'],
  ['instances', 'loc', 'mappers', 'outgoing', 1, 'template'],
  ['instances', 'loc', 'mappers', 'outgoing', 1, 'with'],
];

const configValue = fc.oneof(
  smallJson,
  anyText,
  fc.constantFrom(
    ref('env', 'IAM_FUZZ_UNSET'),
    ref('env', 'IAM_FUZZ_SET'),
    ref('file', '/nonexistent/iam-fuzz'),
    ref('env', ''),
    'SCIM',
    'local',
    'LOCAL',
    'AWS-ILM',
    '__proto__.polluted',
    'emails[type eq "work"].value',
    'emails[type eq',
    'constructor',
    '{constructor}',
    -1,
    0,
    Number.POSITIVE_INFINITY,
  ),
  trickyObject,
);

export type ConfigMutation =
  | { op: 'set'; path: readonly (string | number)[]; value: unknown }
  | { op: 'delete'; path: readonly (string | number)[] }
  | { op: 'add'; path: readonly (string | number)[]; key: string; value: unknown };

export const configMutation: fc.Arbitrary<ConfigMutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...CONFIG_PATHS), value: configValue }),
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...CONFIG_PATHS) }),
  fc.record({
    op: fc.constant('add' as const),
    path: fc.constantFrom(...CONFIG_PATHS),
    key: fc.oneof(fc.constantFrom(...TRICKY_KEYS, 'tokn', 'baseUrl', 'token', 'auditLog'), fc.string()),
    value: configValue,
  }),
);

/** A valid Local config with one inline mapping, as a plain object the mutations edit. */
export function baseConfig(dbPath: string): Record<string, unknown> {
  return {
    instances: {
      loc: {
        brand: 'Local',
        path: dbPath,
        allowCreate: true,
        mappers: {
          outgoing: [
            { app: 'username', profile: ['username', 'email'] },
            { app: 'displayname', profile: 'displayname', template: '{givenname} {surname}' },
            { app: 'email', profile: 'email' },
          ],
        },
      },
    },
  };
}

const isContainer = (v: unknown): v is Record<string | number, unknown> =>
  typeof v === 'object' && v !== null;

/** Applies mutations to a copy (a path that no longer exists is skipped). Own keys only. */
export function mutate(config: unknown, mutations: readonly ConfigMutation[]): unknown {
  let root = structuredClone(config);
  for (const m of mutations) {
    if (m.path.length === 0 && m.op === 'set') {
      root = m.value;
      continue;
    }
    const parentPath = m.op === 'add' ? m.path : m.path.slice(0, -1);
    let node: unknown = root;
    for (const k of parentPath) node = isContainer(node) && Object.hasOwn(node, k) ? node[k] : undefined;
    if (!isContainer(node)) continue;
    const key = m.op === 'add' ? m.key : (m.path[m.path.length - 1] as string | number);
    const define = (value: unknown) =>
      Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
    if (m.op === 'delete') delete node[key];
    else define(m.value);
  }
  return root;
}

/** A config file's text: the mutated object as YAML or JSON, or raw text that may not parse at all. */
export const configText = (dbPath: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(configMutation, { minLength: 1, maxLength: 4 }), fc.boolean())
        .map(([ms, asJson]) => {
          const value = mutate(baseConfig(dbPath), ms);
          return asJson ? (JSON.stringify(value) ?? '') : toYaml(value);
        }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => toYaml(v)) },
    { weight: 1, arbitrary: anyText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'instances: {loc: {brand: Local}, loc: {brand: Local}}',
        'instances: !!js/function "x"',
        'a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        `instances: {? [a]: {brand: Local}}`,
        `instances:\n  "x\\ny":\n    brand: "Lo\\ncal"\n`,
        `instances: ${'['.repeat(5000)}`,
      ),
    },
  );
