// Property: the mapping engine that compiles each Mapping once gives exactly what the engine that
// parsed every rule on every call gave (test/fuzz/mapping-reference.ts, the engine of commit a9d0787):
// the same objects, the same JSON bytes, the same errors, for any well-typed mapping and any profile
// or app object, also after the mapping's rules are edited between calls. Paths through `__proto__`
// are in the corpus: they must fail the same way and leave Object.prototype alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as fc from 'fast-check';
import {
  compileMapping,
  lookupVariant,
  mapIncoming,
  mapOutgoing,
  profileFieldsFor,
} from '../../src/core/mapping/engine.js';
import type { Mapping, MappingRule } from '../../src/core/mapping/types.js';
import type { Profile } from '../../src/core/profile.js';
import * as reference from './mapping-reference.js';
import './report.js';

const RUNS = 400;
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** App paths: the spec's, selectors of each literal kind, dots inside quotes, and paths that must fail. */
const PATHS = [
  'userName',
  '  userName ',
  'displayName',
  'title',
  'name.givenName',
  'name.familyName',
  'name',
  'emails[type eq "work"].value',
  'emails[type eq "WORK"].value',
  'emails[type eq "home"].value',
  'emails[primary eq true].value',
  'emails[type eq "work"].display',
  'phoneNumbers[type eq "mobile"].value',
  'phoneNumbers[ type  eq  "a.b\\"c" ].value',
  'x[n eq 1].y.z',
  'x[n eq -2.5].y',
  'addresses[type eq "work"].locality',
  `${ENT}:department`,
  `${ENT}:manager.value`,
  'URN:x:y:attr',
  'urn:x:',
  'emails[type eq',
  'name..givenName',
  '',
  '   ',
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'a[__proto__ eq "x"].polluted',
  'prototype',
  'b[type eq "x"].__proto__',
] as const;

const FIELDS = [
  'username',
  'UserName',
  'email',
  'givenname',
  ' GivenName ',
  'surname',
  'displayname',
  'department',
  'mobilephone',
  'title',
  'x',
  'constructor',
  'toString',
] as const;
const PROFILE_KEYS = ['username', 'email', 'givenname', 'surname', 'displayname', 'department', 'title', 'x'];

const text = fc.oneof(
  fc.constantFrom('', ' ', '  a  b ', '\u00a0x\u2003y\t', 'O\'Brien "q" \\ 名前', '{surname}', 'work'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('value', 'givenName', 'type'), scalar, { maxKeys: 2 }),
  fc.array(scalar, { maxLength: 2 }),
);

const template = fc.oneof(
  fc.constantFrom(
    '{givenname} {surname}',
    '{ GivenName }-{x}',
    '{',
    '}{',
    '{a}{b}',
    ' {surname} , {title} ',
    '',
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('{', '}', ' ', '\t', '\n', '\u00a0', ','),
        fc.constantFrom(...FIELDS).map((f) => `{${f}}`),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join('')),
);

const rule: fc.Arbitrary<MappingRule> = fc.record(
  {
    app: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...PATHS) }, fc.string({ maxLength: 12 })),
    profile: fc.oneof(fc.constantFrom(...FIELDS), fc.array(fc.constantFrom(...FIELDS), { maxLength: 3 })),
    template,
    with: fc.dictionary(
      fc.constantFrom('primary', 'type', 'display'),
      fc.oneof(fc.boolean(), fc.constantFrom('work', 'home'), fc.integer()),
      { maxKeys: 2 },
    ),
    on: fc.constantFrom('create' as const, 'update' as const),
    direction: fc.constantFrom('in' as const, 'out' as const),
  },
  { requiredKeys: ['app', 'profile'] },
);
const mapping = fc.array(rule, { maxLength: 10 });
const profile: fc.Arbitrary<Profile> = fc.dictionary(fc.constantFrom(...PROFILE_KEYS), value, { maxKeys: 7 });

const entry = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom('work', 'home', 'mobile', 'WORK', 'a.b"c'),
      value: scalar,
      primary: fc.boolean(),
      n: fc.constantFrom(1, -2.5, '1'),
    },
    { requiredKeys: [] },
  ),
  scalar,
);
const appObject = fc.dictionary(
  fc.constantFrom(
    'userName',
    'displayName',
    'title',
    'name',
    'emails',
    'phoneNumbers',
    'x',
    ENT,
    'addresses',
  ),
  fc.oneof(
    value,
    fc.array(entry, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('givenName', 'familyName', 'department', 'manager', 'y'), value, {
      maxKeys: 3,
    }),
  ),
  { maxKeys: 6 },
);

type Outcome = { ok: unknown } | { error: string };

