// The gateway's PATCH applier and lenient filter reading, as pure functions (the HTTP behaviour is in
// scim-users.test.ts and scim-groups.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { quoteBareValues } from '../../src/server/scim/filter.js';
import { applyPatch, readPatch } from '../../src/server/scim/patch.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM gateway PATCH', () => {
  const user = {
    userName: 'a',
    emails: [
      { type: 'work', value: 'a@work', primary: true },
      { type: 'home', value: 'a@home' },
    ],
    name: { givenName: 'A', familyName: 'B' },
  };

  test('filtered paths: replace a sub-attribute of the matching entry only; remove matching entries', () => {
    const out = applyPatch(
      user,
      readPatch({ Operations: [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@home' }] }),
    );
    assert.deepEqual(out.emails, [user.emails[0], { type: 'home', value: 'x@home' }]);
    const removed = applyPatch(
      user,
      readPatch({ Operations: [{ op: 'remove', path: 'emails[type eq "work"]' }] }),
    );
    assert.deepEqual(removed.emails, [user.emails[1]]);
    assert.deepEqual(user.emails[1], { type: 'home', value: 'a@home' }, 'the input is not changed');
  });

  test('a filter that matches nothing creates the entry from its eq terms (add or replace)', () => {
    const out = applyPatch(
      { userName: 'a' },
      readPatch({
        Operations: [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' }],
      }),
    );
    assert.deepEqual(out.phoneNumbers, [{ type: 'mobile', value: '+1 555' }]);
  });

  test('no path: keys may be paths, extension URNs or an extension object; names in any case', () => {
    const out = applyPatch(
      user,
      readPatch({
        Operations: [
          { op: 'REPLACE', value: { 'NAME.GIVENNAME': 'Z', [`${ENT}:department`]: 'D1', Title: 'T' } },
          { op: 'add', value: { [ENT]: { Division: 'V' } } },
        ],
      }),
    );
    assert.deepEqual(out.name, { givenName: 'Z', familyName: 'B' });
    assert.deepEqual(out[ENT], { department: 'D1', division: 'V' });
    assert.equal(out.title, 'T');
  });

  test('add to a multi-valued attribute appends, without a duplicate value', () => {
    const out = applyPatch(
      { members: [{ value: '1' }] },
      readPatch({ Operations: [{ op: 'add', path: 'members', value: [{ value: '1' }, { value: '2' }] }] }),
    );
    assert.deepEqual(out.members, [{ value: '1' }, { value: '2' }]);
  });

  test('bad operations are refused, naming the operation', () => {
    assert.throws(() => readPatch({ Operations: [] }), /Operations/);
    assert.throws(
      () => readPatch({ Operations: [{ op: 'remove' }] }),
      /Operations\[0\]: remove needs a path/,
    );
    assert.throws(() => readPatch({ Operations: [{ op: 'add', path: 'title' }] }), /Operations\[0\]\.value/);
    assert.throws(
      () => applyPatch(user, readPatch({ Operations: [{ op: 'add', path: 'a..b', value: 1 }] })),
      /path/,
    );
  });
});

describe('SCIM gateway lenient filters', () => {
  test('a bare word after an operator is quoted; quoted strings, numbers, booleans and null stay', () => {
    assert.equal(quoteBareValues('userName sw O'), 'userName sw "O"');
    assert.equal(quoteBareValues('title eq "a eq b" and x gt 5'), 'title eq "a eq b" and x gt 5');
    assert.equal(quoteBareValues('active eq true or manager eq null'), 'active eq true or manager eq null');
    assert.equal(quoteBareValues('emails[value co x.org]'), 'emails[value co "x.org"]');
    assert.equal(
      quoteBareValues('userName eq "q\\"uote" and (a eq b)'),
      'userName eq "q\\"uote" and (a eq "b")',
    );
  });
});
