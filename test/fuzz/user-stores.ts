// The user stores the lifecycle property runs on, each read directly, not through the connector:
// Local (its SQLite file), the SCIM server (scimmy's store), slapd (an admin search), and the Entra
// ID, Okta, ServiceNow and Zoom simulators (their stores). Each store's `read` states what the
// vendor's reference means by enabled; none borrows the connector's own reading.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createIamClient, type IamClient } from '../../src/client.js';
import { startEntraSimulator } from '../servers/entra-id/server.js';
import { startOktaSimulator } from '../servers/okta/server.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { startServiceNowSimulator } from '../servers/servicenow/server.js';
import { PEOPLE, type Slapd, startSlapd } from '../servers/slapd.js';
import { startZoomSimulator } from '../servers/zoom/server.js';
import { entraInstance, oktaInstance } from './simulator-instances.js';

export type Account = { id: string; username: string; email: string | null; active: boolean; rest: string };

export interface Store {
  name: string;
  client: IamClient;
  read(): Account[] | Promise<Account[]>;
  reset(): Promise<void>;
}

/** Every store, its client auditing to `auditPath(name)`; Local's files go in `dir`. */
export async function startUserStores(
  dir: string,
  auditPath: (store: string) => string,
): Promise<{ stores: Store[]; close(): Promise<void> }> {
  let scim: ScimTestServer | undefined;
  let slapd: Slapd | undefined;
  let closeSimulators: () => Promise<void> = async () => {};
  const stores: Store[] = [];

  scim = await startScimServer();
  const flags = { allowDelete: true, createIfNotExists: true };
  const scimClient = createIamClient({
    config: { instances: { app: { brand: 'SCIM', baseUrl: scim.url, token: scim.token, ...flags } } },
    env: {},
    auditLog: auditPath('SCIM'),
  });
  stores.push({
    name: 'SCIM',
    client: scimClient,
    read: () =>
      scim.users().map((u) => {
        const emails = (u.emails as { value: string; primary?: boolean }[] | undefined) ?? [];
        const { meta: _meta, ...rest } = u;
        return {
          id: String(u.id),
          username: String(u.userName),
          email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null,
          active: u.active !== false,
          rest: JSON.stringify(rest),
        };
      }),
    reset: async () => scim.reset(),
  });
  let round = 0;
  let path = '';
  let local: IamClient | undefined;
  const localStore: Store = {
    name: 'Local',
    get client() {
      return local as IamClient;
    },
    read: () => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const rows = db
          .prepare('SELECT id, username, email, active, attributes FROM users ORDER BY id')
          .all();
        return (rows as Record<string, unknown>[]).map((r) => ({
          id: String(r.id),
          username: String(r.username),
          email: (r.email as string | null) ?? null,
          active: r.active === 1,
          rest: String(r.attributes),
        }));
      } finally {
        db.close();
      }
    },
    reset: async () => {
      await local?.close();
      round += 1;
      path = join(dir, `life-${round}.db`);
      local = createIamClient({
        config: { instances: { app: { brand: 'Local', path, ...flags } } },
        env: {},
        auditLog: auditPath('Local'),
      });
      // The file exists once the store is first used.
      await local.getUser('app', { userProfile: { username: 'nobody' } });
    },
  };
  stores.push(localStore);
  slapd = await startSlapd();
  const ldapClient = createIamClient({
    config: { instances: { app: slapd.instance(flags) } },
    env: {},
    auditLog: auditPath('LDAP'),
  });
  const text = (v: unknown): string | null =>
    Array.isArray(v) ? (v.length ? String(v[0]) : null) : v === undefined ? null : String(v);
  stores.push({
    name: 'LDAP',
    client: ldapClient,
    read: () =>
      slapd.admin(async (c) => {
        const { searchEntries } = await c.search(PEOPLE, {
          scope: 'one',
          filter: '(objectClass=*)',
          attributes: ['*', 'entryUUID', 'pwdAccountLockedTime'],
        });
        return searchEntries
          .map((e) => ({
            id: String(text(e.entryUUID)),
            username: String(text(e.uid)),
            email: text(e.mail),
            // ldapts lists an attribute asked for and absent as [].
            active: text(e.pwdAccountLockedTime) === null,
            rest: JSON.stringify(Object.entries(e).sort(([a], [b]) => a.localeCompare(b))),
          }))
          .sort((a, b) => a.id.localeCompare(b.id));
      }),
    reset: () => slapd.reset(),
  });
  // Entra ID through its simulator (Graph v1.0, test/servers/entra-id/): usernames become UPNs.
  const entra = await startEntraSimulator();
  const entraClient = createIamClient({
    config: {
      instances: {
        app: entraInstance(entra, flags),
      },
    },
    env: {},
    auditLog: auditPath('Entra-ID'),
  });
  // Okta through its simulator (Users API v1, test/servers/okta/), logins not required to be emails.
  const okta = await startOktaSimulator({ loginPattern: 'any' });
  const oktaClient = createIamClient({
    config: {
      instances: { app: oktaInstance(okta, flags) },
    },
    env: {},
    auditLog: auditPath('Okta'),
  });
  // Okta's "User status" reference: enabled by an admin in these states, whatever sign-in allows.
  const enabled = new Set(['PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
  stores.push({
    name: 'Okta',
    client: oktaClient,
    read: () =>
      [...okta.store.users.values()]
        .map((u) => ({
          id: u.id,
          username: String(u.profile.login),
          email: (u.profile.email as string | undefined) ?? null,
          active: enabled.has(u.status),
          rest: JSON.stringify({ profile: u.profile, status: u.status }),
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    reset: async () => okta.reset(),
  });
  // ServiceNow through its simulator (Table API sys_user, test/servers/servicenow/).
  const snow = await startServiceNowSimulator();
  const snowClient = createIamClient({
    config: {
      instances: {
        app: {
          brand: 'ServiceNow',
          instanceUrl: snow.url,
          username: snow.credentials.username,
          password: snow.credentials.password,
          ...flags,
        },
      },
    },
    env: {},
    auditLog: auditPath('ServiceNow'),
  });
  stores.push({
    name: 'ServiceNow',
    client: snowClient,
    read: () =>
      snow.store
        .rows('sys_user')
        .map((r) => ({
          id: String(r.sys_id),
          username: String(r.user_name),
          email: r.email ? String(r.email) : null,
          // The connector's README: active when `active` is true and the account is not locked out.
          active: r.active === 'true' && r.locked_out !== 'true',
          rest: JSON.stringify(r),
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    reset: async () => snow.reset(),
  });
  // Zoom through its simulator (API v2 users, test/servers/zoom/): a user is its email.
  const zoom = await startZoomSimulator({ rateLimits: false });
  const zoomClient = createIamClient({
    config: {
      instances: {
        app: {
          brand: 'Zoom',
          baseUrl: zoom.url,
          tokenUrl: zoom.tokenUrl,
          ...zoom.credentials,
          createAction: 'autoCreate',
          ...flags,
        },
      },
    },
    env: {},
    auditLog: auditPath('Zoom'),
  });
  stores.push({
    name: 'Zoom',
    client: zoomClient,
    read: () =>
      [...zoom.store.users.values()]
        .map((u) => ({
          id: u.id,
          username: u.email,
          email: u.email,
          // Zoom's reference: `inactive` is a deactivated user; `active` and `pending` are not.
          active: u.status !== 'inactive',
          rest: JSON.stringify(u),
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    reset: async () => zoom.reset(),
  });
  closeSimulators = async () => {
    await entra.close();
    await okta.close();
    await snow.close();
    await zoom.close();
  };
  stores.push({
    name: 'Entra-ID',
    client: entraClient,
    read: () =>
      [...entra.dir.users.values()]
        .map((u) => ({
          id: u.id,
          username: String(u.props.userPrincipalName),
          email: (u.props.mail as string | null | undefined) ?? null,
          active: u.props.accountEnabled !== false,
          rest: JSON.stringify(u.props),
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    reset: async () => {
      entra.dir.users.clear();
      entra.dir.deletedUsers.clear();
    },
  });

  return {
    stores,
    async close() {
      for (const s of stores) await s.client?.close();
      await scim?.close();
      await slapd?.stop();
      await closeSimulators();
    },
  };
}
