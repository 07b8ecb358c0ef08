// Property: random group commands (create, get, update with ids to add and remove, delete) over a
// few users and groups, with ids that belong to other groups, to deleted users or to nobody, change
// only the group the record names, and there only the members the command listed: every other
// group is exactly as it was, no user is touched, a member the command did not name keeps or lacks
// its membership as before, and members are always users that exist. The store is read directly
// after each command (SQLite's file for Local, the server's own store for SCIM, slapd's entries for
// LDAP).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import type { IamClient } from '../../src/client.js';
import { UsageError } from '../../src/core/errors.js';
import type { GroupRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import './report.js';
import { type Snapshot, type Store, startGroupStores } from './group-stores.js';

const RUNS = 30;
const step = fc.record({
  command: fc.constantFrom('create-group', 'get-group', 'update-group', 'update-group', 'delete-group'),
  name: fc.constantFrom('admins', 'ADMINS', 'devs', 'ops'),
  // Which known group, by creation order (mostly the first two; past the end: a made-up id).
  group: fc.oneof({ weight: 4, arbitrary: fc.nat(1) }, fc.nat(5)),
  add: fc.array(fc.nat(7), { maxLength: 4 }), // which users (past the end: made-up or deleted ids)
  remove: fc.array(fc.nat(7), { maxLength: 3 }),
});

const dir = tempDir('iam-fuzz-groups-');
let stores: Store[] = [];
let close: () => Promise<void> = async () => {};

before(async () => {
  ({ stores, close } = await startGroupStores(dir.path));
});
after(async () => {
  await close();
  dir.cleanup();
});

/** One group command through the library; its record. */
function run(
  iam: IamClient,
  command: string,
  displayName: string,
  id: string | undefined,
  add: string[],
  remove: string[],
): Promise<GroupRecord> {
  if (command === 'create-group') return iam.createGroup('app', { scim: { displayName } });
  if (command === 'get-group') return iam.getGroup('app', { scim: { id }, includeMembers: true });
  if (command === 'delete-group') return iam.deleteGroup('app', { scim: { id } });
  return iam.updateGroup('app', { scim: { id }, memberIdsToAdd: add, memberIdsToDelete: remove });
}

function assertGroupStep(
  was: Snapshot,
  now: Snapshot,
  record: GroupRecord,
  ids: { add: string[]; remove: string[]; target: string | undefined },
  userIds: ReadonlySet<string>,
  uniqueNames: boolean,
  label: string,
): void {
  assert.equal(now.users, was.users, `${label}: a user changed`);
  const touched = record.id === null ? ids.target : String(record.id);
  for (const [id, g] of was.groups) {
    if (id === touched) continue;
    assert.deepEqual(now.groups.get(id), g, `${label}: group ${g.name} (${id}) changed`);
  }
  const made = [...now.groups.keys()].filter((id) => !was.groups.has(id));
  assert.ok(
    made.length <= 1 && (made[0] === undefined || made[0] === touched),
    `${label}: groups made ${made}`,
  );
  const names = [...now.groups.values()].map((g) => g.name.toLowerCase());
  if (uniqueNames)
    assert.equal(new Set(names).size, names.length, `${label}: two groups share a name: ${names}`);
  for (const g of now.groups.values())
    for (const m of g.members)
      assert.ok(userIds.has(m), `${label}: group ${g.name} has a member that is no user: ${m}`);
  const before_ = touched === undefined ? undefined : was.groups.get(touched);
  const after_ = touched === undefined ? undefined : now.groups.get(touched);
  if (before_ && after_) {
    // Members the command did not name keep or lack their membership as before.
    const named = new Set([...ids.add, ...ids.remove]);
    for (const u of userIds) {
      if (named.has(u)) continue;
      assert.equal(
        after_.members.includes(u),
        before_.members.includes(u),
        `${label}: membership of ${u} changed`,
      );
    }
    // A user that exists is added (removed) whatever else the list holds: a bad id beside it is
    // split off and named, it does not take the others down with it (spec section 7).
    for (const u of ids.add.filter((x) => !ids.remove.includes(x) && userIds.has(x)))
      assert.ok(after_.members.includes(u), `${label}: ${u} was not added`);
    for (const u of ids.remove.filter((x) => !ids.add.includes(x) && userIds.has(x)))
      assert.ok(!after_.members.includes(u), `${label}: ${u} was not removed`);
  }
}

describe('fuzz: group commands change only the named group, and only the named members', () => {
  for (const name of ['Local', 'SCIM', 'LDAP', 'Entra-ID', 'Okta']) {
    test(`${name}: create, get, update and delete groups with ids that belong to others or to nobody`, async () => {
      const store = stores.find((s) => s.name === name) as Store;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
          await store.reset();
          const iam = store.client();
          // Four users, one of them deleted: its id is a user that no longer exists.
          const users: string[] = [];
          for (const u of ['u1', 'u2', 'u3', 'gone']) {
            const { vendor } = await iam.createUser('app', {
              userProfile: { username: u, email: `${u}@example.com`, givenname: 'G', surname: 'S' },
            });
            assert.equal(vendor.success, true, vendor.errorMessage);
            users.push(String(vendor.id));
          }
          const deleted = await iam.deleteUser('app', { userProfile: { email: 'gone@example.com' } });
          assert.equal(deleted.vendor.success, true, deleted.vendor.errorMessage);
          const live = new Set(users.slice(0, 3));
          const userOf = (i: number) => users[i] ?? `no-such-user-${i}`;
          const groups: string[] = [];
          const groupOf = (i: number) => groups[i] ?? `no-such-group-${i}`;
          for (const [i, s] of steps.entries()) {
            const was = await store.read();
            const target = s.command === 'create-group' ? undefined : groupOf(s.group);
            const add = s.command === 'update-group' ? s.add.map(userOf) : [];
            const remove = s.command === 'update-group' ? s.remove.map(userOf) : [];
            let record: GroupRecord;
            try {
              record = await run(iam, s.command, s.name, target, add, remove);
            } catch (e) {
              // Bad arguments (nothing to add or remove) are refused before anything is sent.
              assert.ok(e instanceof UsageError, `${name} ${s.command}: ${(e as Error).message}`);
              assert.deepEqual(
                await store.read(),
                was,
                `${name} ${s.command}: refused, yet the store changed`,
              );
              continue;
            }
            if (s.command === 'create-group' && record.success && record.id !== null)
              groups.push(String(record.id));
            const label = `${name} step ${i + 1} ${s.command} ${JSON.stringify({ target, add, remove, name: s.name })} -> ${record.success ? 'ok' : `failed: ${record.errorMessage}`}`;
            const now = await store.read();
            assertGroupStep(was, now, record, { add, remove, target }, live, store.uniqueNames, label);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});
