import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EqualityFilter } from 'ldapts';
import {
  escapeDnValue,
  escapeFilterValue,
  firstRdn,
  normalizeDn,
  parentDn,
  rdn,
  splitDn,
  unescapeDnValue,
} from './escape.js';

describe('RFC 4514 DN value escaping', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['Doe, Jane', 'Doe\\, Jane'],
    ['a+b', 'a\\+b'],
    ['say "hi"', 'say \\"hi\\"'],
    ['#first', '\\#first'],
    ['mid#dle', 'mid#dle'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    ['back\\slash', 'back\\5Cslash'],
    ['semi;colon<>', 'semi\\;colon\\<\\>'],
    ['a=b', 'a\\=b'],
    ['nul\0', 'nul\\00'],
    ['Zoë Ünïcødé 李', 'Zoë Ünïcødé 李'],
  ];
  for (const [raw, escaped] of cases) {
    test(`${JSON.stringify(raw)} -> ${escaped}, and back`, () => {
      assert.equal(escapeDnValue(raw), escaped);
      assert.equal(unescapeDnValue(escaped), raw);
    });
  }

  test('a single space is both leading and trailing: one escape', () => {
    assert.equal(escapeDnValue(' '), '\\ ');
  });

  test('rdn() builds attr=escaped; split, parent and first RDN honour escapes', () => {
    const dn = `${rdn('uid', 'Doe, Jane\\')},ou=people,dc=example,dc=org`;
    assert.equal(dn, 'uid=Doe\\, Jane\\5C,ou=people,dc=example,dc=org');
    assert.deepEqual(splitDn(dn), ['uid=Doe\\, Jane\\5C', 'ou=people', 'dc=example', 'dc=org']);
    assert.equal(parentDn(dn), 'ou=people,dc=example,dc=org');
    assert.equal(firstRdn(dn), 'uid=Doe\\, Jane\\5C');
    assert.equal(parentDn('uid=a\\\\,ou=x'), 'ou=x', 'an escaped backslash before a separator');
  });

  test('normalizeDn compares DNs whatever their escape form and case', () => {
    assert.equal(normalizeDn('UID=a\\2Cb, OU=People,dc=X'), normalizeDn('uid=a\\,b,ou=people,dc=x'));
    assert.equal(normalizeDn('uid=Z\\C3\\AB'), normalizeDn('uid=zë'));
    assert.notEqual(normalizeDn('uid=a,ou=x'), normalizeDn('uid=b,ou=x'));
  });
});

describe('RFC 4515 filter values', () => {
  test('escapeFilterValue escapes * ( ) \\ and NUL, bytes as \\xx', () => {
    assert.equal(escapeFilterValue('a*(b)\\c\0'), 'a\\2a\\28b\\29\\5cc\\00');
    assert.equal(escapeFilterValue(Buffer.from([0x01, 0xab])), '\\01\\ab');
  });

  test("ldapts's EqualityFilter (what lookups send) shows the same escapes", () => {
    assert.equal(
      new EqualityFilter({ attribute: 'uid', value: '*)(uid=*' }).toString(),
      '(uid=\\2a\\29\\28uid=\\2a)',
    );
  });
});
