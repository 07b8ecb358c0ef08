import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupValue, mapIncoming, mapOutgoing, profileFieldsFor } from './engine.js';
import type { Mapping } from './types.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const mapping: Mapping = [
  { app: 'userName', profile: ['username', 'email'] },
  { app: 'emails[type eq "work"].value', profile: 'email', with: { primary: true } },
  { app: 'name.givenName', profile: 'givenname' },
  { app: 'name.familyName', profile: 'surname' },
  { app: 'displayName', profile: 'displayname', template: '{givenname} {surname}' },
  { app: 'phoneNumbers[type eq "mobile"].value', profile: 'mobilephone' },
  { app: `${ENT}:department`, profile: 'department' },
  { app: 'password', profile: 'password', on: 'create', direction: 'out' },
];

test('outgoing builds structured SCIM objects and omits absent values', () => {
  const out = mapOutgoing(
    mapping,
    { username: 'jdoe', givenname: 'Jane', surname: 'Doe', department: 'R&D' },
    'update',
  );
  assert.deepEqual(out, {
    userName: 'jdoe',
    name: { givenName: 'Jane', familyName: 'Doe' },
    displayName: 'Jane Doe',
    [ENT]: { department: 'R&D' },
  });
  assert.equal('emails' in out, false, 'no email means no emails attribute, never [null]');
});

test('outgoing: email fills userName when username is absent, and the work email is primary', () => {
  const out = mapOutgoing(mapping, { email: 'a@b.c', mobilephone: '+1 555' }, 'create');
  assert.equal(out.userName, 'a@b.c');
  assert.deepEqual(out.emails, [{ type: 'work', primary: true, value: 'a@b.c' }]);
  assert.deepEqual(out.phoneNumbers, [{ type: 'mobile', value: '+1 555' }]);
});

test('outgoing: create-only rules are left out of updates', () => {
  assert.equal(mapOutgoing(mapping, { username: 'x', password: 'p' }, 'create').password, 'p');
  assert.equal('password' in mapOutgoing(mapping, { username: 'x', password: 'p' }, 'update'), false);
});

test('values with quotes, backslashes and unicode survive unchanged', () => {
  const tricky = 'O\'Brien "the \\ one" — 名前';
  const out = mapOutgoing(mapping, { username: tricky, surname: tricky }, 'update');
  assert.equal(out.userName, tricky);
  assert.equal((out.name as Record<string, unknown>).familyName, tricky);
  assert.equal(mapIncoming(mapping, out).username, tricky);
});

test('incoming: the primary email wins, else the first', () => {
  const primary = mapIncoming(mapping, {
    userName: 'u',
    emails: [
      { value: 'home@x', type: 'home' },
      { value: 'main@x', type: 'other', primary: true },
    ],
  });
  assert.equal(primary.email, 'main@x');
  const first = mapIncoming(mapping, { emails: [{ value: 'first@x', type: 'home' }, { value: 'b@x' }] });
  assert.equal(first.email, 'first@x');
});

test('incoming reads the table backwards, including the enterprise extension', () => {
  const p = mapIncoming(mapping, {
    userName: 'jdoe',
    name: { givenName: 'Jane', familyName: 'Doe' },
    displayName: 'JD',
    phoneNumbers: [
      { value: '1', type: 'work' },
      { value: '2', type: 'mobile' },
    ],
    [ENT]: { department: 'Ops' },
    password: 'never-read',
  });
  assert.deepEqual(p, {
    username: 'jdoe',
    givenname: 'Jane',
    surname: 'Doe',
    displayname: 'JD',
    mobilephone: '2',
    department: 'Ops',
  });
});

test('lookupValue reads strings and the primary value of multi-valued attributes', () => {
  assert.equal(lookupValue({ userName: 'x' }, 'userName'), 'x');
  assert.equal(lookupValue({ emails: [{ value: 'a' }, { value: 'b', primary: true }] }, 'emails'), 'b');
  assert.equal(lookupValue({}, 'emails'), undefined);
  assert.equal(lookupValue({ userName: '' }, 'userName'), undefined);
});

test('profileFieldsFor names the profile fields that feed an attribute', () => {
  assert.deepEqual(profileFieldsFor(mapping, 'userName'), ['username', 'email']);
  assert.deepEqual(profileFieldsFor(mapping, 'emails'), ['email']);
});

test('outgoing: an object value from the profile is copied, so a later rule writing into its path neither loops nor changes the profile', () => {
  // Found by the compiled-mapping fuzz (seed -757893458): `name` took the profile's object and
  // `name.familyName` then wrote that same object into itself.
  const profile = { username: { givenName: 'Jane' } };
  const out = mapOutgoing(
    [
      { app: 'name', profile: 'username' },
      { app: 'name.familyName', profile: 'username' },
    ],
    profile,
    'create',
  );
  assert.equal(JSON.stringify(out), '{"name":{"givenName":"Jane","familyName":{"givenName":"Jane"}}}');
  assert.deepEqual(profile, { username: { givenName: 'Jane' } }, 'the caller’s profile is unchanged');
});
