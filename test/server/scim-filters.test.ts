// GET /Users with filters, paging and attribute selection (RFC 7644 3.4.2), in front of Local: the
// full operator set, value paths and dates; a userName lookup goes through get-user (one lookup),
// anything else through the connector's listUsers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GatewayServer, scimCall, startScimGateway } from '../servers/scim-gateway.js';

let g: GatewayServer;
const people = [
  { userName: 'ann', givenName: 'Ann', familyName: 'Archer', email: 'ann@corp.example', title: 'Engineer' },
  { userName: 'bob', givenName: 'Bob', familyName: 'Baker', email: 'bob@corp.example', title: 'Manager' },
  { userName: 'cat', givenName: 'Cat', familyName: 'Archer', email: 'cat@other.example' },
  { userName: 'dan', givenName: 'Dan', familyName: 'Dane', email: 'dan@corp.example', title: 'Engineer' },
];
let createdBetween = '';

before(async () => {
  g = await startScimGateway({
    instances: { local: { brand: 'Local', path: ':memory:' } },
    instance: 'local',
  });
  for (const [i, p] of people.entries()) {
    const answer = await scimCall(g, 'POST', '/Users', {
      userName: p.userName,
      name: { givenName: p.givenName, familyName: p.familyName },
      emails: [{ value: p.email, type: 'work', primary: true }],
      ...(p.title ? { title: p.title } : {}),
      active: p.userName !== 'dan',
    });
    assert.equal(answer.status, 201);
    if (i === 1) {
      await new Promise((r) => setTimeout(r, 20));
      createdBetween = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
    }
  }
});
after(() => g.close());

/** An ISO instant written at UTC-10:00 (`2026-01-01T10:00:00.000Z` -> `2026-01-01T00:00:00.000-10:00`). */
function atMinus10(iso: string): string {
  const shifted = new Date(Date.parse(iso) - 10 * 3600_000).toISOString();
  return `${shifted.slice(0, -1)}-10:00`;
}

