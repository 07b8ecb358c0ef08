import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  isAccountDisabled,
  newAccountControl,
  parseAccountControl,
  UAC,
  withAccountDisabled,
} from './user-account-control.js';

test('a new account is 512 enabled, 514 disabled', () => {
  assert.deepEqual([newAccountControl(true), newAccountControl(false)], [512, 514]);
});

test('disable and enable flip ACCOUNTDISABLE only: every other bit is kept', () => {
  const uac = UAC.NORMAL_ACCOUNT | UAC.DONT_EXPIRE_PASSWORD | UAC.PASSWD_NOTREQD; // 66080
  const off = withAccountDisabled(uac, true);
  assert.equal(off, 66082);
  assert.equal(isAccountDisabled(off), true);
  assert.equal(withAccountDisabled(off, false), 66080);
  assert.equal(withAccountDisabled(off, true), off, 'disabling a disabled account changes nothing');
});

test('any value: the flip changes bit 0x2 and nothing else, both ways', () => {
  fc.assert(
    fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (uac) => {
      assert.equal(withAccountDisabled(uac, true) & ~UAC.ACCOUNTDISABLE, uac & ~UAC.ACCOUNTDISABLE);
      assert.equal(withAccountDisabled(uac, false) & ~UAC.ACCOUNTDISABLE, uac & ~UAC.ACCOUNTDISABLE);
      assert.equal(isAccountDisabled(withAccountDisabled(uac, true)), true);
      assert.equal(isAccountDisabled(withAccountDisabled(uac, false)), false);
    }),
  );
});

test('parses what AD returns (a decimal string, maybe in an array, signed); else null', () => {
  assert.equal(parseAccountControl('66082'), 66082);
  assert.equal(parseAccountControl(['514']), 514);
  assert.equal(parseAccountControl('-2147483134'), -2147483134);
  assert.equal(parseAccountControl('2147484160'), 2147484160 | 0, 'the unsigned form reads as AD stores it');
  for (const bad of [undefined, '', 'abc', '5.5', [], '99999999999'])
    assert.equal(parseAccountControl(bad), null);
});
