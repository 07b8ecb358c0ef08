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
import * as fc from 'fast-check';
import type { VendorRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import './report.js';
import { type Account, type Store, startUserStores } from './user-stores.js';

const RUNS = 40;

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

const dir = tempDir('iam-fuzz-life-');
const auditPath = (store: string) => join(dir.path, `audit-${store}.log`);

/** The audit lines written since `from` (a line count). */
function auditSince(store: string, from: number): Record<string, unknown>[] {
  const path = auditPath(store);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
}
let close: () => Promise<void> = async () => {};
let stores: Store[] = [];

before(async () => {
  const started = await startUserStores(dir.path, auditPath);
  stores = started.stores;
  close = started.close;
});
after(async () => {
  await close();
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
