// Property: a random joiner/mover/leaver sequence (create, update, rename, disable, enable, delete,
// get) over a few usernames and emails that collide on purpose, on Local, the SCIM server, slapd
// and the Entra ID, Okta, ServiceNow and Zoom simulators, changes only the account its record
// names, and the record tells the truth about it (its `email` as the spec defines it: the
// profile's, else the app's). After every command the store is read directly (SQLite's file for
// Local, the server's own store for SCIM, an admin search of slapd for LDAP): every other account
// is exactly as it was, no two accounts share a username, and a successful record's id, username,
// email and active are the account's as stored. Ambiguity (two accounts with one email) must end in
// a refusal, never in a guess.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import * as fc from 'fast-check';
import { createIamClient, type IamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import { startEntraSimulator } from '../servers/entra-id/server.js';
import { startOktaSimulator } from '../servers/okta/server.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { startServiceNowSimulator } from '../servers/servicenow/server.js';
import { PEOPLE, type Slapd, startSlapd } from '../servers/slapd.js';
import { startZoomSimulator } from '../servers/zoom/server.js';
import './report.js';
import { entraInstance, oktaInstance } from './simulator-instances.js';

const RUNS = 40;
type Account = { id: string; username: string; email: string | null; active: boolean; rest: string };

const NAMES = ['ann', 'ANN', 'bob', 'cat'];
const EMAILS = ['a@example.com', 'A@example.com', 'b@example.com', undefined];
const COMMANDS = [
  'create-user',
  'update-user',
  'disable-user',
  'enable-user',
  'delete-user',
  'get-user',
] as const;

const step = fc.record({
  command: fc.constantFrom(...COMMANDS),
  username: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
  email: fc.constantFrom(...EMAILS),
  oldUsername: fc.option(fc.constantFrom(...NAMES), { freq: 3, nil: undefined }),
  title: fc.option(fc.constantFrom('Engineer', 'CTO'), { nil: undefined }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function profileOf(s: Step): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (s.username !== undefined) p.username = s.username;
  if (s.email !== undefined) p.email = s.email;
  if (s.title !== undefined && s.command !== 'get-user') p.title = s.title;
  // Okta's default user type requires both names on create.
  if (s.command === 'create-user' || s.command === 'update-user')
    Object.assign(p, { givenname: 'G', surname: 'S' });
  if (s.oldUsername !== undefined && s.command === 'update-user') p.olduserdata = { username: s.oldUsername };
  return p;
}

interface Store {
  name: string;
  client: IamClient;
  read(): Account[] | Promise<Account[]>;
  reset(): Promise<void>;
}

const dir = tempDir('iam-fuzz-life-');
const auditPath = (store: string) => join(dir.path, `audit-${store}.log`);

/** The audit lines written since `from` (a line count). */
function auditSince(store: string, from: number): Record<string, unknown>[] {
  const path = auditPath(store);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
}
let scim: ScimTestServer;
let slapd: Slapd;
let closeSimulators: () => Promise<void> = async () => {};
const stores: Store[] = [];

before(async () => {
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
      path = join(dir.path, `life-${round}.db`);
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
});
after(async () => {
  for (const s of stores) await s.client?.close();
  await scim?.close();
  await slapd?.stop();
  await closeSimulators();
  dir.cleanup();
});

const byId = (accounts: Account[]) => new Map(accounts.map((a) => [a.id, a]));

function assertStep(
  before_: Account[],
  after_: Account[],
  v: VendorRecord,
  profile: Record<string, unknown>,
  label: string,
): void {
  const was = byId(before_);
  const now = byId(after_);
  const touched = v.id === null ? undefined : String(v.id);
  // Every account the record does not name is exactly as it was (or, for a create, did not exist).
  for (const [id, account] of was) {
    if (id === touched) continue;
    assert.deepEqual(now.get(id), account, `${label}: account ${account.username} (${id}) changed`);
  }
  const created = [...now.keys()].filter((id) => !was.has(id));
  assert.ok(created.length <= 1, `${label}: ${created.length} accounts created`);
  if (created[0] !== undefined)
    assert.equal(created[0], touched, `${label}: created an account the record does not name`);
  const names = after_.map((a) => a.username.toLowerCase());
  assert.equal(new Set(names).size, names.length, `${label}: two accounts share a username: ${names}`);
  // Failed or skipped (the spec: active is null then): the store as it was, but for what the
  // record lists as applied before the error (an update's enable that landed first).
  if (!v.success || v.skipped || touched === undefined) {
    const applied = (v.details as { appliedBeforeError?: unknown } | null)?.appliedBeforeError;
    if (!v.success && Array.isArray(applied) && applied.includes('enable') && touched !== undefined) {
      const [then, now_] = [was.get(touched), now.get(touched)];
      assert.deepEqual(
        [now_?.username, now_?.email, now_?.active],
        [then?.username, then?.email, true],
        label,
      );
      assert.equal(after_.length, before_.length, `${label}: accounts made or removed`);
      return;
    }
    assert.deepEqual(after_, before_, `${label}: a failed or skipped command changed the store`);
    return;
  }
  const account = now.get(touched);
  if (v.action === 'delete') {
    assert.equal(account, undefined, `${label}: the deleted account is still there`);
    return;
  }
  assert.ok(account, `${label}: the record names ${touched}, which is not in the store`);
  assert.equal(v.username, account.username, `${label}: record username`);
  // The spec's `email`: the profile's, else the app's primary email (for get-user, the app's).
  const email = v.action === 'get' ? account.email : ((profile.email as string | undefined) ?? account.email);
  assert.equal(v.email?.toLowerCase() ?? null, email?.toLowerCase() ?? null, `${label}: record email`);
  assert.equal(v.active, account.active, `${label}: record active`);
}

/**
 * Never a change unaccounted for: a command that changed the store left an intent line ahead of it
 * and one outcome line naming the account it changed, sharing one correlation id; the fields it
 * lists are names, never values.
 */
function assertAudited(
  before_: Account[],
  after_: Account[],
  v: VendorRecord,
  lines: Record<string, unknown>[],
  label: string,
): void {
  const text = JSON.stringify(lines);
  // Field names, never values: the emails sent are not among the fields listed.
  for (const l of lines)
    for (const f of (l.fields as unknown[] | undefined) ?? [])
      assert.doesNotMatch(String(f), /@/, `${label}: ${text}`);
  const outcomes = lines.filter((l) => l.event === 'outcome');
  if (JSON.stringify(before_) === JSON.stringify(after_)) return;
  assert.equal(
    outcomes.length,
    1,
    `${label}: one outcome line for a command that changed the store: ${text}`,
  );
  const [outcome] = outcomes as [Record<string, unknown>];
  assert.equal(outcome.targetId, v.id, `${label}: the outcome names the account changed`);
  const intents = lines.filter((l) => l.event === 'intent' && l.correlationId === outcome.correlationId);
  assert.ok(intents.length >= 1, `${label}: a change with no intent line ahead of it: ${text}`);
  assert.ok(
    lines.indexOf(intents[0] as Record<string, unknown>) < lines.indexOf(outcome),
    `${label}: intent after outcome`,
  );
}

describe('fuzz: joiner/mover/leaver sequences touch only the account the record names', () => {
  for (const name of ['Local', 'SCIM', 'LDAP', 'Entra-ID', 'Okta', 'ServiceNow', 'Zoom']) {
    test(`${name}: every command changes at most its own account, and its record says so`, async () => {
      const store = stores.find((s) => s.name === name) as Store;
      // What the runs did, so a brand that refused everything cannot pass without being tested.
      const done = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          await store.reset();
          for (const [i, s] of steps.entries()) {
            const before_ = await store.read();
            const auditFrom = auditSince(name, 0).length;
            const input = { userProfile: profileOf(s) };
            const call = s.command.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as 'createUser';
            const { vendor } = await store.client[call]('app', input);
            const label = `${name} step ${i + 1} ${s.command} ${JSON.stringify(input.userProfile)} -> ${vendor.action} ${vendor.success ? 'ok' : vendor.skipped ? `skipped: ${vendor.reason}` : `failed: ${vendor.errorMessage}`} (steps ${JSON.stringify(steps.map((x) => [x.command, profileOf(x)]))})`;
            const after_ = await store.read();
            if (vendor.success && !vendor.skipped) done.add(String(vendor.action));
            assertStep(before_, after_, vendor, input.userProfile, label);
            assertAudited(before_, after_, vendor, auditSince(name, auditFrom), label);
          }
        }),
        { numRuns: RUNS },
      );
      for (const action of ['create', 'update', 'disable', 'get'])
        assert.ok(done.has(action), `${name}: no ${action} succeeded in ${RUNS} runs: ${[...done]}`);
    });
  }
});
