// Property: random group commands (create, get, update with ids to add and remove, delete) over a
// few users and groups, with ids that belong to other groups, to deleted users or to nobody, change
// only the group the record names, and there only the members the command listed: every other
// group is exactly as it was, no user is touched, a member the command did not name keeps or lacks
// its membership as before, and members are always users that exist. The store is read directly
// after each command (SQLite's file for Local, the server's own store for SCIM, slapd's entries for
// LDAP).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import * as fc from 'fast-check';
import { createIamClient, type IamClient } from '../../src/client.js';
import { UsageError } from '../../src/core/errors.js';
import type { GroupRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import { startEntraSimulator } from '../servers/entra-id/server.js';
import { startOktaSimulator } from '../servers/okta/server.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { GROUPS, PEOPLE, type Slapd, startSlapd } from '../servers/slapd.js';
import './report.js';
import { entraInstance, oktaInstance } from './simulator-instances.js';

const RUNS = 30;
/** Groups by id: display name and member user ids (sorted); users as a fingerprint. */
interface Snapshot {
  groups: Map<string, { name: string; members: string[] }>;
  users: string;
}

interface Store {
  name: string;
  /** The app refuses a second group of the same name (SCIM's Group displayName has uniqueness "none"). */
  uniqueNames: boolean;
  client(): IamClient;
  read(): Promise<Snapshot>;
  reset(): Promise<void>;
}

const step = fc.record({
  command: fc.constantFrom('create-group', 'get-group', 'update-group', 'update-group', 'delete-group'),
  name: fc.constantFrom('admins', 'ADMINS', 'devs', 'ops'),
  // Which known group, by creation order (mostly the first two; past the end: a made-up id).
  group: fc.oneof({ weight: 4, arbitrary: fc.nat(1) }, fc.nat(5)),
  add: fc.array(fc.nat(7), { maxLength: 4 }), // which users (past the end: made-up or deleted ids)
  remove: fc.array(fc.nat(7), { maxLength: 3 }),
});

const dir = tempDir('iam-fuzz-groups-');
const stores: Store[] = [];
const closers: (() => Promise<void>)[] = [];
const flags = { allowDelete: true };

function track(c: IamClient): IamClient {
  closers.push(() => c.close());
  return c;
}

before(async () => {
  let round = 0;
  let local: IamClient | undefined;
  let path = '';
  stores.push({
    name: 'Local',
    uniqueNames: true,
    client: () => local as IamClient,
    reset: async () => {
      round += 1;
      path = join(dir.path, `groups-${round}.db`);
      local = track(
        createIamClient({
          config: { instances: { app: { brand: 'Local', path, ...flags } } },
          env: {},
          auditLog: false,
        }),
      );
    },
    read: async () => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const groups = new Map<string, { name: string; members: string[] }>();
        for (const g of db.prepare('SELECT id, display_name FROM groups').all() as Record<string, string>[])
          groups.set(g.id as string, { name: g.display_name as string, members: [] });
        for (const m of db.prepare('SELECT group_id, user_id FROM group_members').all() as Record<
          string,
          string
        >[])
          groups.get(m.group_id as string)?.members.push(m.user_id as string);
        for (const g of groups.values()) g.members.sort();
        return { groups, users: JSON.stringify(db.prepare('SELECT * FROM users ORDER BY id').all()) };
      } finally {
        db.close();
      }
    },
  });
  const scim: ScimTestServer = await startScimServer();
  closers.push(() => scim.close());
  const scimClient = track(
    createIamClient({
      config: { instances: { app: { brand: 'SCIM', baseUrl: scim.url, token: scim.token, ...flags } } },
      env: {},
      auditLog: false,
    }),
  );
  stores.push({
    name: 'SCIM',
    uniqueNames: false,
    client: () => scimClient,
    reset: async () => scim.reset(),
    read: async () => {
      const groups = new Map<string, { name: string; members: string[] }>();
      for (const g of scim.groups()) {
        const members = ((g.members as { value: string }[] | undefined) ?? []).map((m) => m.value).sort();
        groups.set(String(g.id), { name: String(g.displayName), members });
      }
      // A user's `groups` is the server's read-only view of memberships: compared through groups.
      const users = scim.users().map(({ groups: _g, meta: _m, ...u }) => u);
      return { groups, users: JSON.stringify(users) };
    },
  });
  const slapd: Slapd = await startSlapd();
  closers.push(() => slapd.stop());
  const ldapClient = track(
    createIamClient({ config: { instances: { app: slapd.instance(flags) } }, env: {}, auditLog: false }),
  );
  const all = (v: unknown): string[] =>
    Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
  stores.push({
    name: 'LDAP',
    uniqueNames: true,
    client: () => ldapClient,
    reset: () => slapd.reset(),
    read: () =>
      slapd.admin(async (c) => {
        const people = await c.search(PEOPLE, {
          scope: 'one',
          filter: '(objectClass=*)',
          attributes: ['*', 'entryUUID'],
        });
        const idOfDn = new Map(
          people.searchEntries.map((e) => [e.dn.toLowerCase(), String(all(e.entryUUID)[0])]),
        );
        const found = await c.search(GROUPS, {
          scope: 'one',
          filter: '(objectClass=*)',
          attributes: ['*', 'entryUUID'],
        });
        const groups = new Map<string, { name: string; members: string[] }>();
        for (const g of found.searchEntries) {
          // The empty DN stands in for "no members" (groupOfNames must have one): not a member.
          const dns = all(g.member).filter((dn) => dn !== '');
          const members = dns.map((dn) => idOfDn.get(dn.toLowerCase()) ?? `dangling:${dn}`).sort();
          groups.set(String(all(g.entryUUID)[0]), { name: String(all(g.cn)[0]), members });
        }
        const users = people.searchEntries.map((e) => JSON.stringify(Object.entries(e).sort()));
        return { groups, users: JSON.stringify(users.sort()) };
      }),
  });
  // The REST brands through their simulators (each written from the vendor's reference).
  const sorted = (ids: Iterable<string>) => [...ids].sort();
  const entra = await startEntraSimulator();
  closers.push(() => entra.close());
  const entraClient = track(
    createIamClient({
      config: {
        instances: {
          app: entraInstance(entra, flags),
        },
      },
      env: {},
      auditLog: false,
    }),
  );
  stores.push({
    name: 'Entra-ID',
    uniqueNames: false, // Graph: a group's displayName need not be unique
    client: () => entraClient,
    reset: async () => {
      entra.dir.users.clear();
      entra.dir.deletedUsers.clear();
      entra.dir.groups.clear();
    },
    read: async () => ({
      groups: new Map(
        [...entra.dir.groups.values()].map((g) => [
          g.id,
          { name: String(g.props.displayName), members: sorted(g.members) },
        ]),
      ),
      users: JSON.stringify([...entra.dir.users.values()].map((u) => u.props)),
    }),
  });
  const okta = await startOktaSimulator({ loginPattern: 'any' });
  closers.push(() => okta.close());
  const oktaClient = track(
    createIamClient({
      config: {
        instances: {
          app: oktaInstance(okta, flags),
        },
      },
      env: {},
      auditLog: false,
    }),
  );
  stores.push({
    name: 'Okta',
    uniqueNames: false,
    client: () => oktaClient,
    reset: async () => okta.reset(),
    read: async () => ({
      groups: new Map(
        [...okta.store.groups.values()].map((g) => [
          g.id,
          { name: g.profile.name, members: sorted(g.members) },
        ]),
      ),
      users: JSON.stringify([...okta.store.users.values()].map((u) => [u.id, u.profile, u.status])),
    }),
  });
});
after(async () => {
  for (const close of closers.reverse()) await close();
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
