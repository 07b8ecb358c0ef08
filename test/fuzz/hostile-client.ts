// The library-side harness of the hostile-peer tests: a SCIM-brand client aimed at
// test/servers/hostile-scim.ts, every command as one call, and what each outcome must satisfy.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createIamClient, type IamClient } from '../../src/client.js';
import type { GroupRecord, UserResult } from '../../src/core/record.js';
import { createHttpTransport } from '../../src/http/undici-transport.js';
import type { HostileServer } from '../servers/hostile-scim.js';
import { ref } from './arbitraries.js';
import { assertGroupRecord, assertOneLineMessage, assertVendorRecord } from './harness.js';

export const TOKEN = 'hostile-token-8c1f';

/** A full GC on demand (the runner gives no --expose-gc): memory is measured without garbage. */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * A SCIM-brand client on the peer. Retries stay on (they are part of what must end) but with two
 * attempts and no backoff, so a case that retries does not slow the suite.
 */
export function hostileClient(server: HostileServer, timeoutMs = 2_000): IamClient {
  return createIamClient({
    config: {
      instances: {
        app: { brand: 'SCIM', baseUrl: server.url, token: ref('env', 'HOSTILE_TOKEN'), timeoutMs },
      },
    },
    env: { HOSTILE_TOKEN: TOKEN },
    transport: (o) =>
      createHttpTransport({ ...o, retry: { ...o.retry, attempts: 2 }, sleep: async () => {} }),
  });
}

export type Outcome =
  | { kind: 'user'; r: UserResult }
  | { kind: 'group'; r: GroupRecord }
  | { kind: 'test'; ok: boolean; message: string };

export const COMMANDS: Record<string, (c: IamClient) => Promise<Outcome>> = {
  'get-user': async (c) => ({
    kind: 'user',
    r: await c.getUser('app', { userProfile: { username: 'jdoe' } }),
  }),
  'get-user by id': async (c) => ({ kind: 'user', r: await c.getUser('app', { userProfile: { id: 'u1' } }) }),
  'create-user': async (c) => ({
    kind: 'user',
    r: await c.createUser('app', { userProfile: { username: 'jdoe', email: 'jdoe@example.com' } }),
  }),
  'update-user': async (c) => ({
    kind: 'user',
    r: await c.updateUser('app', { userProfile: { username: 'jdoe', title: 'CTO' } }),
  }),
  'enable-user': async (c) => ({
    kind: 'user',
    r: await c.enableUser('app', { userProfile: { username: 'jdoe' } }),
  }),
  'disable-user': async (c) => ({
    kind: 'user',
    r: await c.disableUser('app', { userProfile: { username: 'jdoe' } }),
  }),
  'get-group': async (c) => ({
    kind: 'group',
    r: await c.getGroup('app', { scim: { displayName: 'G' }, includeMembers: true }),
  }),
  'get-group by id': async (c) => ({
    kind: 'group',
    r: await c.getGroup('app', { scim: { id: 'g1' }, includeMembers: true }),
  }),
  'create-group': async (c) => ({
    kind: 'group',
    r: await c.createGroup('app', { scim: { displayName: 'G' } }),
  }),
  'update-group': async (c) => ({
    kind: 'group',
    r: await c.updateGroup('app', { scim: { id: 'g1' }, memberIdsToAdd: ['a', 'b'], memberIdsToDelete: 'c' }),
  }),
  'delete-group': async (c) => ({ kind: 'group', r: await c.deleteGroup('app', { scim: { id: 'g1' } }) }),
  test: async (c) => {
    const t = await c.test('app');
    return { kind: 'test', ok: t.success, message: t.message };
  },
};

/** The record is well-formed; a failure says why in one line; a success carries usable values; no secret. */
export function assertOutcome(o: Outcome, label: string): boolean {
  assert.doesNotMatch(JSON.stringify(o), new RegExp(TOKEN), `${label}: the token never shows`);
  if (o.kind === 'user') {
    assertVendorRecord(JSON.parse(JSON.stringify(o.r.vendor)), label);
    if (o.r.vendor.success && !o.r.vendor.skipped)
      assert.equal(typeof o.r.vendor.active, 'boolean', `${label}: active`);
    return o.r.vendor.success;
  }
  if (o.kind === 'group') {
    assertGroupRecord(JSON.parse(JSON.stringify(o.r)), label);
    if (o.r.members)
      for (const m of o.r.members) assert.equal(typeof m.value, 'string', `${label}: member value`);
    return o.r.success;
  }
  assertOneLineMessage(o.message, `${label}: test message`);
  return o.ok;
}

export async function runAll(c: IamClient, label: string): Promise<Map<string, Outcome>> {
  const all = new Map<string, Outcome>();
  for (const [name, run] of Object.entries(COMMANDS)) {
    const o = await run(c);
    assertOutcome(o, `${label}: ${name}`);
    all.set(name, o);
  }
  return all;
}

export const messageOf = (o: Outcome | undefined): string =>
  o === undefined
    ? ''
    : o.kind === 'user'
      ? o.r.vendor.errorMessage
      : o.kind === 'group'
        ? String(o.r.errorMessage)
        : o.message;
export const failed = (o: Outcome | undefined): boolean =>
  o !== undefined && (o.kind === 'user' ? !o.r.vendor.success : o.kind === 'group' ? !o.r.success : !o.ok);
