import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { IamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { clientFor, INSTANCE, person, type Target } from './harness.js';

type Started = Target & { close: () => Promise<void> | void };

/** Defines every spec row of sections 3 and 7 as a test against one brand. */
export function runConformance(meta: { emailLookup: boolean }, start: () => Promise<Started>): void {
  let t: Started;
  const clients: IamClient[] = [];
  const client = (flags: Record<string, unknown> = {}) => {
    const c = clientFor(t, flags);
    clients.push(c);
    return c;
  };
  const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;

  before(async () => {
    t = await start();
  });
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.reset();
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.close();
  });

  describe('section 3: user commands', () => {
    for (const [command, flag] of [
      ['create-user', 'allowCreate'],
      ['update-user', 'allowUpdate'],
      ['enable-user', 'allowEnable'],
      ['disable-user', 'allowDisable'],
    ] as const) {
      test(`${command} with ${flag} off is skipped and makes no call to the app`, async () => {
        const c = client({ [flag]: false });
        const before = t.requestCount?.();
        const r = await v(c.user(command, INSTANCE, { userProfile: person() }));
        assert.equal(r.success, true);
        assert.equal(r.skipped, true);
        assert.equal(r.reason, 'Command is disabled.');
        assert.equal(r.active, null);
        if (before !== undefined) assert.equal(t.requestCount?.(), before, 'no request reached the app');
      });
    }

    test('get, found: fields from the app and UserProfile from the incoming mapping', async () => {
      const c = client();
      const p = person({ title: 'Engineer' });
      const created = await v(c.createUser(INSTANCE, { userProfile: p }));
      assert.equal(created.success, true, created.errorMessage);
      const res = await c.getUser(INSTANCE, { userProfile: { username: p.username } });
      assert.equal(res.vendor.action, 'get');
      assert.equal(res.vendor.success, true);
      assert.equal(res.vendor.id, created.id);
      assert.equal(res.vendor.username, p.username);
      assert.equal(res.vendor.email, p.email);
      assert.equal(res.vendor.active, true);
      assert.equal(res.vendor.errorCode, null);
      assert.equal(res.vendor.errorMessage, '');
      assert.equal(typeof res.vendor.details, 'object');
      assert.equal(res.userProfile.username, p.username);
      assert.equal(res.userProfile.email, p.email);
      assert.equal(res.userProfile.givenname, 'Jane');
      assert.equal(res.userProfile.surname, p.surname);
    });

    test('get, not found: success false, 404, "User does not exist"', async () => {
      const r = await v(client().getUser(INSTANCE, { userProfile: { username: 'nobody.here' } }));
      assert.deepEqual(
        [r.success, r.errorCode, r.errorMessage, r.skipped],
        [false, 404, 'User does not exist', false],
      );
    });

    test('get by an id that does not exist is "not found", not an error', async () => {
      const r = await v(client().getUser(INSTANCE, { userProfile: { id: 'no-such-id-0000' } }));
      assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'User does not exist']);
    });

    test('no lookup attribute: success false, the message names the attributes that would work', async () => {
      for (const command of [
        'get-user',
        'create-user',
        'update-user',
        'enable-user',
        'disable-user',
      ] as const) {
        const r = await v(client().user(command, INSTANCE, { userProfile: { title: 'CTO' } }));
        assert.equal(r.success, false, command);
        assert.match(r.errorMessage, new RegExp(`give one of ${t.lookupFields}$`), command);
      }
    });

    test('create, not found: creates; action create', async () => {
      const p = person();
      const r = await v(client().createUser(INSTANCE, { userProfile: p }));
      assert.deepEqual([r.action, r.success, r.skipped, r.active], ['create', true, false, true]);
      assert.ok(r.id);
      assert.equal(r.username, p.username);
    });

    test('create with allow-enable false creates the account inactive', async () => {
      const r = await v(client().createUser(INSTANCE, { userProfile: person(), allowEnable: 'No' }));
      assert.deepEqual([r.action, r.success, r.active], ['create', true, false]);
    });

    test('create, already exists: becomes an update with the same arguments; action update', async () => {
      const c = client();
      const p = person();
      const first = await v(c.createUser(INSTANCE, { userProfile: p }));
      const second = await v(c.createUser(INSTANCE, { userProfile: { ...p, title: 'Director' } }));
      assert.deepEqual([second.action, second.success, second.id], ['update', true, first.id]);
      const got = await c.getUser(INSTANCE, { userProfile: { username: p.username } });
      assert.equal(got.userProfile.title, 'Director');
    });

    test('update, found and inactive with allow-enable: enables first, then updates', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(c.updateUser(INSTANCE, { userProfile: { ...p, title: 'Lead' } }));
      assert.deepEqual([r.action, r.success, r.active], ['update', true, true]);
      const got = await c.getUser(INSTANCE, { userProfile: { username: p.username } });
      assert.equal(got.userProfile.title, 'Lead');
    });

    test('update with allow-enable false leaves an inactive account inactive', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(c.updateUser(INSTANCE, { userProfile: { ...p, title: 'X' }, allowEnable: 'false' }));
      assert.deepEqual([r.action, r.success, r.active], ['update', true, false]);
    });

    test('update with the instance allowEnable off does not enable', async () => {
      const p = person();
      await client().createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(
        client({ allowEnable: false }).updateUser(INSTANCE, { userProfile: { ...p, title: 'Y' } }),
      );
      assert.deepEqual([r.action, r.success, r.active], ['update', true, false]);
    });

    test('update, not found, createIfNotExists on: becomes a create', async () => {
      const r = await v(client().updateUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual([r.action, r.success, r.skipped], ['create', true, false]);
      assert.ok(r.id);
    });

    test('update, not found, createIfNotExists on but allowCreate off: skipped as disabled', async () => {
      const r = await v(client({ allowCreate: false }).updateUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['create', true, true, 'Command is disabled.'],
      );
    });

    test('update, not found, createIfNotExists off: skipped, "User does not exist"', async () => {
      const r = await v(client({ createIfNotExists: false }).updateUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['update', true, true, 'User does not exist'],
      );
    });

    test('update with olduserdata: found by the old username, renamed, same id', async () => {
      const c = client();
      const p = person();
      const created = await v(c.createUser(INSTANCE, { userProfile: p }));
      const renamed = `${String(p.username)}.new`;
      const r = await v(
        c.updateUser(INSTANCE, {
          userProfile: { ...p, username: renamed, olduserdata: { username: p.username } },
        }),
      );
      assert.deepEqual([r.action, r.success, r.id, r.username], ['update', true, created.id, renamed]);
      const old = await v(c.getUser(INSTANCE, { userProfile: { username: p.username } }));
      assert.equal(old.errorCode, 404);
      assert.equal(JSON.stringify(r.details).includes('olduserdata'), false, 'olduserdata is never sent');
    });

    test('enable, not found: skipped and never creates', async () => {
      const c = client();
      const p = person();
      const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['enable', true, true, 'User does not exist'],
      );
      assert.equal((await v(c.getUser(INSTANCE, { userProfile: p }))).errorCode, 404);
    });

    test('enable, already active: skipped, "User is already enabled."', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p });
      const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual(
        [r.success, r.skipped, r.reason, r.active],
        [true, true, 'User is already enabled.', null],
      );
    });

    test('enable, inactive: enables; active true', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual([r.action, r.success, r.skipped, r.active], ['enable', true, false, true]);
    });

    test('disable, not found: skipped, "User does not exist"', async () => {
      const r = await v(client().disableUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['disable', true, true, 'User does not exist'],
      );
    });

    test('disable, already inactive: skipped, "User is already disabled."', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(c.disableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual([r.success, r.skipped, r.reason], [true, true, 'User is already disabled.']);
    });

    test('disable, active: disables; active false, and get confirms', async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p });
      const r = await v(c.disableUser(INSTANCE, { userProfile: { email: p.email, username: p.username } }));
      assert.deepEqual([r.action, r.success, r.active], ['disable', true, false]);
      assert.equal((await v(c.getUser(INSTANCE, { userProfile: p }))).active, false);
    });

    test('app error: success false, errorCode is the status, errorMessage the app message', async () => {
      const c = client();
      const a = person();
      const b = person();
      await c.createUser(INSTANCE, { userProfile: a });
      await c.createUser(INSTANCE, { userProfile: b });
      // Rename b onto a's username: the app refuses (uniqueness).
      const r = await v(
        c.updateUser(INSTANCE, {
          userProfile: { ...b, username: a.username, olduserdata: { username: b.username } },
        }),
      );
      assert.equal(r.success, false);
      assert.equal(r.errorCode, 409);
      assert.ok(r.errorMessage.length > 0 && !r.errorMessage.includes('\n'));
      assert.equal(r.errorMessage.includes('    at '), false, 'no stack trace');
    });

    test('an enable that landed before a failed update is reported in details', async () => {
      const c = client();
      const a = person();
      const b = person();
      await c.createUser(INSTANCE, { userProfile: a });
      await c.createUser(INSTANCE, { userProfile: b, allowEnable: false });
      const r = await v(
        c.updateUser(INSTANCE, {
          userProfile: { ...b, username: a.username, olduserdata: { username: b.username } },
        }),
      );
      assert.equal(r.success, false);
      assert.deepEqual((r.details as Record<string, unknown>).appliedBeforeError, ['enable']);
      assert.equal((await v(c.getUser(INSTANCE, { userProfile: { username: b.username } }))).active, true);
    });

    // Brands whose lookups are by unique attributes only (AWS-ILM: id, userName) cannot be ambiguous.
    const ambiguous = meta.emailLookup ? test : () => undefined;
    ambiguous('an ambiguous match is an error naming both ids', async () => {
      const c = client();
      const shared = `shared.${process.pid}@example.com`;
      const a = await v(
        c.createUser(INSTANCE, { userProfile: { username: `amb-a-${process.pid}`, email: shared } }),
      );
      const b = await v(
        c.createUser(INSTANCE, { userProfile: { username: `amb-b-${process.pid}`, email: shared } }),
      );
      const r = await v(c.getUser(INSTANCE, { userProfile: { email: shared } }));
      assert.equal(r.success, false);
      assert.ok(
        r.errorMessage.includes(String(a.id)) && r.errorMessage.includes(String(b.id)),
        r.errorMessage,
      );
    });
  });

  describe('section 7: groups', () => {
    test('create-group, get-group by id and by displayName', async () => {
      const c = client();
      const name = `Eng ${process.pid} "quoted" \\ back`;
      const created = await c.createGroup(INSTANCE, { scim: { displayName: name } });
      assert.equal(created.success, true, created.errorMessage);
      assert.ok(created.id);
      assert.equal(created.displayName, name);
      const byId = await c.getGroup(INSTANCE, { scim: { id: created.id } });
      assert.deepEqual([byId.success, byId.id, byId.displayName], [true, created.id, name]);
      const byName = await c.getGroup(INSTANCE, { scim: { displayName: name } });
      assert.deepEqual([byName.success, byName.id], [true, created.id]);
      assert.equal('members' in byName, false, 'members only with include-members');
    });

    test('get-group, not found: success false, 404, "Group Not Found"', async () => {
      const c = client();
      for (const scim of [{ id: 'no-such-group-0000' }, { displayName: 'No Such Group' }]) {
        const r = await c.getGroup(INSTANCE, { scim });
        assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'Group Not Found']);
      }
    });

    test('update-group adds then removes, in batches, and the record lists what applied', async () => {
      const c = client();
      const g = await c.createGroup(INSTANCE, { scim: { displayName: `Batch ${process.pid}` } });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(String((await v(c.createUser(INSTANCE, { userProfile: person() }))).id));
      const before = t.groupWrites?.();
      const add = await c.updateGroup(INSTANCE, { scim: { id: g.id }, memberIdsToAdd: ids.join(',') });
      assert.equal(add.success, true, add.errorMessage);
      assert.deepEqual(add.details, { added: ids, removed: [], failed: [], uncertain: [] });
      if (before !== undefined) assert.equal(t.groupWrites!() - before, 1, 'three members: one write');
      const rm = await c.updateGroup(INSTANCE, { scim: { id: g.id }, memberIdsToDelete: [ids[0]] });
      assert.deepEqual(rm.details, { added: [], removed: [ids[0]], failed: [], uncertain: [] });
      const got = await c.getGroup(INSTANCE, { scim: { id: g.id }, includeMembers: 'yes' });
      if (got.members !== null) {
        assert.deepEqual(got.members?.map((m) => m.value).sort(), ids.slice(1).sort());
      }
    });

    test('update-group with no member ids is a usage error', async () => {
      await assert.rejects(
        client().updateGroup(INSTANCE, { scim: { id: 'x' } }),
        /memberIdsToAdd or memberIdsToDelete/,
      );
    });

    test('update-group on a missing group: "Group Not Found"', async () => {
      const u = await v(client().createUser(INSTANCE, { userProfile: person() }));
      const r = await client().updateGroup(INSTANCE, {
        scim: { id: 'no-such-group-0000' },
        memberIdsToAdd: [u.id],
      });
      assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'Group Not Found']);
    });

    test('delete-group deletes; a missing group gives 404 "Group Not Found"', async () => {
      const c = client();
      const g = await c.createGroup(INSTANCE, { scim: { displayName: `Del ${process.pid}` } });
      const del = await c.deleteGroup(INSTANCE, { scim: { id: g.id } });
      assert.deepEqual([del.success, del.id], [true, g.id]);
      const again = await c.deleteGroup(INSTANCE, { scim: { id: g.id } });
      assert.deepEqual([again.success, again.errorCode, again.errorMessage], [false, 404, 'Group Not Found']);
    });
  });
}
