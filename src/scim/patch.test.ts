import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addMembersOp,
  covers,
  diffUser,
  mergeUser,
  patchFieldNames,
  patchRequest,
  removeMembersOps,
  setActiveOp,
} from './patch.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const current = {
  id: 'u1',
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  meta: { resourceType: 'User' },
  userName: 'ann',
  active: true,
  displayName: 'Ann Lee',
  name: { givenName: 'Ann', familyName: 'Lee', formatted: 'Ann Lee' },
  emails: [{ value: 'ann@example.com', type: 'work', primary: true, display: 'ann' }],
  [ENT]: { department: 'Sales', employeeNumber: '7' },
};

test('diffUser sends nothing when the app already holds the desired values', () => {
  const desired = {
    userName: 'ann',
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ type: 'work', primary: true, value: 'ann@example.com' }],
    [ENT]: { department: 'Sales' },
    title: null,
  };
  assert.deepEqual(diffUser(current, desired), []);
});

test('diffUser patches changed attributes only, sub-attributes and URN paths', () => {
  const ops = diffUser(current, {
    userName: 'ann',
    displayName: 'Ann "The" Lee',
    name: { givenName: 'Anne', familyName: 'Lee' },
    emails: [{ type: 'work', primary: true, value: 'anne@example.com' }],
    title: 'CTO',
    [ENT]: { department: 'R&D', employeeNumber: '7', costCenter: 'C1' },
  });
  assert.deepEqual(ops, [
    { op: 'replace', path: 'displayName', value: 'Ann "The" Lee' },
    { op: 'replace', path: 'name.givenName', value: 'Anne' },
    // The work email only, by its type: other emails the app holds are not touched.
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'anne@example.com' },
    { op: 'replace', path: 'title', value: 'CTO' },
    { op: 'replace', path: `${ENT}:department`, value: 'R&D' },
    { op: 'replace', path: `${ENT}:costCenter`, value: 'C1' },
  ]);
});

test('diffUser keeps booleans boolean and ignores server-owned attributes', () => {
  assert.deepEqual(diffUser(current, { active: false, id: 'other', meta: {}, schemas: [] }), [
    { op: 'replace', path: 'active', value: false },
  ]);
  assert.deepEqual(setActiveOp(true), { op: 'replace', path: 'active', value: true });
});

test('covers compares multi-valued attributes in any order, extra server keys allowed', () => {
  assert.ok(covers([{ value: 'a', x: 1 }, { value: 'b' }], [{ value: 'b' }, { value: 'a' }]));
  assert.ok(!covers([{ value: 'a' }, { value: 'b' }], [{ value: 'a' }]));
  assert.ok(!covers([{ value: 'a' }], [{ value: 'a' }, { value: 'a' }]));
  assert.ok(!covers('true', true));
});

test('member ops: one add with all ids, removes by escaped value path or value list', () => {
  assert.deepEqual(addMembersOp(['1', '2']), {
    op: 'add',
    path: 'members',
    value: [{ value: '1' }, { value: '2' }],
  });
  assert.deepEqual(removeMembersOps(['1', 'a"b'], 'filter'), [
    { op: 'remove', path: 'members[value eq "1"]' },
    { op: 'remove', path: 'members[value eq "a\\"b"]' },
  ]);
  assert.deepEqual(removeMembersOps(['1'], 'value-list'), [
    { op: 'remove', path: 'members', value: [{ value: '1' }] },
  ]);
  assert.deepEqual(patchRequest([setActiveOp(false)]), {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'active', value: false }],
  });
});

test('mergeUser lays desired values over the current user for a PUT', () => {
  const merged = mergeUser(current, {
    name: { givenName: 'Anne' },
    emails: [{ value: 'n@x' }],
    id: 'nope',
    title: null,
  });
  assert.equal(merged.id, 'u1');
  assert.deepEqual(merged.name, { givenName: 'Anne', familyName: 'Lee', formatted: 'Ann Lee' });
  assert.deepEqual(merged.emails, [{ value: 'n@x' }]);
  assert.equal('title' in merged, false);
  assert.deepEqual(merged[ENT], current[ENT]);
});

const typedUser = {
  id: 'u2',
  userName: 'bo',
  emails: [
    { value: 'bo@work.example', type: 'work', primary: true },
    { value: 'bo@home.example', type: 'home' },
  ],
  phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
};

test('diffUser: a typed value is patched by its type, a new type added, the others kept', () => {
  assert.deepEqual(
    diffUser(typedUser, {
      emails: [{ type: 'work', primary: true, value: 'bo@new.example' }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0199' }],
    }),
    [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'bo@new.example' },
      { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+1 555 0199' }] },
    ],
  );
});

test('diffUser: a value made primary takes primary from the others (one primary)', () => {
  const ops = diffUser(
    { ...typedUser, emails: [{ value: 'bo@home.example', type: 'home', primary: true }] },
    { emails: [{ type: 'work', primary: true, value: 'bo@work.example' }] },
  );
  assert.deepEqual(ops, [
    { op: 'add', path: 'emails', value: [{ type: 'work', primary: true, value: 'bo@work.example' }] },
    { op: 'replace', path: 'emails[type eq "home"].primary', value: false },
  ]);
});

test('diffUser: two values of one type are told apart by value; a one-value app is replaced whole', () => {
  const two = {
    emails: [
      { value: 'a@x', type: 'work' },
      { value: 'b@x', type: 'work', primary: true },
    ],
  };
  assert.deepEqual(diffUser(two, { emails: [{ type: 'work', primary: true, value: 'c@x' }] }), [
    { op: 'replace', path: 'emails[type eq "work" and value eq "b@x"].value', value: 'c@x' },
  ]);
  // An app that keeps one email and holds a home one: adding a work one would be refused.
  const single = { emails: [{ value: 'h@x', type: 'home', primary: true }] };
  const want = [{ type: 'work', primary: true, value: 'w@x' }];
  assert.deepEqual(diffUser(single, { emails: want }, { emails: 1 }), [
    { op: 'replace', path: 'emails', value: want },
  ]);
});

test('mergeUser: typed values merge by type for a PUT, one primary, limits respected', () => {
  const merged = mergeUser(typedUser, {
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0199' }],
    emails: [{ type: 'home', primary: true, value: 'bo@home2.example' }],
  });
  assert.deepEqual(merged.phoneNumbers, [
    { value: '+1 555 0100', type: 'work' },
    { type: 'mobile', value: '+1 555 0199' },
  ]);
  assert.deepEqual(merged.emails, [
    { value: 'bo@work.example', type: 'work', primary: false },
    { value: 'bo@home2.example', type: 'home', primary: true },
  ]);
  const one = mergeUser(typedUser, { phoneNumbers: [{ type: 'mobile', value: '9' }] }, { phoneNumbers: 1 });
  assert.deepEqual(one.phoneNumbers, [{ type: 'mobile', value: '9' }]);
});

test('patchFieldNames: operation paths without value filters, else the value keys; never values', () => {
  const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const names = patchFieldNames([
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b' },
    { op: 'replace', value: { title: 'T', active: true, [ENT]: { department: 'D' } } },
  ]);
  assert.deepEqual(names, ['emails', 'title', 'active', `${ENT}:department`]);
});