async function names(filter: string): Promise<string[]> {
  const answer = await scimCall(g, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
  assert.equal(answer.status, 200, `${filter}: ${JSON.stringify(answer.body)}`);
  const list = (answer.body.Resources ?? []).map((r) => String(r.userName)).sort();
  assert.equal(answer.body.totalResults, list.length);
  return list;
}

describe('SCIM gateway list filters', () => {
  test('eq on userName is case-insensitive (a lookup), and finds nothing for an unknown name', async () => {
    assert.deepEqual(await names('userName eq "BOB"'), ['bob']);
    assert.deepEqual(await names('userName eq "nobody"'), []);
  });

  test('ne, co, sw, ew, pr', async () => {
    assert.deepEqual(await names('name.familyName ne "Archer"'), ['bob', 'dan']);
    assert.deepEqual(await names('emails.value co "@corp."'), ['ann', 'bob', 'dan']);
    assert.deepEqual(await names('userName sw "a"'), ['ann']);
    assert.deepEqual(await names('emails.value ew "other.example"'), ['cat']);
    assert.deepEqual(await names('title pr'), ['ann', 'bob', 'dan']);
  });

  test('and, or, not, parentheses, booleans', async () => {
    assert.deepEqual(await names('title eq "Engineer" and active eq true'), ['ann']);
    assert.deepEqual(await names('userName eq "ann" or userName eq "cat"'), ['ann', 'cat']);
    assert.deepEqual(
      await names('not (name.familyName eq "Archer") and (title eq "Manager" or active eq false)'),
      ['bob', 'dan'],
    );
  });

  test('value paths: emails[type eq "work" and value co "other"]', async () => {
    assert.deepEqual(await names('emails[type eq "work" and value co "other"]'), ['cat']);
    assert.deepEqual(await names('emails[type eq "home"]'), []);
    // The form Entra ID and Microsoft's validator send: a value path with a sub-attribute.
    assert.deepEqual(await names('emails[type eq "work"].value co "other"'), ['cat']);
    assert.deepEqual(await names('emails[type eq "home"].value co "other"'), []);
    assert.deepEqual(await names('emails[primary eq true].value pr and userName sw "b"'), ['bob']);
  });

  test('dates compare as instants: gt, ge, lt, le on meta.created', async () => {
    assert.deepEqual(await names(`meta.created gt "${createdBetween}"`), ['cat', 'dan']);
    // The same instant written at -10:00 sorts before every Z time as text, not as an instant.
    assert.deepEqual(await names(`meta.created gt "${atMinus10(createdBetween)}"`), ['cat', 'dan']);
    assert.deepEqual(await names(`meta.created lt "${createdBetween}"`), ['ann', 'bob']);
    assert.deepEqual(await names('meta.created ge "2000-01-01T00:00:00+01:00"'), [
      'ann',
      'bob',
      'cat',
      'dan',
    ]);
    assert.deepEqual(await names('meta.lastModified le "2000-01-01T00:00:00Z"'), []);
  });

  test('a bare word where a value belongs is read as a string (Microsoft validator), attribute names in any case', async () => {
    assert.deepEqual(await names('NAME.FAMILYNAME eq Archer'), ['ann', 'cat']);
  });

  test('an invalid filter is 400 invalidFilter', async () => {
    const answer = await scimCall(g, 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.scimType, 'invalidFilter');
  });

  test('startIndex and count page through the matches; totalResults counts them all', async () => {
    const page = await scimCall(g, 'GET', '/Users?startIndex=2&count=2');
    assert.equal(page.body.totalResults, 4);
    assert.equal(page.body.startIndex, 2);
    assert.equal(page.body.itemsPerPage, 2);
    const all = await scimCall(g, 'GET', '/Users');
    const ids = (all.body.Resources ?? []).map((r) => r.id);
    assert.deepEqual(
      (page.body.Resources ?? []).map((r) => r.id),
      ids.slice(1, 3),
    );
    const none = await scimCall(g, 'GET', '/Users?count=0');
    assert.equal(none.body.totalResults, 4);
    assert.deepEqual(none.body.Resources, []);
  });

  test('attributes keeps only those (and id, schemas); excludedAttributes drops them', async () => {
    const only = await scimCall(
      g,
      'GET',
      '/Users?filter=userName%20eq%20%22ann%22&attributes=userName,name.givenName',
    );
    assert.deepEqual(Object.keys(only.body.Resources?.[0] ?? {}).sort(), [
      'id',
      'name',
      'schemas',
      'userName',
    ]);
    assert.deepEqual(only.body.Resources?.[0]?.name, { givenName: 'Ann' });
    const id = String(only.body.Resources?.[0]?.id);
    const without = await scimCall(g, 'GET', `/Users/${id}?excludedAttributes=emails,meta`);
    assert.equal(without.body.emails, undefined);
    assert.equal(without.body.meta, undefined);
    assert.equal(without.body.userName, 'ann');
  });

  test('discovery: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    const config = await scimCall(g, 'GET', '/ServiceProviderConfig');
    assert.equal((config.body.patch as { supported: boolean }).supported, true);
    assert.equal((config.body.filter as { supported: boolean }).supported, true);
    const types = await scimCall(g, 'GET', '/ResourceTypes');
    assert.deepEqual(
      (types.body.Resources ?? []).map((r) => r.endpoint),
      ['/Users', '/Groups'],
    );
    const schema = await scimCall(g, 'GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
    assert.equal(schema.status, 200);
    assert.equal(schema.body.name, 'User');
  });

  test('without the token: 401 with a SCIM error and WWW-Authenticate; a wrong token too', async () => {
    const sets: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${g.token}` },
    ];
    for (const headers of sets) {
      const answer = await scimCall(g, 'GET', '/Users', undefined, headers);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.status, '401');
      assert.match(String(answer.headers.get('www-authenticate')), /^Bearer/);
    }
  });
});
