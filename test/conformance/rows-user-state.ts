// Spec section 3: enable, disable, and lookups that match more than one account. Rows run through the context of suite.ts.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { INSTANCE, person } from './harness.js';
import type { SuiteContext } from './suite-context.js';

export function userStateRows(s: SuiteContext): void {
  const { row, client, v } = s;
  describe('section 3: enable, disable, ambiguity', () => {
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
        // Rename b onto a's s.login: the app refuses (uniqueness).
        const r = await v(
          c.updateUser(INSTANCE, {
            userProfile: { ...b, [s.login]: a[s.login], olduserdata: { [s.login]: b[s.login] } },
          }),
        );
        assert.equal(r.success, false);
        assert.equal(r.errorCode, s.app.uniquenessStatus ?? 409);
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
            userProfile: { ...b, [s.login]: a[s.login], olduserdata: { [s.login]: b[s.login] } },
          }),
        );
        assert.equal(r.success, false);
        assert.deepEqual((r.details as Record<string, unknown>).appliedBeforeError, ['enable']);
        assert.equal((await v(c.getUser(INSTANCE, { userProfile: { [s.login]: b[s.login] } }))).active, true);
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
}
