// Brand LDAP behind a flaky link to a real slapd (test/servers/ldap-fault-proxy.ts): busy and
// unavailable answers are retried, a lost connection on a read is retried on a new one, and a write
// whose answer was lost is looked for before anything is sent again: no duplicate, no lost change.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PresenceFilter } from 'ldapts';
import {
  type LdapFault,
  type LdapFaultProxy,
  type LdapOp,
  startLdapFaultProxy,
} from '../servers/ldap-fault-proxy.js';
import { PEOPLE } from '../servers/slapd.js';
import { type LdapHarness, startLdap, vendorOf } from './ldap-support.js';

describe('LDAP on a flaky link', () => {
  let h: LdapHarness;
  let proxy: LdapFaultProxy | undefined;
  before(async () => {
    h = await startLdap();
  });
  after(async () => {
    await proxy?.close();
    await h.close();
  });
  beforeEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await h.slapd.reset();
  });

  /** A client through a proxy that applies `faults[op][n]` to the n-th request of that op. */
  async function flaky(faults: Partial<Record<LdapOp, LdapFault[]>>) {
    const port = Number(new URL(h.slapd.url).port);
    proxy = await startLdapFaultProxy({ targetPort: port, decide: (op, n) => faults[op]?.[n] ?? 'none' });
    return h.client({ url: proxy.url });
  }
  const count = (op: LdapOp) => proxy?.log.filter((l) => l.op === op).length ?? 0;
  const people = () =>
    h.slapd.admin(async (a) =>
      (
        await a.search(PEOPLE, {
          scope: 'one',
          filter: new PresenceFilter({ attribute: 'objectClass' }),
          attributes: ['uid'],
        })
      ).searchEntries.map((e) => e.uid),
    );

  test('a search answered busy, then unavailable, is retried and succeeds', async () => {
    await h.client().createUser('l', { userProfile: { username: 'ann', email: 'ann@example.com' } });
    const c = await flaky({ search: ['busy', 'unavailable'] });
    const r = await vendorOf(c.getUser('l', { userProfile: { username: 'ann' } }));
    assert.deepEqual([r.success, r.username], [true, 'ann'], r.errorMessage);
    assert.equal(count('search'), 3);
  });

  test('a search still unavailable after the retries fails as retryable, with the code', async () => {
    const c = await flaky({ search: ['unavailable', 'unavailable', 'unavailable'] });
    const r = await vendorOf(c.getUser('l', { userProfile: { username: 'ann' } }));
    assert.equal(r.success, false);
    assert.match(r.errorMessage, /server is unavailable \(52\)$/);
  });

  test('a connection lost during a search is replaced and the search retried', async () => {
    await h.client().createUser('l', { userProfile: { username: 'bo', email: 'bo@example.com' } });
    const c = await flaky({ search: ['drop-before'] });
    const r = await vendorOf(c.getUser('l', { userProfile: { username: 'bo' } }));
    assert.deepEqual([r.success, r.username], [true, 'bo'], r.errorMessage);
    assert.equal(count('bind'), 2, 'a second connection was bound');
  });

  test('an add answered busy is sent again and creates one entry', async () => {
    const c = await flaky({ add: ['busy'] });
    const r = await vendorOf(c.createUser('l', { userProfile: { username: 'cy', email: 'cy@example.com' } }));
    assert.deepEqual([r.success, r.action], [true, 'create'], r.errorMessage);
    assert.deepEqual(await people(), ['cy']);
    assert.equal(count('add'), 2);
  });

  test('an add that landed but whose answer was lost: looked up, not sent twice, one entry', async () => {
    const c = await flaky({ add: ['drop-after'] });
    const r = await vendorOf(c.createUser('l', { userProfile: { username: 'di', email: 'di@example.com' } }));
    assert.deepEqual(await people(), ['di'], 'exactly one entry');
    assert.equal(count('add'), 1, 'the add was not sent again');
    assert.equal(r.success, true, r.errorMessage);
  });

  test('a modify whose answer was lost: sent once, and the record says it may have been applied', async () => {
    await h
      .client()
      .createUser('l', { userProfile: { username: 'ed', email: 'ed@example.com', title: 'A' } });
    const c = await flaky({ modify: ['drop-after'] });
    const r = await vendorOf(c.updateUser('l', { userProfile: { username: 'ed', title: 'B' } }));
    const got = await vendorOf(h.client().getUser('l', { userProfile: { username: 'ed' } }));
    assert.equal((got.details as Record<string, unknown>).title, 'B', 'the change landed');
    assert.equal(count('modify'), 1, 'sent once');
    // The core cannot know whether it landed: the record fails, and says the request may have applied.
    assert.equal(r.success, false);
    assert.match(
      r.errorMessage,
      /^LDAP modify uid=ed,ou=people,dc=example,dc=org: Connection closed .*it may have been applied/,
    );
  });

  test('a member that cannot be read (directory unavailable) fails get-group, never a shorter list', async () => {
    const c0 = h.client();
    const u = await vendorOf(
      c0.createUser('l', { userProfile: { username: 'fm', email: 'fm@example.com' } }),
    );
    const g = await c0.createGroup('l', { scim: { displayName: 'Fragile' } });
    await c0.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: [u.id] });
    // Search 0 finds the group; searches 1-3 (the member's read and its two retries) are refused.
    const c = await flaky({ search: ['none', 'unavailable', 'unavailable', 'unavailable'] });
    const r = await c.getGroup('l', { scim: { id: g.id }, includeMembers: true });
    assert.equal(r.success, false, JSON.stringify(r.members));
    assert.match(r.errorMessage, /\(52\)$/);
  });

  test('memberChunkSize 2: five members go in three modifies, all of them added', async () => {
    const c0 = h.client();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await vendorOf(
        c0.createUser('l', { userProfile: { username: `ch${i}`, email: `ch${i}@example.com` } }),
      );
      ids.push(String(u.id));
    }
    const g = await c0.createGroup('l', { scim: { displayName: 'Chunked' } });
    const port = Number(new URL(h.slapd.url).port);
    proxy = await startLdapFaultProxy({ targetPort: port, decide: () => 'none' });
    const c = h.client({ url: proxy.url, memberChunkSize: 2 });
    const r = await c.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: ids });
    assert.deepEqual((r.details as { added: string[] }).added, ids);
    assert.equal(count('modify'), 3);
    const got = await c0.getGroup('l', { scim: { id: g.id }, includeMembers: true });
    assert.deepEqual(got.members?.map((m) => m.value).sort(), [...ids].sort());
  });
});
