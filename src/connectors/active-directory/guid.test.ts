import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalGuid, guidFilter, guidFilterValue, guidFromBytes, guidToBytes } from './guid.js';

// Administrator's objectGUID on a Samba DC, and the string samba-tool / Windows show for it.
const BYTES = Buffer.from('ad02e0c9e958b144b50e16cda6e38d02', 'hex');
const SHOWN = 'c9e002ad-58e9-44b1-b50e-16cda6e38d02';

test('objectGUID bytes read as Windows shows them: first three groups little-endian', () => {
  assert.equal(guidFromBytes(BYTES), SHOWN);
  assert.deepEqual(guidToBytes(SHOWN), BYTES);
});

test('a GUID string in upper case or braces means the same bytes; canonical is lower case', () => {
  assert.deepEqual(guidToBytes(`{${SHOWN.toUpperCase()}}`), BYTES);
  assert.equal(canonicalGuid(` ${SHOWN.toUpperCase()} `), SHOWN);
});

test('the filter form escapes every byte in wire order', () => {
  assert.equal(guidFilterValue(SHOWN), '\\ad\\02\\e0\\c9\\e9\\58\\b1\\44\\b5\\0e\\16\\cd\\a6\\e3\\8d\\02');
});

test('what is not a GUID is null (a lookup by it finds nothing), never a wrong search', () => {
  for (const s of ['no-such-id-0000', '', 'c9e002ad58e944b1b50e16cda6e38d02', `${SHOWN}0`, '*']) {
    assert.equal(guidToBytes(s), null, s);
    assert.equal(guidFilterValue(s), null, s);
  }
  assert.throws(() => guidFromBytes(Buffer.alloc(15)), /16 bytes, got 15/);
});

test('bytes -> string -> bytes is the identity for any 16 bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      assert.deepEqual(guidToBytes(guidFromBytes(b)), Buffer.from(b));
    }),
  );
});

test('the filter object carries the raw bytes (not the escaped text, which ldapts would re-encode)', () => {
  const f = guidFilter(SHOWN);
  assert.ok(f);
  assert.equal(f.attribute, 'objectGUID');
  assert.deepEqual(f.value, BYTES);
  assert.equal(guidFilter('no-such-id-0000'), null);
});
