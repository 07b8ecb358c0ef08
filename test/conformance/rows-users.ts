// Spec section 3, the user commands: flags, get, create and update. Rows run through the context of suite.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INSTANCE, person } from './harness.js';
import type { SuiteContext } from './suite-context.js';

export function usersRows(s: SuiteContext): void {
  const { row, client, v, renamed } = s;
  describe('section 3: user commands', () => {
    for (const [command, flag] of [
      ['create-user', 'allowCreate'],
      ['update-user', 'allowUpdate'],
      ['enable-user', 'allowEnable'],
      ['disable-user', 'allowDisable'],
    ] as const) {
      row(`${command} with ${flag} off is skipped and makes no call to the app`, [command], async () => {
        const c = client({ [flag]: false });
        const before = s.app.requestCount?.();
        const r = await v(c.user(command, INSTANCE, { userProfile: person() }));
        assert.equal(r.success, true);
        assert.equal(r.skipped, true);
        assert.equal(r.reason, 'Command is disabled.');
        assert.equal(r.active, null);
        if (before !== undefined) assert.equal(s.app.requestCount?.(), before, 'no request reached the app');
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
        const res = await c.getUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } });
        assert.equal(res.vendor.action, 'get');
        assert.equal(res.vendor.success, true);
        assert.equal(res.vendor.id, created.id);
        assert.equal(res.vendor.username, p[s.login]);
        assert.equal(res.vendor.email, p.email);
        assert.equal(res.vendor.active, true);
        assert.equal(res.vendor.errorCode, null);
        assert.equal(res.vendor.errorMessage, '');
        assert.equal(typeof res.vendor.details, 'object');
        assert.equal(res.userProfile[s.login], p[s.login]);
        assert.equal(res.userProfile.email, p.email);
        assert.equal(res.userProfile.givenname, 'Jane');
        assert.equal(res.userProfile.surname, p.surname);
        if (s.login !== 'email') {
          // The spec's get row: email from the app, even when the profile names another one.
          const other = { [s.login]: p[s.login], email: `not-${String(p.email)}` };
          const again = await v(c.getUser(INSTANCE, { userProfile: other }));
          assert.deepEqual([again.id, again.email], [created.id, p.email]);
        }
      },
    );

    row('get, not found: success false, 404, "User does not exist"', ['get-user'], async () => {
      // A s.login of the right kind that no account holds (a person never created).
      const r = await v(client().getUser(INSTANCE, { userProfile: { [s.login]: person()[s.login] } }));
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
      for (const command of users.filter((c) => s.ops.has(c))) {
        const r = await v(
          client({ allowDelete: true }).user(command, INSTANCE, { userProfile: { title: 'CTO' } }),
        );
        assert.equal(r.success, false, command);
        const m = /give one of (.+)$/.exec(r.errorMessage);
        assert.ok(m?.[1], `${command}: ${r.errorMessage}`);
        named = m[1].split(', ');
      }
      // Each field the message names is one the user can look up by: alone, it makes a lookup.
      if (!s.ops.has('get-user')) return;
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
      assert.equal(r.username, p[s.login]);
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
        const got = await c.getUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } });
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
        const got = await c.getUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } });
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
      'update with olduserdata: found by the old s.login, renamed, same id',
      ['create-user', 'update-user', 'get-user'],
      async () => {
        const c = client();
        const p = person();
        const created = await v(c.createUser(INSTANCE, { userProfile: p }));
        const now = renamed(p[s.login]);
        const r = await v(
          c.updateUser(INSTANCE, {
            userProfile: { ...p, [s.login]: now, olduserdata: { [s.login]: p[s.login] } },
          }),
        );
        assert.deepEqual([r.action, r.success, r.id, r.username], ['update', true, created.id, now]);
        const old = await v(c.getUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } }));
        assert.equal(old.errorCode, 404);
        assert.equal(JSON.stringify(r.details).includes('olduserdata'), false, 'olduserdata is never sent');
      },
    );
  });
}
