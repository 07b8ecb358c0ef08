// Generators of what a SCIM client may send a SCIM server (RFC 7644): filters built from section
// 3.4.2.2's grammar and then broken on purpose, list queries, User bodies of right and wrong shape,
// and PATCH operations on users and on group members. Used by the gateway's property test.
import * as fc from 'fast-check';
import { anyText, deepJsonText, jsonArgument, TRICKY_KEYS, trickyObject } from './arbitraries.js';

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// RFC 7644 3.4.2.2: attrPath SP compareOp SP compValue, "pr", logical and grouping, value paths.
const attrPath = fc.constantFrom(
  'userName',
  'USERNAME',
  'displayName',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails.value',
  'emails.type',
  'active',
  'title',
  'id',
  'externalId',
  'meta.created',
  'meta.lastModified',
  `${ENT}:department`,
  `${USER_SCHEMA}:userName`,
  'members.value',
  '__proto__',
  'constructor.prototype',
  'x.y.z',
);
const compareOp = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'EQ', 'Sw', 'xx');
const compValue = fc.oneof(
  fc.constantFrom('true', 'false', 'null', '0', '-1.5e3', '"2026-01-01T00:00:00Z"', '"ann"', '""', '"'),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 8 }),
  fc.double().map(String),
);
const comparison = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(attrPath, compareOp, compValue).map(([a, o, v]) => `${a} ${o} ${v}`) },
  { weight: 1, arbitrary: attrPath.map((a) => `${a} pr`) },
);
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: comparison },
    fc
      .tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'xor'), tie('f'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
    fc.tuple(fc.constantFrom('emails', 'members', 'addresses'), tie('f')).map(([a, f]) => `${a}[${f}]`),
  ),
})).f;
const brokenFilter = fc.oneof(
  filter,
  fc.tuple(filter, fc.nat(), fc.nat()).map(([f, i, n]) => f.slice(0, i % (f.length + 1)) + f.slice(n % 5)),
  fc.tuple(filter, anyText).map(([f, t]) => `${f}${t}`),
  anyText,
  fc.constant(`userName eq "${'('.repeat(2000)}"`),
  fc.constant(`${'('.repeat(3000)}userName pr${')'.repeat(3000)}`),
  fc.constant(Array.from({ length: 3000 }, (_, i) => `userName eq "u${i}"`).join(' or ')),
);

export const listQuery = fc
  .record(
    {
      filter: brokenFilter,
      startIndex: fc.oneof(fc.integer({ min: -5, max: 10 }).map(String), anyText),
      count: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), anyText),
      attributes: fc.oneof(attrPath, anyText),
      excludedAttributes: fc.oneof(attrPath, anyText),
      sortBy: attrPath,
    },
    { requiredKeys: [] },
  )
  .map((q) => new URLSearchParams(q).toString());

const userLike = fc
  .record(
    {
      schemas: fc.oneof(fc.constant([USER_SCHEMA]), fc.constant([USER_SCHEMA, ENT]), fc.jsonValue()),
      userName: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue()),
      name: fc.oneof(trickyObject, fc.record({ givenName: anyText, familyName: anyText })),
      emails: fc.oneof(
        fc.array(fc.record({ value: anyText, type: anyText, primary: fc.jsonValue() }), { maxLength: 3 }),
        fc.jsonValue(),
      ),
      active: fc.jsonValue(),
      title: anyText,
      [ENT]: fc.oneof(fc.record({ department: anyText }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  .chain((u) => trickyObject.map((extra) => ({ ...extra, ...u })));

export const body = fc.oneof(
  { weight: 4, arbitrary: userLike.map((u) => JSON.stringify(u)) },
  { weight: 2, arbitrary: jsonArgument },
  { weight: 1, arbitrary: deepJsonText },
);

const patchOp = fc.record(
  {
    op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'move', ''),
    path: fc.oneof(
      attrPath,
      brokenFilter.map((f) => `emails[${f}].value`),
      anyText,
    ),
    value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), trickyObject, anyText),
  },
  { requiredKeys: [] },
);
export const patchBody = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(patchOp, { maxLength: 4 })
        .map((ops) => ({ schemas: [PATCH_SCHEMA], Operations: ops })),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom(...TRICKY_KEYS, 'Operations'), fc.jsonValue(), { maxKeys: 3 }),
    },
  )
  .map((b) => JSON.stringify(b));

export const memberPatch = fc
  .array(
    fc.record({
      op: fc.constantFrom('add', 'remove', 'replace'),
      path: fc.constantFrom('members', 'members[value eq "x"]', 'displayName', 'members[value eq'),
      value: fc.oneof(
        fc.array(fc.record({ value: fc.oneof(fc.string({ maxLength: 10 }), fc.jsonValue()) }), {
          maxLength: 3,
        }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    }),
    { maxLength: 3 },
  )
  .map((ops) => JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: ops }));
