import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidResponseError } from '../core/errors.js';
import { toAccount, toGroup } from './account.js';

test('toAccount reads id, userName, primary email (else first) and active', () => {
  const raw = {
    id: 'u1',
    userName: 'ann',
    emails: [{ value: 'other@x' }, { value: 'main@x', primary: true }],
  };
  assert.deepEqual(toAccount(raw), { id: 'u1', username: 'ann', email: 'main@x', active: true, raw });
  assert.equal(toAccount({ id: 'u2', emails: [{ type: 'work' }, { value: 'b@x' }] }).email, 'b@x');
  assert.equal(toAccount({ id: 'u3', active: 'False' }).active, false);
  assert.equal(toAccount({ id: 7 }).id, '7');
  assert.equal(toAccount({ id: 'u4' }).email, null);
  assert.throws(() => toAccount({ userName: 'x' }), InvalidResponseError);
});

test('toGroup maps members, or null when the read carries none', () => {
  const raw = {
    id: 'g1',
    displayName: 'Ops',
    members: [{ value: 'u1', display: 'Ann' }, { value: 'u2' }, {}],
  };
  assert.deepEqual(toGroup(raw, true).members, [
    { value: 'u1', display: 'Ann' },
    { value: 'u2', display: null },
  ]);
  assert.equal(toGroup(raw, false).members, null);
  assert.deepEqual(toGroup({ id: 'g2' }, true).members, []);
});
