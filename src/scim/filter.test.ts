import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'scim2-parse-filter';
import { and, eq, isAttrPath, or, present, valuePath } from './filter.js';

test('a hostile username stays one string literal', () => {
  const hostile = 'x" or userName pr "';
  const f = eq('userName', hostile);
  assert.equal(f, 'userName eq "x\\" or userName pr \\""');
  // An independent SCIM filter parser reads exactly one comparison with the original value.
  assert.deepEqual(parse(f), { op: 'eq', attrPath: 'userName', compValue: hostile });
});

test('backslashes and control characters are escaped JSON-style', () => {
  const value = 'a\\b"c\nd';
  const f = eq('displayName', value);
  assert.equal(f, 'displayName eq "a\\\\b\\"c\\nd"');
  // The literal is a JSON string (RFC 7644 3.4.2.2). (scim2-parse-filter 0.2 does not unescape `\\`, so JSON.parse checks.)
  assert.equal(JSON.parse(f.slice('displayName eq '.length)), value);
});

test('attribute paths are checked, URNs and sub-attributes allowed', () => {
  for (const ok of [
    'userName',
    'emails.value',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
  ]) {
    assert.ok(isAttrPath(ok), ok);
  }
  for (const bad of ['userName or id', 'a"b', '', '1abc', 'emails[type eq "work"]', 'name.given.x', 'id)']) {
    assert.ok(!isAttrPath(bad), bad);
    assert.throws(() => eq(bad, 'x'), TypeError);
  }
});

test('non-string values, presence, and/or grouping, value paths', () => {
  assert.equal(eq('active', true), 'active eq true');
  assert.equal(present('title'), 'title pr');
  const f = and(eq('userName', 'a'), or(eq('title', 'b'), eq('title', 'c')));
  assert.equal(f, 'userName eq "a" and (title eq "b" or title eq "c")');
  assert.equal(parse(f).op, 'and');
  assert.equal(valuePath('members', eq('value', 'id"1')), 'members[value eq "id\\"1"]');
});
