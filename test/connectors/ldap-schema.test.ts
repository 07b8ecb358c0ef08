// Brand LDAP's schema settings against a real slapd: groupOfUniqueNames and posixGroup groups,
// `disable` as a named attribute, the connection pool (binds once per connection, never per call),
// and list cursors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ldapConnector } from '../../src/connectors/ldap/index.js';
import type { Connector } from '../../src/core/connector.js';
import { UsageError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secrets.js';
import { DirectoryClient } from '../../src/ldap/client.js';
import { classAnd } from '../../src/ldap/entries.js';
import { normalizeDn } from '../../src/ldap/escape.js';
import { ADMIN_DN, ADMIN_PASSWORD, GROUPS, PEOPLE } from '../servers/slapd.js';
import { type LdapHarness, startLdap, vendorOf } from './ldap-support.js';

describe('LDAP schema settings on slapd', () => {
  let h: LdapHarness;
  before(async () => {
    h = await startLdap();
  });
  after(() => h.close());
  beforeEach(() => h.slapd.reset());

  const groupAttr = (name: string, attr: string) =>
    h.slapd.admin(
      async (a) =>
        (await a.search(`cn=${name},${GROUPS}`, { scope: 'base', attributes: [attr] })).searchEntries[0]?.[
          attr
        ],
    );

  for (const [cls, attr, value] of [
    ['groupOfUniqueNames', 'uniqueMember', `uid=gu,${PEOPLE}`],
    ['posixGroup', 'memberUid', 'gu'],
  ] as const) {
    test(`groupObjectClass ${cls}: members in ${attr}, read back as ids and usernames`, async () => {
      const c = h.client({ groupObjectClass: cls });
      const u = await vendorOf(
        c.createUser('l', { userProfile: { username: 'gu', email: 'gu@example.com' } }),
      );
      const g = await c.createGroup('l', { scim: { displayName: `G ${cls}` } });
      assert.equal(g.success, true, g.errorMessage);
      const add = await c.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: [u.id] });
      assert.deepEqual(add.details, { added: [u.id], removed: [], failed: [], uncertain: [] });
      assert.equal(await groupAttr(`G ${cls}`, attr), value);
      const got = await c.getGroup('l', { scim: { displayName: `G ${cls}` }, includeMembers: true });
      assert.deepEqual(got.members, [{ value: u.id, display: 'gu' }]);
      const rm = await c.updateGroup('l', { scim: { id: g.id }, memberIdsToDelete: [u.id] });
      assert.equal(rm.success, true, rm.errorMessage);
      assert.deepEqual((await c.getGroup('l', { scim: { id: g.id }, includeMembers: true })).members, []);
    });
  }

  test('posixGroup: each new group gets the next free gidNumber', async () => {
    const c = h.client({ groupObjectClass: 'posixGroup' });
    await c.createGroup('l', { scim: { displayName: 'p1' } });
    await c.createGroup('l', { scim: { displayName: 'p2' } });
    assert.deepEqual(
      [await groupAttr('p1', 'gidNumber'), await groupAttr('p2', 'gidNumber')],
      ['10000', '10001'],
    );
  });

  test('update-group with an id that is no user: that id fails, the others are added', async () => {
    const c = h.client();
    const u = await vendorOf(
      c.createUser('l', { userProfile: { username: 'real', email: 'r@example.com' } }),
    );
    const g = await c.createGroup('l', { scim: { displayName: 'Mixed' } });
    const ghost = '00000000-0000-4000-8000-000000000000';
    const r = await c.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: [u.id, ghost] });
    const d = r.details as { added: string[]; failed: { id: string }[] };
    assert.deepEqual(d.added, [u.id]);
    assert.deepEqual(
      d.failed.map((f) => f.id),
      [ghost],
    );
  });

  test('disable as { attribute, value, enabledValue }: set on disable, back on enable', async () => {
    const c = h.client({ disable: { attribute: 'employeeType', value: 'disabled', enabledValue: 'active' } });
    const made = await vendorOf(
      c.createUser('l', { userProfile: { username: 'st', email: 'st@example.com' } }),
    );
    assert.equal((made.details as Record<string, unknown>).employeeType, 'active');
    const off = await vendorOf(c.disableUser('l', { userProfile: { username: 'st' } }));
    assert.deepEqual(
      [off.active, (off.details as Record<string, unknown>).employeeType],
      [false, 'disabled'],
    );
    const on = await vendorOf(c.enableUser('l', { userProfile: { username: 'st' } }));
    assert.deepEqual([on.active, (on.details as Record<string, unknown>).employeeType], [true, 'active']);
  });

  test('usernameAttribute cn: entries named by cn, found by username through uid', async () => {
    const outgoing = [
      { app: 'uid', profile: 'username' },
      { app: 'cn', profile: 'username' },
      { app: 'mail', profile: 'email' },
      { app: 'sn', profile: 'surname' },
    ];
    const c = h.client({ usernameAttribute: 'cn', mappers: { outgoing } });
    const p = { username: 'Doe, J.', email: 'dj@example.com', surname: 'Doe' };
    const made = await vendorOf(c.createUser('l', { userProfile: p }));
    assert.equal(made.success, true, made.errorMessage);
    const dnOf = (v: { details: unknown }) => normalizeDn((v.details as { dn: string }).dn);
    assert.equal(dnOf(made), normalizeDn(`cn=Doe\\, J.,${PEOPLE}`));
    const got = await vendorOf(c.getUser('l', { userProfile: { username: 'Doe, J.' } }));
    assert.deepEqual([got.success, got.id, got.username], [true, made.id, 'Doe, J.']);
    const up = await vendorOf(
      c.updateUser('l', { userProfile: { ...p, username: 'Doe, Jo', olduserdata: { username: 'Doe, J.' } } }),
    );
    assert.deepEqual([up.success, up.id, dnOf(up)], [true, made.id, normalizeDn(`cn=Doe\\, Jo,${PEOPLE}`)]);
  });

  test('the pool binds once per connection: 200 concurrent reads open at most poolSize connections', async () => {
    const dir = new DirectoryClient({
      url: h.slapd.url,
      startTls: false,
      bindDn: ADMIN_DN,
      password: new Secret(ADMIN_PASSWORD),
      insecure: false,
      timeoutMs: 10_000,
      poolSize: 4,
      secrets: [ADMIN_PASSWORD],
    });
    try {
      const reads = Array.from({ length: 200 }, (_, i) =>
        dir.search({ base: PEOPLE, filter: classAnd('inetOrgPerson', 'uid', `u${i}`), attributes: ['uid'] }),
      );
      assert.equal((await Promise.all(reads)).flat().length, 0);
      assert.ok(dir.connectionsOpened >= 1 && dir.connectionsOpened <= 4, `${dir.connectionsOpened} opened`);
    } finally {
      await dir.close();
    }
  });

  test('lists: a cursor this process did not make is a usage error naming the cursor', async () => {
    const conn: Connector = h.client().runtime('l').connector;
    await assert.rejects(conn.listUsers?.({ cursor: 'not-a-cursor' }) ?? Promise.reject(), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^cursor: unknown or expired/);
      return true;
    });
    assert.equal(ldapConnector.capabilities.lookup.join(','), 'id,uid,mail');
  });
});
