// Brand LDAP against a real OpenLDAP slapd (test/servers/slapd.ts): escaping of names in create,
// rename and lookup; a locked (ppolicy) account really cannot bind; a rename keeps memberships.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Attribute, Change } from 'ldapts';
import { GROUPS, PEOPLE } from '../servers/slapd.js';
import { canBind, type LdapHarness, startLdap, vendorOf } from './ldap-support.js';

describe('LDAP on slapd', () => {
  let h: LdapHarness;
  before(async () => {
    h = await startLdap();
  });
  after(() => h.close());
  beforeEach(() => h.slapd.reset());

  const NAMES = [
    'Doe, Jane',
    'a+b',
    'say "hi"',
    '#hash',
    ' leading',
    'trailing ',
    'back\\slash',
    'semi;colon<gt>',
    'Zoë Ünïcødé 李',
  ];
  for (const name of NAMES) {
    test(`a username ${JSON.stringify(name)}: create, lookup, rename and lookup again`, async () => {
      const c = h.client();
      const email = `u${NAMES.indexOf(name)}@example.com`;
      const made = await vendorOf(
        c.createUser('l', { userProfile: { username: name, email, surname: 'X' } }),
      );
      assert.equal(made.success, true, made.errorMessage);
      assert.equal(made.username, name);
      const dn = (made.details as { dn: string }).dn;
      // The entry's RDN really is the name (the server parsed our escaping back to it).
      const onServer = await h.slapd.admin((a) => a.search(dn, { scope: 'base', attributes: ['uid'] }));
      assert.deepEqual(
        onServer.searchEntries.map((e) => e.uid),
        [name],
      );
      const got = await vendorOf(c.getUser('l', { userProfile: { username: name } }));
      assert.deepEqual([got.success, got.id], [true, made.id]);
      const renamed = `${name}-2`;
      const up = await vendorOf(
        c.updateUser('l', { userProfile: { username: renamed, email, olduserdata: { username: name } } }),
      );
      assert.deepEqual([up.success, up.id, up.username], [true, made.id, renamed], up.errorMessage);
      const again = await vendorOf(c.getUser('l', { userProfile: { username: renamed } }));
      assert.deepEqual([again.success, again.id], [true, made.id]);
      assert.equal((await vendorOf(c.getUser('l', { userProfile: { username: name } }))).errorCode, 404);
    });
  }

  test('a filter-looking username matches itself only (values are never parsed as filters)', async () => {
    const c = h.client();
    await c.createUser('l', { userProfile: { username: 'alice', email: 'alice@example.com' } });
    const r = await vendorOf(c.getUser('l', { userProfile: { username: '*' } }));
    assert.deepEqual([r.success, r.errorCode], [false, 404]);
    const s = await vendorOf(c.getUser('l', { userProfile: { username: 'a*)(uid=*' } }));
    assert.deepEqual([s.success, s.errorCode], [false, 404]);
  });

  test('a disabled account (ppolicy lock) cannot bind; after enable it can', async () => {
    const c = h.client();
    const made = await vendorOf(
      c.createUser('l', { userProfile: { username: 'lock.me', email: 'l@example.com' } }),
    );
    const dn = (made.details as { dn: string }).dn;
    await h.slapd.admin((a) =>
      a.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userPassword', values: ['pw-Lock-1'] }),
        }),
      ),
    );
    assert.equal(await canBind(h.slapd.url, dn, 'pw-Lock-1'), true, 'binds before');
    const off = await vendorOf(c.disableUser('l', { userProfile: { username: 'lock.me' } }));
    assert.deepEqual([off.success, off.active], [true, false], off.errorMessage);
    assert.equal(await canBind(h.slapd.url, dn, 'pw-Lock-1'), false, 'a locked account cannot bind');
    const on = await vendorOf(c.enableUser('l', { userProfile: { username: 'lock.me' } }));
    assert.deepEqual([on.success, on.active], [true, true], on.errorMessage);
    assert.equal(await canBind(h.slapd.url, dn, 'pw-Lock-1'), true, 'binds again after enable');
    assert.equal(JSON.stringify(made.details).includes('userPassword'), false, 'no password in details');
  });

  test('created inactive: locked from the start', async () => {
    const r = await vendorOf(
      h.client().createUser('l', {
        userProfile: { username: 'born.off', email: 'b@example.com' },
        allowEnable: false,
      }),
    );
    assert.deepEqual([r.success, r.active], [true, false], r.errorMessage);
    assert.equal((r.details as Record<string, unknown>).pwdAccountLockedTime, '000001010000Z');
  });

  test('a rename keeps the group membership (refint): the group lists the new username, same id', async () => {
    const c = h.client();
    const u = await vendorOf(
      c.createUser('l', { userProfile: { username: 'mover', email: 'm@example.com' } }),
    );
    const g = await c.createGroup('l', { scim: { displayName: 'Movers' } });
    await c.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: [u.id] });
    const r = await vendorOf(
      c.updateUser('l', { userProfile: { username: 'moved', olduserdata: { username: 'mover' } } }),
    );
    assert.deepEqual([r.success, r.id], [true, u.id], r.errorMessage);
    const got = await c.getGroup('l', { scim: { id: g.id }, includeMembers: true });
    assert.deepEqual(got.members, [{ value: u.id, display: 'moved' }]);
    const member = await h.slapd.admin((a) =>
      a.search(`cn=Movers,ou=groups,dc=example,dc=org`, { scope: 'base', attributes: ['member'] }),
    );
    assert.deepEqual(member.searchEntries[0]?.member, `uid=moved,${PEOPLE}`);
  });

  test('update: the changed attributes in one modify, a rename as a modify-DN (dry run shows the writes)', async () => {
    const c = h.client();
    const p = { username: 'upd', email: 'upd@example.com', title: 'Eng', mobilephone: '+1 555 0100' };
    await c.createUser('l', { userProfile: p });
    const next = {
      ...p,
      username: 'upd2',
      title: 'Lead',
      mobilephone: '+1 555 0199',
      olduserdata: { username: 'upd' },
    };
    const dry = await h.client({}, { dryRun: true }).updateUser('l', { userProfile: next });
    const writes = (dry.vendor.details as { dryRun: { method: string; path: string; fields: string[] }[] })
      .dryRun;
    assert.deepEqual(
      writes.map((w) => [w.method, w.path, [...w.fields].sort()]),
      [
        ['MODDN', `uid=upd,${PEOPLE}`, ['uid']],
        ['MODIFY', `uid=upd2,${PEOPLE}`, ['mobile', 'title']],
      ],
    );
    const still = await vendorOf(c.getUser('l', { userProfile: { username: 'upd' } }));
    assert.equal((still.details as Record<string, unknown>).title, 'Eng', 'a dry run sends no write');
    const r = await c.updateUser('l', { userProfile: next });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const d = r.vendor.details as Record<string, unknown>;
    assert.deepEqual([d.uid, d.title, d.mobile], ['upd2', 'Lead', '+1 555 0199']);
  });

  test('groups: the placeholder member is dropped with the first member and back after the last', async () => {
    const c = h.client();
    const u = await vendorOf(c.createUser('l', { userProfile: { username: 'gm', email: 'gm@example.com' } }));
    const g = await c.createGroup('l', { scim: { displayName: 'Ph' } });
    const members = async () =>
      (await h.slapd.admin((a) => a.search(`cn=Ph,${GROUPS}`, { scope: 'base', attributes: ['member'] })))
        .searchEntries[0]?.member;
    assert.equal(await members(), '');
    await c.updateGroup('l', { scim: { id: g.id }, memberIdsToAdd: [u.id] });
    assert.equal(await members(), `uid=gm,${PEOPLE}`);
    const rm = await c.updateGroup('l', { scim: { id: g.id }, memberIdsToDelete: [u.id] });
    assert.equal(rm.success, true, rm.errorMessage);
    assert.equal(await members(), '');
    const got = await c.getGroup('l', { scim: { id: g.id }, includeMembers: true });
    assert.deepEqual(got.members, []);
  });
});
