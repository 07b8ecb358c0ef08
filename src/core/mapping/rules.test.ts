// Sources (profile, constant, template), conditions, create/update rules, the lookup variant, and
// values that must survive unchanged, through the engine's exported API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { compileMapping, lookupVariant, mapIncoming, mapOutgoing } from './engine.js';
import type { Mapping } from './types.js';

const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

test('a constant: scalar or structured, set as data and never shared between calls', () => {
  const m: Mapping = [
    { app: 'active', value: true },
    { app: 'userType', value: 'Employee' },
    { app: `${ACME}:badges`, value: [{ kind: 'door', level: 2 }] },
    { app: 'name.givenName', profile: 'givenname' },
  ];
  const a = mapOutgoing(m, { givenname: 'Ann' }, 'create');
  assert.deepEqual(a, {
    active: true,
    userType: 'Employee',
    [ACME]: { badges: [{ kind: 'door', level: 2 }] },
    name: { givenName: 'Ann' },
  });
  ((a[ACME] as Record<string, unknown[]>).badges as Record<string, unknown>[])[0]!.level = 9;
  const b = mapOutgoing(m, {}, 'create');
  assert.deepEqual(
    b[ACME],
    { badges: [{ kind: 'door', level: 2 }] },
    'a caller edit did not reach the constant',
  );
  assert.deepEqual(mapIncoming(m, { active: false, userType: 'x', name: { givenName: 'Z' } }), {
    givenname: 'Z',
  });
});

test('a template alone is the source (outgoing only); with profile it is the fallback, as before', () => {
  const m: Mapping = [
    { app: 'displayName', template: '{surname}, {givenname}' },
    { app: 'nickName', profile: 'nickname', template: '{givenname}' },
  ];
  assert.deepEqual(mapOutgoing(m, { givenname: 'Jane', surname: 'Doe' }, 'create'), {
    displayName: 'Doe, Jane',
    nickName: 'Jane',
  });
  assert.deepEqual(mapOutgoing(m, { givenname: 'Jane', nickname: 'JJ' }, 'update').nickName, 'JJ');
  assert.deepEqual(mapIncoming(m, { displayName: 'Doe, Jane', nickName: 'JJ' }), { nickname: 'JJ' });
});

test('a template then a transform', () => {
  const m: Mapping = [
    {
      app: 'userName',
      template: '{givenname}.{surname}',
      transform: ['lowercase', { concat: { suffix: '@corp.example' } }],
    },
  ];
  assert.equal(
    mapOutgoing(m, { givenname: 'Jane', surname: 'Doe' }, 'create').userName,
    'jane.doe@corp.example',
  );
});

test('when: equals, in, matches, present, on a profile field', () => {
  const m: Mapping = [
    { app: 'a', value: 'eq', when: { field: 'department', equals: 'Sales' } },
    { app: 'b', value: 'in', when: { field: 'Department', in: ['Sales', 'HR'] } },
    { app: 'c', value: 'matches', when: { field: 'email', matches: '@contractor\\.example$' } },
    { app: 'd', value: 'present', when: { field: 'manager', present: true } },
    { app: 'e', value: 'absent', when: { field: 'manager', present: false } },
    { app: 'f', profile: 'title', when: { field: 'level', equals: 3 } },
  ];
  assert.deepEqual(
    mapOutgoing(m, { department: 'Sales', email: 'x@contractor.example', level: '3', title: 'T' }, 'create'),
    {
      a: 'eq',
      b: 'in',
      c: 'matches',
      e: 'absent',
      f: 'T',
    },
  );
  assert.deepEqual(mapOutgoing(m, { department: 'HR', manager: 'boss', email: 'x@corp.example' }, 'create'), {
    b: 'in',
    d: 'present',
  });
});

test('when on an incoming-only rule tests an app path', () => {
  const m: Mapping = [
    {
      app: 'emails[type eq "work"].value',
      profile: 'email',
      direction: 'in',
      when: { field: 'userType', equals: 'Employee' },
    },
    { app: 'emails[type eq "other"].value', profile: 'email', direction: 'in' },
  ];
  const emails = [
    { type: 'work', value: 'w@x' },
    { type: 'other', value: 'o@x' },
  ];
  assert.equal(mapIncoming(m, { userType: 'Employee', emails }).email, 'w@x');
  assert.equal(mapIncoming(m, { userType: 'Contractor', emails }).email, 'o@x');
});

