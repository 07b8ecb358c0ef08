import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './errors.js';
import type { Mapping } from './mapping/types.js';
import { parseBoolean, parseIdList, parseUserProfile } from './profile.js';

const scim: Mapping = [
  { app: 'userName', profile: ['username', 'email'] },
  { app: 'emails[type eq "work"].value', profile: 'email', with: { primary: true } },
  { app: 'name.givenName', profile: 'givenname' },
];

test('a plain profile keeps its fields, keys lowercased', () => {
  assert.deepEqual(parseUserProfile('{"Email":"a@b.c","username":"x"}', scim), {
    email: 'a@b.c',
    username: 'x',
  });
});

test('a SCIM User is turned into a profile through the SCIM mapping', () => {
  const p = parseUserProfile(
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'abc',
      userName: 'jdoe',
      name: { givenName: 'J' },
    },
    scim,
  );
  assert.deepEqual(p, { username: 'jdoe', givenname: 'J', id: 'abc' });
  assert.deepEqual(parseUserProfile({ emails: [{ value: 'e@x', primary: true }] }, scim), { email: 'e@x' });
});

test('malformed profiles are usage errors naming the argument', () => {
  for (const bad of ['{"a":', '[1]', '"str"', 'null', '', '42']) {
    assert.throws(
      () => parseUserProfile(bad, scim),
      (e: unknown) => e instanceof UsageError && e.message.startsWith('user-profile: expected a JSON object'),
      bad,
    );
  }
});

test('booleans accept true/false/yes/no/1/0 in any case, and nothing else', () => {
  for (const t of ['true', 'TRUE', 'Yes', '1', true])
    assert.equal(parseBoolean(t, 'allow-enable', false), true);
  for (const f of ['false', 'False', 'NO', '0', false])
    assert.equal(parseBoolean(f, 'allow-enable', true), false);
  assert.equal(parseBoolean(undefined, 'allow-enable', true), true);
  assert.throws(
    () => parseBoolean('maybe', 'allow-enable', true),
    /allow-enable: expected true\/false\/yes\/no\/1\/0/,
  );
});

test('id lists accept JSON arrays and comma-separated strings', () => {
  assert.deepEqual(parseIdList('["a","b"]', 'memberIdsToAdd'), ['a', 'b']);
  assert.deepEqual(parseIdList(' a, b ,,c,a', 'memberIdsToAdd'), ['a', 'b', 'c']);
  assert.deepEqual(parseIdList([1, '2'], 'memberIdsToAdd'), ['1', '2']);
  assert.throws(() => parseIdList('[1,', 'memberIdsToAdd'), /memberIdsToAdd: expected a JSON array/);
  assert.throws(() => parseIdList('[{"a":1}]', 'memberIdsToAdd'), /every id must be a string/);
});

test('identity fields with control, bidi or zero-width characters are refused, naming the field', () => {
  const cases: [string, RegExp][] = [
    ['{"username":"ann\\u0000"}', /field "username" .*\(U\+0000, character 4\)/],
    ['{"Email":"ann\\u007f@x.com"}', /field "email" .*U\+007F/],
    ['{"username":"ann\\u0085"}', /field "username" .*U\+0085/],
    ['{"username":"a\\nb"}', /field "username" .*U\+000A/],
    ['{"username":"\\u202Enna"}', /field "username" .*U\+202E/],
    ['{"email":"ann\\u200B@x.com"}', /field "email" .*U\+200B/],
    ['{"username":"ann","olduserdata":{"username":"an\\u2066n"}}', /field "olduserdata.username" .*U\+2066/],
    ['{"userName":"ann\\u200D"}', /field "username" .*U\+200D/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseUserProfile(input, scim),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && e.field === 'user-profile',
      input,
    );
  }
  // Not identity fields, and visible non-ASCII: accepted as they are.
  assert.deepEqual(parseUserProfile('{"username":"zoë.ñ","title":"line1\\nline2"}', scim), {
    username: 'zoë.ñ',
    title: 'line1\nline2',
  });
});