/** Each call gets its own copy: a rule may write into an object value taken from the input. */
function outcome<T>(input: T, f: (input: T) => unknown): Outcome {
  try {
    return { ok: f(structuredClone(input)) };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

function assertSame(actual: Outcome, expected: Outcome, what: string): void {
  assert.deepStrictEqual(actual, expected, what);
  if ('ok' in actual && 'ok' in expected)
    assert.equal(JSON.stringify(actual.ok), JSON.stringify(expected.ok), `${what}: JSON bytes`);
}

const ATTRIBUTES = ['userName', 'emails', 'name', ENT, 'phoneNumbers', 'x', 'nothing'];

/** Every engine function on one mapping (as given, or compiled), against the reference. */
function assertEquivalent(m: Mapping, p: Profile, app: Record<string, unknown>, label: string): void {
  const lookup = reference.lookupMapping(m);
  for (const variant of ['create', 'update'] as const) {
    const out = outcome(p, (x) => reference.mapOutgoing(m, x, variant));
    assertSame(
      outcome(p, (x) => mapOutgoing(m, x, variant)),
      out,
      `${label}: mapOutgoing ${variant}`,
    );
    assertSame(
      outcome(p, (x) => mapOutgoing(compileMapping(m), x, variant)),
      out,
      `${label}: mapOutgoing ${variant}, compileMapping`,
    );
    assertSame(
      outcome(p, (x) => mapOutgoing(lookupVariant(m), x, variant)),
      outcome(p, (x) => reference.mapOutgoing(lookup, x, variant)),
      `${label}: mapOutgoing ${variant}, lookup variant`,
    );
    // The app object as the app would have stored it, read back.
    if ('ok' in out) {
      const stored = out.ok as Record<string, unknown>;
      assertSame(
        outcome(stored, (x) => mapIncoming(m, x)),
        outcome(stored, (x) => reference.mapIncoming(m, x)),
        `${label}: mapIncoming of the mapped ${variant}`,
      );
    }
  }
  assertSame(
    outcome(app, (x) => mapIncoming(m, x)),
    outcome(app, (x) => reference.mapIncoming(m, x)),
    `${label}: mapIncoming`,
  );
  for (const a of ATTRIBUTES) {
    assertSame(
      outcome(a, (x) => profileFieldsFor(m, x)),
      outcome(a, (x) => reference.profileFieldsFor(m, x)),
      `${label}: profileFieldsFor ${a}`,
    );
    assertSame(
      outcome(a, (x) => profileFieldsFor(lookupVariant(m), x)),
      outcome(a, (x) => reference.profileFieldsFor(lookup, x)),
      `${label}: profileFieldsFor ${a}, lookup variant`,
    );
  }
}

/** An edit of a mapping's rules, in place, between two uses of the same Mapping array. */
const edit = fc.oneof(
  rule.map((r) => (m: MappingRule[]) => void m.push(r)),
  fc.constant((m: MappingRule[]) => void m.pop()),
  fc.constant((m: MappingRule[]) => void m.reverse()),
  fc.tuple(fc.nat(), rule).map(([i, r]) => (m: MappingRule[]) => {
    if (m.length) m[i % m.length] = r;
  }),
  fc.tuple(fc.nat(), rule).map(([i, r]) => (m: MappingRule[]) => {
    // Same rule object, its fields changed.
    const target = m[i % Math.max(m.length, 1)];
    if (target) Object.assign(target, { app: r.app, profile: r.profile, template: r.template });
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...FIELDS)).map(([i, f]) => (m: MappingRule[]) => {
    // Same rule, same profile array, one of its fields replaced.
    const target = m[i % Math.max(m.length, 1)];
    if (target && Array.isArray(target.profile) && target.profile.length) (target.profile as string[])[0] = f;
  }),
  fc.tuple(fc.nat(), fc.constantFrom('in' as const, 'out' as const, undefined)).map(([i, d]) => {
    return (m: MappingRule[]) => {
      const target = m[i % Math.max(m.length, 1)];
      if (target) target.direction = d;
    };
  }),
);

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

describe('compiled mappings', () => {
  test('give byte-identical results to the uncompiled engine, on first use and from the cache', () => {
    const clean = prototypeNames();
    fc.assert(
      fc.property(mapping, profile, appObject, (m, p, app) => {
        assertEquivalent(m, p, app, 'first use');
        assertEquivalent(m, p, app, 'cached');
      }),
      { numRuns: RUNS },
    );
    assert.equal(prototypeNames(), clean, 'Object.prototype was changed');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a Mapping whose rules are edited after its first use is applied as edited', () => {
    fc.assert(
      fc.property(
        mapping,
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        profile,
        appObject,
        (m, edits, p, app) => {
          const rules = [...m];
          assertEquivalent(rules, p, app, 'before the edit');
          for (const change of edits) {
            change(rules);
            assertEquivalent(rules, p, app, 'after the edit');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
