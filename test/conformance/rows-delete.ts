// Spec section 3, delete-user; and the contract's lists with an opaque cursor. Rows run through the context of suite.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INSTANCE, person } from './harness.js';
import type { SuiteContext } from './suite-context.js';

export function deleteRows(s: SuiteContext): void {
  const { row, client, v, connector } = s;
  describe('section 3: delete-user', () => {
    row(
      'delete, allowDelete off (the default): skipped, "Command is disabled.", no call',
      ['delete-user'],
      async () => {
        const before = s.app.requestCount?.();
        const r = await v(client().deleteUser(INSTANCE, { userProfile: person() }));
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.reason, r.active],
          ['delete', true, true, 'Command is disabled.', null],
        );
        if (before !== undefined) assert.equal(s.app.requestCount?.(), before, 'no request reached the app');
      },
    );

    row(
      'delete, found: deleted; action delete, active null; get then finds nothing',
      ['delete-user', 'create-user', 'get-user'],
      async () => {
        const c = client({ allowDelete: true });
        const p = person();
        const created = await v(c.createUser(INSTANCE, { userProfile: p }));
        const r = await v(c.deleteUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } }));
        assert.deepEqual(
          [r.action, r.success, r.skipped, r.id, r.active, r.errorMessage],
          ['delete', true, false, created.id, null, ''],
        );
        const got = await v(c.getUser(INSTANCE, { userProfile: { [s.login]: p[s.login] } }));
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
      if (!conn.listUsers || !s.ops.has('create-user')) return tc.skip('not implemented');
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
      if (!conn.listGroups || !s.ops.has('create-group')) return tc.skip('not implemented');
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
}
