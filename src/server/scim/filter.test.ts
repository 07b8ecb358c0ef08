// A value path tests one entry against its whole inner filter (RFC 7644 3.4.2.2): a user with a work
// email and a home email "x" has no work email "x". Resources with several emails cannot come from
// Local (one email per user), so these run on the filter itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldSubAttributes, matches, parseFilter } from './filter.js';

const jane = {
  userName: 'jane',
  emails: [
    { type: 'work', value: 'jane@corp.example', primary: true },
    { type: 'home', value: 'x@home.example' },
  ],
  addresses: [{ type: 'work', postalCode: '12345' }],
};
const hit = (filter: string) => matches(jane, parseFilter(filter));

test('one entry must satisfy the whole value path, not each condition a different entry', () => {
  assert.equal(hit('emails[type eq "work" and value eq "x@home.example"]'), false);
  assert.equal(hit('emails[type eq "home" and value eq "x@home.example"]'), true);
  assert.equal(hit('emails[type eq "work" and primary eq true]'), true);
  assert.equal(hit('emails[not (type eq "work")]'), true);
  assert.equal(hit('emails[type eq "other"]'), false);
});

test("a value path with a sub-attribute compares that entry's sub-attribute", () => {
  assert.equal(hit('emails[type eq "work"].value eq "x@home.example"'), false);
  assert.equal(hit('emails[type eq "home"].value eq "x@home.example"'), true);
  assert.equal(hit('emails[type eq "work"].value ew "corp.example"'), true);
  assert.equal(hit('addresses[type eq "work"].postalCode sw "123" and userName eq "JANE"'), true);
  assert.equal(hit('emails[type eq "home"].primary pr'), false);
  // Written as two conditions, they may hold on different entries (that is what `and` says).
  assert.equal(hit('emails[type eq "work"] and emails.value eq "x@home.example"'), true);
});

test('the fold leaves quoted brackets, plain value paths and other filters alone', () => {
  assert.equal(
    foldSubAttributes('emails[type eq "wo]rk"].value eq "a ]b" or userName eq "j"'),
    'emails[(type eq "wo]rk") and value eq "a ]b"] or userName eq "j"',
  );
  for (const same of ['emails[type eq "work"]', 'userName eq "a[b].c eq d"', 'emails.value pr']) {
    assert.equal(foldSubAttributes(same), same);
  }
});

test('two filters with nothing between them are an invalidFilter, not a crash', () => {
  // scim2-parse-filter reads `not (a)not (b)` as a `not` node without its filter (the gateway fuzz
  // found it: matching that tree threw, a 500).
  for (const text of ['not (userName pr)not (title pr)', 'not (userName pr) not (userName eq "x")']) {
    assert.throws(
      () => parseFilter(text),
      (e: Error & { status?: number; scimType?: string }) =>
        e.status === 400 &&
        e.scimType === 'invalidFilter' &&
        /^filter: not a SCIM filter \(RFC 7644 3\.4\.2\.2\): /.test(e.message),
      text,
    );
  }
  // Well-formed `not`s still parse and match.
  assert.equal(hit('not (userName pr) or emails[type eq "work"]'), true);
  assert.equal(hit('not (userName eq "jane") and not (title pr)'), false);
});
