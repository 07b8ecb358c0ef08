import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, type TestContext, test } from 'node:test';
import type { IamClient } from '../../src/client.js';
import type { Connector } from '../../src/core/connector.js';
import { profileFieldsFor } from '../../src/core/mapping/engine.js';
import type { VendorRecord } from '../../src/core/record.js';
import { type SupportedCommand, supportedCommands } from '../../src/core/supports.js';
import { type BrandEntry, clientFor, INSTANCE, person, type Started } from './harness.js';

/** The commands a connector may or may not implement (get-mapping-fields always answers). */
const COMMANDS = [
  'get-user',
  'create-user',
  'update-user',
  'enable-user',
  'disable-user',
  'delete-user',
  'get-group',
  'create-group',
  'update-group',
  'delete-group',
  'test',
] as const satisfies readonly SupportedCommand[];

/** Runs `command` with made-up arguments: what it answers when the connector cannot do it. */
async function runAny(c: IamClient, command: (typeof COMMANDS)[number]) {
  switch (command) {
    case 'get-group':
      return c.getGroup(INSTANCE, { scim: { id: 'g-1' } });
    case 'create-group':
      return c.createGroup(INSTANCE, { scim: { displayName: 'Eng' } });
    case 'update-group':
      return c.updateGroup(INSTANCE, { scim: { id: 'g-1' }, memberIdsToAdd: ['u-1'] });
    case 'delete-group':
      return c.deleteGroup(INSTANCE, { scim: { id: 'g-1' } });
    case 'test': {
      const r = await c.test(INSTANCE);
      return { success: r.success, errorMessage: r.message };
    }
    default:
      return (await c.user(command, INSTANCE, { userProfile: person() })).vendor;
  }
}

/**
 * Defines every spec row of sections 3 and 7 against one brand. Which rows apply is read from the
 * connector: a command it implements runs its rows; one it does not is checked to answer
 * "<brand> does not support <command>" with no request on the wire.
 */
