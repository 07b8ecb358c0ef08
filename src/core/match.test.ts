import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsLookupValue } from './match.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = {
  id: 'AbC-1',
  userName: 'Bob.Smith',
  externalId: 'E-7',
  emails: [{ value: 'Bob@Example.com', type: 'work' }, { value: 'b@home.example' }],
  [ENT]: { employeeNumber: '42' },
};

test('lookup values follow RFC 7643 caseExact: id and externalId exact, the rest not', () => {
  assert.ok(holdsLookupValue(user, 'id', 'AbC-1'));
  assert.ok(!holdsLookupValue(user, 'id', 'abc-1'));
  assert.ok(!holdsLookupValue(user, 'externalId', 'e-7'));
  assert.ok(holdsLookupValue(user, 'userName', 'bob.smith'));
  assert.ok(holdsLookupValue(user, 'username', 'BOB.SMITH'), 'attribute names are case-insensitive');
  assert.ok(!holdsLookupValue(user, 'userName', 'bob'));
});

test('multi-valued and extension lookups: any value counts, `emails` means emails.value', () => {
  assert.ok(holdsLookupValue(user, 'emails.value', 'bob@example.com'));
  assert.ok(holdsLookupValue(user, 'emails', 'B@HOME.EXAMPLE'));
  assert.ok(!holdsLookupValue(user, 'emails.value', 'alice@example.com'));
  assert.ok(holdsLookupValue(user, `${ENT}:employeeNumber`, '42'));
  assert.ok(!holdsLookupValue({ id: 'x' }, 'userName', 'bob'));
});
