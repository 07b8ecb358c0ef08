// Spec section 7: the group commands. Rows run through the context of suite.ts.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { INSTANCE, person } from './harness.js';
import type { SuiteContext } from './suite-context.js';

export function groupRows(s: SuiteContext): void {
  const { row, client, v } = s;
  describe('section 7: groups', () => {
    row('create-group, get-group by id and by displayName', ['create-group', 'get-group'], async () => {
      const c = client();
      const name = `Eng ${process.pid} "quoted" \\ back`;
      const created = await c.createGroup(INSTANCE, { scim: { displayName: name } });
      assert.equal(created.success, true, String(created.errorMessage));
      assert.ok(created.id);
      assert.equal(created.displayName, name);
      const byId = await c.getGroup(INSTANCE, { scim: { id: created.id } });
      assert.deepEqual([byId.success, byId.id, byId.displayName], [true, created.id, name]);
      const byName = await c.getGroup(INSTANCE, { scim: { displayName: name } });
      assert.deepEqual([byName.success, byName.id], [true, created.id]);
      assert.equal(
        byName.members,
        null,
        'members only with include-members (null, as in the original record)',
      );
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
        const before = s.app.groupWrites?.();
        const add = await c.updateGroup(INSTANCE, { scim: { id: g.id }, memberIdsToAdd: ids.join(',') });
        assert.equal(add.success, true, String(add.errorMessage));
        assert.deepEqual(add.details, { added: ids, removed: [], failed: [], uncertain: [] });
        if (before !== undefined) assert.equal(s.app.groupWrites!() - before, 1, 'three members: one write');
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
