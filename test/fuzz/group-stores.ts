// The group stores the group-sequence property runs on, each read directly: Local (its SQLite
// file), the SCIM server (scimmy's store), slapd (an admin search of ou=groups and ou=people), and
// the Entra ID and Okta simulators (their stores). Members are user ids, sorted.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createIamClient, type IamClient } from '../../src/client.js';
import { startEntraSimulator } from '../servers/entra-id/server.js';
import { startOktaSimulator } from '../servers/okta/server.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { GROUPS, PEOPLE, type Slapd, startSlapd } from '../servers/slapd.js';
import { entraInstance, oktaInstance } from './simulator-instances.js';

/** Groups by id: display name and member user ids (sorted); users as a fingerprint. */
export interface Snapshot {
  groups: Map<string, { name: string; members: string[] }>;
  users: string;
}

export interface Store {
  name: string;
  /** The app refuses a second group of the same name (SCIM's Group displayName has uniqueness "none"). */
  uniqueNames: boolean;
  client(): IamClient;
  read(): Promise<Snapshot>;
  reset(): Promise<void>;
}

/** Every store; Local's files go in `dir`. */
export async function startGroupStores(dir: string): Promise<{ stores: Store[]; close(): Promise<void> }> {
  const stores: Store[] = [];
  const closers: (() => Promise<void>)[] = [];
  const flags = { allowDelete: true };
  const track = (c: IamClient): IamClient => {
    closers.push(() => c.close());
    return c;
  };

  let round = 0;
  let local: IamClient | undefined;
  let path = '';
  stores.push({
    name: 'Local',
    uniqueNames: true,
    client: () => local as IamClient,
    reset: async () => {
      round += 1;
      path = join(dir, `groups-${round}.db`);
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

  return {
    stores,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