export function runConformance(entry: BrandEntry): void {
  let t: Started;
  let brand = '';
  let ops = new Set<SupportedCommand>();
  /**
   * The profile field the app's login (its first lookup attribute after `id`) comes from, read from
   * the connector's declared lookup order and default outgoing mapping (spec section 6: each
   * connector has its own): `username` for SCIM (`userName`), AWS-ILM and Local, `email` for Zoom.
   */
  let login = 'username';
  /** A new value for the login field (a rename), still of the field's kind (an email stays an email). */
  const renamed = (value: unknown) => {
    const s = String(value);
    return s.includes('@') ? s.replace('@', '.new@') : `${s}.new`;
  };
  const clients: IamClient[] = [];
  const client = (flags: Record<string, unknown> = {}) => {
    const c = clientFor(entry, t, flags);
    clients.push(c);
    return c;
  };
  /** The connector of a fresh client, as the core sees it (for the contract's list operations). */
  const connector = (): Connector => client().runtime(INSTANCE).connector;
  const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;
  /** A row that needs `needs` implemented; skipped (saying why) when the connector lacks one. */
  const row = (name: string, needs: readonly SupportedCommand[], fn: (tc: TestContext) => Promise<void>) =>
    test(name, async (tc) => {
      const missing = needs.filter((c) => !ops.has(c));
      if (missing.length) return tc.skip(`the connector does not implement ${missing.join(', ')}`);
      await fn(tc);
    });

  before(async () => {
    t = await entry.start();
    const probe = client();
    const rt = probe.runtime(INSTANCE);
    brand = rt.brand;
    ops = new Set(supportedCommands(rt.connector, probe.declaredMappingFields(INSTANCE)));
    const loginAttribute = rt.capabilities.lookup.find((a) => a !== 'id');
    const field = loginAttribute && profileFieldsFor(rt.mapping.outgoing, loginAttribute)[0];
    if (field) login = field;
  });
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.reset();
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.close();
  });

  describe('contract: what the connector does not implement', () => {
    for (const command of COMMANDS) {
      test(`${command}, not implemented: "<brand> does not support ${command}", no request`, async (tc) => {
        if (ops.has(command)) return tc.skip('implemented');
        const c = client({ allowDelete: true });
        const before = t.requestCount?.();
        const r = await runAny(c, command);
        assert.deepEqual([r.success, r.errorMessage], [false, `${brand} does not support ${command}`]);
        if (before !== undefined) assert.equal(t.requestCount?.(), before, 'no request reached the app');
      });
    }
  });

  describe('section 3: user commands', () => {
    for (const [command, flag] of [
      ['create-user', 'allowCreate'],
      ['update-user', 'allowUpdate'],
      ['enable-user', 'allowEnable'],
      ['disable-user', 'allowDisable'],
    ] as const) {
      row(`${command} with ${flag} off is skipped and makes no call to the app`, [command], async () => {
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

    row(
      'get, found: fields from the app and UserProfile from the incoming mapping',
      ['create-user', 'get-user'],
      async () => {
        const c = client();
        const p = person({ title: 'Engineer' });
        const created = await v(c.createUser(INSTANCE, { userProfile: p }));
        assert.equal(created.success, true, created.errorMessage);
        const res = await c.getUser(INSTANCE, { userProfile: { [login]: p[login] } });
        assert.equal(res.vendor.action, 'get');
        assert.equal(res.vendor.success, true);
        assert.equal(res.vendor.id, created.id);
        assert.equal(res.vendor.username, p[login]);
        assert.equal(res.vendor.email, p.email);
        assert.equal(res.vendor.active, true);
        assert.equal(res.vendor.errorCode, null);
        assert.equal(res.vendor.errorMessage, '');
        assert.equal(typeof res.vendor.details, 'object');
        assert.equal(res.userProfile[login], p[login]);
        assert.equal(res.userProfile.email, p.email);
        assert.equal(res.userProfile.givenname, 'Jane');
        assert.equal(res.userProfile.surname, p.surname);
      },
    );

    row('get, not found: success false, 404, "User does not exist"', ['get-user'], async () => {
      // A login of the right kind that no account holds (a person never created).
      const r = await v(client().getUser(INSTANCE, { userProfile: { [login]: person()[login] } }));
      assert.deepEqual(
        [r.success, r.errorCode, r.errorMessage, r.skipped],
        [false, 404, 'User does not exist', false],
      );
    });

    row('get by an id that does not exist is "not found", not an error', ['get-user'], async () => {
      const r = await v(client().getUser(INSTANCE, { userProfile: { id: 'no-such-id-0000' } }));
      assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'User does not exist']);
    });

    test('no lookup attribute: success false, the message names the fields that would work', async () => {
      const users = [
        'get-user',
        'create-user',
        'update-user',
        'enable-user',
        'disable-user',
        'delete-user',
      ] as const;
      let named: string[] = [];
      for (const command of users.filter((c) => ops.has(c))) {
        const r = await v(
          client({ allowDelete: true }).user(command, INSTANCE, { userProfile: { title: 'CTO' } }),
        );
        assert.equal(r.success, false, command);
        const m = /give one of (.+)$/.exec(r.errorMessage);
        assert.ok(m?.[1], `${command}: ${r.errorMessage}`);
        named = m[1].split(', ');
      }
      // Each field the message names is one the user can look up by: alone, it makes a lookup.
      if (!ops.has('get-user')) return;
      for (const field of named) {
        const value = `nobody.${process.pid}@example.com`;
        const r = await v(client().getUser(INSTANCE, { userProfile: { [field]: value } }));
        assert.deepEqual([r.errorCode, r.errorMessage], [404, 'User does not exist'], field);
      }
    });

    row('create, not found: creates; action create', ['create-user'], async () => {
      const p = person();
      const r = await v(client().createUser(INSTANCE, { userProfile: p }));
      assert.deepEqual([r.action, r.success, r.skipped, r.active], ['create', true, false, true]);
      assert.ok(r.id);
      assert.equal(r.username, p[login]);
    });

    row('create with allow-enable false creates the account inactive', ['create-user'], async () => {
      const r = await v(client().createUser(INSTANCE, { userProfile: person(), allowEnable: 'No' }));
      assert.deepEqual([r.action, r.success, r.active], ['create', true, false]);
    });

    row(
      'create, already exists: becomes an update with the same arguments; action update',
      ['create-user', 'update-user', 'get-user'],
      async () => {
        const c = client();
        const p = person();
        const first = await v(c.createUser(INSTANCE, { userProfile: p }));
        const second = await v(c.createUser(INSTANCE, { userProfile: { ...p, title: 'Director' } }));
        assert.deepEqual([second.action, second.success, second.id], ['update', true, first.id]);
        const got = await c.getUser(INSTANCE, { userProfile: { [login]: p[login] } });
        assert.equal(got.userProfile.title, 'Director');
      },
    );

    row(
      'update, found and inactive with allow-enable: enables first, then updates',
      ['create-user', 'update-user', 'get-user'],
      async () => {
        const c = client();
        const p = person();
        await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
        const r = await v(c.updateUser(INSTANCE, { userProfile: { ...p, title: 'Lead' } }));
        assert.deepEqual([r.action, r.success, r.active], ['update', true, true]);
        const got = await c.getUser(INSTANCE, { userProfile: { [login]: p[login] } });
        assert.equal(got.userProfile.title, 'Lead');
      },
    );

    row(
      'update with allow-enable false leaves an inactive account inactive',
      ['create-user', 'update-user'],
      async () => {
        const c = client();
        const p = person();
        await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
        const r = await v(
          c.updateUser(INSTANCE, { userProfile: { ...p, title: 'X' }, allowEnable: 'false' }),
        );
        assert.deepEqual([r.action, r.success, r.active], ['update', true, false]);
      },
    );

    row(
      'update with the instance allowEnable off does not enable',
      ['create-user', 'update-user'],
      async () => {
        const p = person();
        await client().createUser(INSTANCE, { userProfile: p, allowEnable: false });
        const r = await v(
          client({ allowEnable: false }).updateUser(INSTANCE, { userProfile: { ...p, title: 'Y' } }),
        );
        assert.deepEqual([r.action, r.success, r.active], ['update', true, false]);
      },
    );

    row(
      'update, not found, createIfNotExists on: becomes a create',
      ['update-user', 'create-user'],
      async () => {
        const r = await v(client().updateUser(INSTANCE, { userProfile: person() }));
        assert.deepEqual([r.action, r.success, r.skipped], ['create', true, false]);
        assert.ok(r.id);
      },
    );

    row(
      'update, not found, createIfNotExists on but allowCreate off: skipped as disabled',
      ['update-user', 'create-user'],
      async () => {
        const r = await v(client({ allowCreate: false }).updateUser(INSTANCE, { userProfile: person() }));
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.reason],
          ['create', true, true, 'Command is disabled.'],
        );
      },
    );

    row(
      'update, not found, createIfNotExists off: skipped, "User does not exist"',
      ['update-user'],
      async () => {
        const r = await v(
          client({ createIfNotExists: false }).updateUser(INSTANCE, { userProfile: person() }),
        );
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.reason],
          ['update', true, true, 'User does not exist'],
        );
      },
    );

    row(
      'update with olduserdata: found by the old login, renamed, same id',
      ['create-user', 'update-user', 'get-user'],
      async () => {
        const c = client();
        const p = person();
        const created = await v(c.createUser(INSTANCE, { userProfile: p }));
        const now = renamed(p[login]);
        const r = await v(
          c.updateUser(INSTANCE, {
            userProfile: { ...p, [login]: now, olduserdata: { [login]: p[login] } },
          }),
        );
        assert.deepEqual([r.action, r.success, r.id, r.username], ['update', true, created.id, now]);
        const old = await v(c.getUser(INSTANCE, { userProfile: { [login]: p[login] } }));
        assert.equal(old.errorCode, 404);
        assert.equal(JSON.stringify(r.details).includes('olduserdata'), false, 'olduserdata is never sent');
      },
    );

    row('enable, not found: skipped and never creates', ['enable-user', 'get-user'], async () => {
      const c = client();
      const p = person();
      const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['enable', true, true, 'User does not exist'],
      );
      assert.equal((await v(c.getUser(INSTANCE, { userProfile: p }))).errorCode, 404);
    });

    row(
      'enable, already active: skipped, "User is already enabled."',
      ['create-user', 'enable-user'],
      async () => {
        const c = client();
        const p = person();
        await c.createUser(INSTANCE, { userProfile: p });
        const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
        assert.deepEqual(
          [r.success, r.skipped, r.reason, r.active],
          [true, true, 'User is already enabled.', null],
        );
      },
    );

    row('enable, inactive: enables; active true', ['create-user', 'enable-user'], async () => {
      const c = client();
      const p = person();
      await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
      const r = await v(c.enableUser(INSTANCE, { userProfile: p }));
      assert.deepEqual([r.action, r.success, r.skipped, r.active], ['enable', true, false, true]);
    });

    row('disable, not found: skipped, "User does not exist"', ['disable-user'], async () => {
      const r = await v(client().disableUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['disable', true, true, 'User does not exist'],
      );
    });

    row(
      'disable, already inactive: skipped, "User is already disabled."',
      ['create-user', 'disable-user'],
      async () => {
        const c = client();
        const p = person();
        await c.createUser(INSTANCE, { userProfile: p, allowEnable: false });
        const r = await v(c.disableUser(INSTANCE, { userProfile: p }));
        assert.deepEqual([r.success, r.skipped, r.reason], [true, true, 'User is already disabled.']);
      },
    );

    row(
      'disable, active: disables; active false, and get confirms',
      ['create-user', 'disable-user', 'get-user'],
      async () => {
        const c = client();
        const p = person();
        await c.createUser(INSTANCE, { userProfile: p });
        const r = await v(c.disableUser(INSTANCE, { userProfile: { email: p.email, username: p.username } }));
        assert.deepEqual([r.action, r.success, r.active], ['disable', true, false]);
        assert.equal((await v(c.getUser(INSTANCE, { userProfile: p }))).active, false);
      },
    );

    row(
      'app error: success false, errorCode is the status, errorMessage the app message',
      ['create-user', 'update-user'],
      async () => {
        const c = client();
        const a = person();
        const b = person();
        await c.createUser(INSTANCE, { userProfile: a });
        await c.createUser(INSTANCE, { userProfile: b });
        // Rename b onto a's login: the app refuses (uniqueness).
        const r = await v(
          c.updateUser(INSTANCE, {
            userProfile: { ...b, [login]: a[login], olduserdata: { [login]: b[login] } },
          }),
        );
        assert.equal(r.success, false);
        assert.equal(r.errorCode, 409);
        assert.ok(r.errorMessage.length > 0 && !r.errorMessage.includes('\n'));
        assert.equal(r.errorMessage.includes('    at '), false, 'no stack trace');
      },
    );

    row(
      'an enable that landed before a failed update is reported in details',
      ['create-user', 'update-user', 'get-user'],
      async () => {
        const c = client();
        const a = person();
        const b = person();
        await c.createUser(INSTANCE, { userProfile: a });
        await c.createUser(INSTANCE, { userProfile: b, allowEnable: false });
        const r = await v(
          c.updateUser(INSTANCE, {
            userProfile: { ...b, [login]: a[login], olduserdata: { [login]: b[login] } },
          }),
        );
        assert.equal(r.success, false);
        assert.deepEqual((r.details as Record<string, unknown>).appliedBeforeError, ['enable']);
        assert.equal((await v(c.getUser(INSTANCE, { userProfile: { [login]: b[login] } }))).active, true);
      },
    );

    // Apps that keep emails unique, or look users up by unique attributes only, cannot be ambiguous.
    row('an ambiguous match is an error naming both ids', ['create-user', 'get-user'], async () => {
      const c = client();
      const shared = `shared.${process.pid}@example.com`;
      const a = await v(
        c.createUser(INSTANCE, { userProfile: { username: `amb-a-${process.pid}`, email: shared } }),
      );
      const b = await v(
        c.createUser(INSTANCE, { userProfile: { username: `amb-b-${process.pid}`, email: shared } }),
      );
      if (!a.success || !b.success || a.id === b.id) return; // the app keeps emails unique
      const r = await v(c.getUser(INSTANCE, { userProfile: { email: shared } }));
      if (/give one of/.test(r.errorMessage)) return; // no lookup by email
      assert.equal(r.success, false);
      assert.ok(
        r.errorMessage.includes(String(a.id)) && r.errorMessage.includes(String(b.id)),
        r.errorMessage,
      );
    });
  });

  describe('section 3: delete-user', () => {
    row(
      'delete, allowDelete off (the default): skipped, "Command is disabled.", no call',
      ['delete-user'],
      async () => {
        const before = t.requestCount?.();
        const r = await v(client().deleteUser(INSTANCE, { userProfile: person() }));
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.reason, r.active],
          ['delete', true, true, 'Command is disabled.', null],
        );
        if (before !== undefined) assert.equal(t.requestCount?.(), before, 'no request reached the app');
      },
    );

    row(
      'delete, found: deleted; action delete, active null; get then finds nothing',
      ['delete-user', 'create-user', 'get-user'],
      async () => {
        const c = client({ allowDelete: true });
        const p = person();
        const created = await v(c.createUser(INSTANCE, { userProfile: p }));
        const r = await v(c.deleteUser(INSTANCE, { userProfile: { [login]: p[login] } }));
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.id, r.active, r.errorMessage],
          ['delete', true, false, created.id, null, ''],
        );
        const got = await v(c.getUser(INSTANCE, { userProfile: { [login]: p[login] } }));
        assert.deepEqual([got.errorCode, got.errorMessage], [404, 'User does not exist']);
      },
    );

    row('delete, not found: skipped, "User does not exist"', ['delete-user'], async () => {
      const r = await v(client({ allowDelete: true }).deleteUser(INSTANCE, { userProfile: person() }));
      assert.deepEqual(
        [r.action, r.success, r.skipped, r.reason],
        ['delete', true, true, 'User does not exist'],
      );
    });
  });

  describe('contract: lists with an opaque cursor', () => {
    /** Every item of a list, page by page (limit 2), following the cursor. */
    const all = async <T extends { id: string }>(
      list: (req: { cursor?: string; limit?: number }) => Promise<{ items: T[]; cursor?: string }>,
    ) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const p = await list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        ids.push(...p.items.map((i) => i.id));
        cursor = p.cursor;
        if (cursor === undefined) return ids;
      }
      assert.fail('the cursor never ended');
    };

    test('listUsers, when implemented, pages through every account once', async (tc) => {
      const conn = connector();
      if (!conn.listUsers || !ops.has('create-user')) return tc.skip('not implemented');
      const c = client();
      // Accounts the app holds of its own before any test (Zoom's account owner): listed as well.
      const own = await all(conn.listUsers.bind(conn));
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push(String((await v(c.createUser(INSTANCE, { userProfile: person() }))).id));
      const ids = await all(conn.listUsers.bind(conn));
      assert.deepEqual([...ids].sort(), [...own, ...made].sort());
    });

    test('listGroups, when implemented, pages through every group once', async (tc) => {
      const conn = connector();
      if (!conn.listGroups || !ops.has('create-group')) return tc.skip('not implemented');
      const c = client();
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        made.push(
          String((await c.createGroup(INSTANCE, { scim: { displayName: `List ${i} ${process.pid}` } })).id),
        );
      }
      const ids = await all(conn.listGroups.bind(conn));
      assert.deepEqual([...ids].sort(), [...made].sort());
    });
  });

  describe('section 7: groups', () => {
    row('create-group, get-group by id and by displayName', ['create-group', 'get-group'], async () => {
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

    row('get-group, not found: success false, 404, "Group Not Found"', ['get-group'], async () => {
      const c = client();
      for (const scim of [{ id: 'no-such-group-0000' }, { displayName: 'No Such Group' }]) {
        const r = await c.getGroup(INSTANCE, { scim });
        assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'Group Not Found']);
      }
    });

    row(
      'update-group adds then removes, in batches, and the record lists what applied',
      ['create-group', 'update-group', 'create-user', 'get-group'],
      async () => {
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
      },
    );

    row('update-group with no member ids is a usage error', ['update-group'], async () => {
      await assert.rejects(
        client().updateGroup(INSTANCE, { scim: { id: 'x' } }),
        /memberIdsToAdd or memberIdsToDelete/,
      );
    });

    row('update-group on a missing group: "Group Not Found"', ['update-group', 'create-user'], async () => {
      const u = await v(client().createUser(INSTANCE, { userProfile: person() }));
      const r = await client().updateGroup(INSTANCE, {
        scim: { id: 'no-such-group-0000' },
        memberIdsToAdd: [u.id],
      });
      assert.deepEqual([r.success, r.errorCode, r.errorMessage], [false, 404, 'Group Not Found']);
    });

    row(
      'delete-group deletes; a missing group gives 404 "Group Not Found"',
      ['create-group', 'delete-group'],
      async () => {
        const c = client();
        const g = await c.createGroup(INSTANCE, { scim: { displayName: `Del ${process.pid}` } });
        const del = await c.deleteGroup(INSTANCE, { scim: { id: g.id } });
        assert.deepEqual([del.success, del.id], [true, g.id]);
        const again = await c.deleteGroup(INSTANCE, { scim: { id: g.id } });
        assert.deepEqual(
          [again.success, again.errorCode, again.errorMessage],
          [false, 404, 'Group Not Found'],
        );
      },
    );
  });
}