test('create-only and update-only rules (what a { create, update } mapping is loaded into)', () => {
  const m: Mapping = [
    { app: 'userName', profile: 'username', on: 'create' },
    { app: 'active', value: true, on: 'create' },
    { app: 'userName', profile: 'username', on: 'update', transform: ['lowercase'] },
  ];
  assert.deepEqual(mapOutgoing(m, { username: 'JDoe' }, 'create'), { userName: 'JDoe', active: true });
  assert.deepEqual(mapOutgoing(m, { username: 'JDoe' }, 'update'), { userName: 'jdoe' });
});

test("the lookup variant keeps a rule's transform and condition, never a constant or a template alone", () => {
  const m: Mapping = [
    { app: 'userName', profile: 'username', transform: ['lowercase'] },
    { app: 'externalId', value: 'fixed' },
    { app: 'displayName', template: '{givenname}' },
  ];
  assert.deepEqual(mapOutgoing(lookupVariant(m), { username: 'JDoe', givenname: 'J' }, 'update'), {
    userName: 'jdoe',
  });
});

test('quotes, backslashes, newlines and unicode survive every kind of rule', () => {
  const tricky = 'O\'Brien "the \\ one"\nline 2 — 名前 👩‍💻 \u0000';
  const m: Mapping = [
    { app: 'userName', profile: 'username' },
    { app: `${ACME}:note`, profile: 'note', transform: ['trim'] },
    {
      app: 'title',
      profile: 'title',
      transform: [{ concat: { prefix: '"' } }, { replace: { pattern: 'x^', with: '' } }],
    },
    { app: 'nickName', value: tricky },
    { app: 'emails[type eq "wo\\"rk"].value', profile: 'email' },
  ];
  const sent = mapOutgoing(m, { username: tricky, note: tricky, title: tricky, email: tricky }, 'create');
  assert.equal(sent.userName, tricky);
  assert.equal((sent[ACME] as Record<string, unknown>).note, tricky);
  assert.equal(sent.title, `"${tricky}`);
  assert.equal(sent.nickName, tricky);
  assert.deepEqual(sent.emails, [{ type: 'wo"rk', value: tricky }]);
  assert.deepEqual(JSON.parse(JSON.stringify(sent)), sent, 'JSON round trip of the structured object');
  assert.equal(mapIncoming(m, sent).email, tricky);
});

test('a custom extension URN round-trips: out under its URN, back into the profile', () => {
  const m: Mapping = [
    { app: 'userName', profile: 'username' },
    { app: `${ACME}:costCenter`, profile: 'costcenter' },
    { app: `${ACME}:site.building`, profile: 'building' },
  ];
  const sent = mapOutgoing(m, { username: 'u', costcenter: 'CC-42', building: 'B7' }, 'create');
  assert.deepEqual(sent, { userName: 'u', [ACME]: { costCenter: 'CC-42', site: { building: 'B7' } } });
  assert.deepEqual(mapIncoming(m, sent), { username: 'u', costcenter: 'CC-42', building: 'B7' });
});

test('a rule without a source, or with two, is refused when compiled', () => {
  const bad = (m: unknown, message: string) =>
    assert.throws(
      () => compileMapping(m as Mapping),
      (e) => e instanceof ConfigError && e.message === message,
    );
  bad([{ app: 'x' }], 'no source: give profile, value or template');
  bad(
    [{ app: 'x', profile: 'a', value: 1 }],
    'give one source: profile, value or template (profile may have a template)',
  );
  bad(
    [{ app: 'x', value: 1, direction: 'in' }],
    'an incoming rule writes a profile field: value is outgoing only',
  );
  bad(
    [{ app: 'x', value: 1, when: { field: 'a', equals: 1, in: [1] } }],
    '"when": give exactly one of equals, in, matches, present (found 2)',
  );
  bad(
    [{ app: 'x', value: 1, when: { field: 'constructor', present: true } }],
    '"when": "field" is not a field name',
  );
});
