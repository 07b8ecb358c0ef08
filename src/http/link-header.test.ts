import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkWithRel, parseLinkHeader } from './link-header.js';

describe('RFC 8288 Link header', () => {
  it("reads GitHub's header: next and last among several links", () => {
    const h =
      '<https://api.github.com/orgs/acme/members?per_page=100&page=2>; rel="next", ' +
      '<https://api.github.com/orgs/acme/members?per_page=100&page=7>; rel="last"';
    assert.equal(linkWithRel(h, 'next'), 'https://api.github.com/orgs/acme/members?per_page=100&page=2');
    assert.equal(linkWithRel(h, 'last'), 'https://api.github.com/orgs/acme/members?per_page=100&page=7');
    assert.equal(linkWithRel(h, 'prev'), undefined);
  });

  it("reads Okta's header: self then next, unquoted rel, as two headers joined", () => {
    const h =
      '<https://acme.okta.com/api/v1/users?limit=200>; rel=self, ' +
      '<https://acme.okta.com/api/v1/users?after=00ubfjQEMYBLRUWIEDKK&limit=200>; rel=next';
    assert.equal(
      linkWithRel(h, 'next'),
      'https://acme.okta.com/api/v1/users?after=00ubfjQEMYBLRUWIEDKK&limit=200',
    );
  });

  it('commas and semicolons inside the URI or a quoted string do not split links', () => {
    const h =
      '<https://x.test/a?f=a,b;c>; title="one, two; three"; rel="prev", <https://x.test/b?q=1,2>; rel="next"';
    const links = parseLinkHeader(h);
    assert.equal(links.length, 2);
    assert.equal(links[0]?.href, 'https://x.test/a?f=a,b;c');
    assert.equal(links[0]?.params.title, 'one, two; three');
    assert.equal(linkWithRel(h, 'next'), 'https://x.test/b?q=1,2');
  });

  it('a rel may list several relation types; names and types are case-insensitive', () => {
    assert.equal(linkWithRel('<p3>; REL="Last NEXT"', 'next'), 'p3');
    assert.equal(linkWithRel('<p3>;rel=next', 'NEXT'), 'p3');
  });

  it('only the first rel counts (RFC 8288 3.3)', () => {
    assert.equal(linkWithRel('<p2>; rel="prev"; rel="next"', 'next'), undefined);
  });

  it('quoted-pair escapes are unescaped', () => {
    assert.equal(parseLinkHeader('<u>; title="a \\"b\\" c"; rel=next')[0]?.params.title, 'a "b" c');
  });

  it('a malformed link-value is skipped, the well-formed ones are kept', () => {
    const h = 'garbage; rel="next", <https://x.test/ok>; rel="next", <unterminated; rel="next"';
    assert.deepEqual(
      parseLinkHeader(h).map((l) => l.href),
      ['https://x.test/ok'],
    );
    assert.equal(linkWithRel('<u>; title="never closed, rel="next"', 'next'), undefined);
    assert.deepEqual(parseLinkHeader(''), []);
    assert.deepEqual(parseLinkHeader(undefined), []);
  });
});
