import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planChanges, scrubPasswords } from './entries.js';
import { reescapeRdn } from './escape.js';

const skip = new Set(['id', 'dn', 'entryuuid']);

describe('planChanges: what an update writes', () => {
  test('only what differs; attribute names compared in any case; read-only keys ignored', () => {
    const raw = { id: 'x', dn: 'uid=a,dc=x', givenName: 'Ann', title: 'Eng' };
    assert.deepEqual(planChanges(raw, { givenname: 'Ann', title: 'Lead', id: 'y', dn: 'z' }, skip), {
      title: 'Lead',
    });
  });

  test('null removes a present attribute and is no change for an absent one', () => {
    assert.deepEqual(planChanges({ mobile: '+1' }, { mobile: null, pager: null }, skip), { mobile: null });
  });

  test('a single value for a multi-valued attribute keeps the other values', () => {
    const raw = { mail: ['a@x.org', 'b@x.org'] };
    assert.deepEqual(planChanges(raw, { mail: 'b@x.org' }, skip), {}, 'already one of them');
    assert.deepEqual(planChanges(raw, { mail: 'c@x.org' }, skip), { mail: ['c@x.org', 'b@x.org'] });
  });
});

test('password attributes never show in a write body', () => {
  assert.deepEqual(scrubPasswords({ uid: 'a', userPassword: 'p4ss', unicodePwd: 'x' }), {
    uid: 'a',
    userPassword: '[REDACTED]',
    unicodePwd: '[REDACTED]',
  });
});

test('an RDN as a server wrote it is escaped again the RFC 4514 way', () => {
  assert.equal(reescapeRdn('CN=Doe\\, Jane\\\\'), 'CN=Doe\\, Jane\\5C');
  assert.equal(reescapeRdn('uid=a\\2Cb'), 'uid=a\\,b');
});
