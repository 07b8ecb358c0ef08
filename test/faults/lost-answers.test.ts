// One exact fault at a time, through the fault proxy in front of the real SCIM server: a write that
// landed but whose answer was lost, or a refusal before forwarding. What the app ends with and
// what it saw on the wire must match the record.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import { createHttpTransport } from '../../src/http/undici-transport.js';
import { type Fault, startFaultProxy } from '../servers/fault-proxy.js';
import { startScimServer } from '../servers/scim-server.js';

const retriesOf = (details: unknown) => (details as { retries?: number }).retries ?? 0;

describe('lost answers and refusals, one at a time', async () => {
  const server = await startScimServer();
  /** The fault for the first time each method is seen (`plan`), or every time (`always`). */
  const plan = new Map<string, Fault>();
  const always = new Map<string, Fault>();
  const proxy = await startFaultProxy({
    target: new URL(server.url).origin,
    seed: 1,
    rates: {},
    decide: (method, _url, seen) => always.get(method) ?? (seen === 0 ? plan.get(method) : undefined),
  });
  const iam: IamClient = createIamClient({
    config: {
      instances: {
        app: {
          brand: 'SCIM',
          baseUrl: `${proxy.origin}${new URL(server.url).pathname}`,
          token: server.token,
          retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
        },
      },
    },
    env: {},
  });
  after(async () => {
    await iam.close();
    await proxy.close();
    await server.close();
  });
  beforeEach(() => {
    plan.clear();
    always.clear();
    server.reset();
    proxy.log.length = 0;
  });

  const profile = (n: string) => ({
    username: n,
    email: `${n}@example.com`,
    givenname: 'Lost',
    surname: 'Answer',
  });
  const sent = (method: string) => server.requests.filter((r) => r.method === method).map((r) => r.status);

  test('a create that landed but whose answer was lost is found, not sent again', async () => {
    plan.set('POST', 'drop-after');
    const { vendor } = await iam.createUser('app', { userProfile: profile('lost1') });
    assert.deepEqual([vendor.success, vendor.action], [true, 'create']);
    assert.deepEqual(sent('POST'), [201]);
    assert.equal(server.users().length, 1);
    assert.equal(vendor.id, server.users()[0]?.id);
    assert.equal(retriesOf(vendor.details), 0);
  });

  test('a create refused before it landed (503, dropped) is looked up, then sent again and counted', async () => {
    for (const fault of ['unavailable', 'drop-before'] as const) {
      server.reset();
      plan.set('POST', fault);
      const { vendor } = await iam.createUser('app', { userProfile: profile(`again-${fault}`) });
      assert.deepEqual([vendor.success, vendor.action], [true, 'create'], fault);
      assert.deepEqual(sent('POST'), [201], fault);
      assert.equal(server.users().length, 1, fault);
      assert.equal(retriesOf(vendor.details), 1, fault);
    }
  });

  test('a group delete whose answer was lost is retried; the 404 it then gets means done', async () => {
    const g = await iam.createGroup('app', { scim: { displayName: 'Lost delete' } });
    plan.set('DELETE', 'drop-after');
    const rec = await iam.deleteGroup('app', { scim: { id: g.id } });
    assert.equal(rec.success, true, String(rec.errorMessage));
    assert.equal(retriesOf(rec.details), 1);
    assert.deepEqual(sent('DELETE'), [204, 404]);
    assert.equal(server.groups().length, 0);
    // Without a lost answer, a missing group is still "Group Not Found".
    const again = await iam.deleteGroup('app', { scim: { id: g.id } });
    assert.deepEqual([again.success, again.errorCode, again.errorMessage], [false, 404, 'Group Not Found']);
  });

  test('a member PATCH whose answer was lost is checked by reading the group back, not sent again', async () => {
    const u = await iam.createUser('app', { userProfile: profile('member1') });
    const g = await iam.createGroup('app', { scim: { displayName: 'Lost patch' } });
    plan.set('PATCH', 'drop-after');
    const before = server.requests.length;
    const rec = await iam.updateGroup('app', { scim: { id: g.id }, memberIdsToAdd: [String(u.vendor.id)] });
    assert.equal(rec.success, true, String(rec.errorMessage));
    assert.deepEqual((rec.details as { added: unknown[] }).added, [u.vendor.id]);
    // Sent again, an add would store the member twice on an app that does not de-duplicate.
    assert.equal(retriesOf(rec.details), 0);
    assert.deepEqual(sent('PATCH'), [200]);
    assert.deepEqual(
      server.requests
        .slice(before)
        .filter((r) => r.path.endsWith(`/Groups/${g.id}`))
        .map((r) => r.method),
      ['PATCH', 'GET'],
    );
    const members = (server.groups()[0]?.members ?? []) as { value: string }[];
    assert.deepEqual(
      members.map((m) => m.value),
      [u.vendor.id],
    );
  });

  test("re-sent creates keep to the transport's budget and pace; when it runs out the record says not created", async () => {
    const waits: number[] = [];
    const strict = createIamClient({
      config: {
        instances: {
          app: {
            brand: 'SCIM',
            baseUrl: `${proxy.origin}${new URL(server.url).pathname}`,
            token: server.token,
          },
        },
      },
      env: {},
      transport: (o) =>
        createHttpTransport({
          ...o,
          retry: { attempts: 2, baseDelayMs: 40, maxDelayMs: 40 },
          sleep: async (ms) => void waits.push(ms),
        }),
    });
    after(() => strict.close());
    always.set('POST', 'unavailable');
    const { vendor } = await strict.createUser('app', { userProfile: profile('budget1') });
    assert.equal(vendor.success, false);
    assert.equal(vendor.errorCode, 503);
    assert.equal(
      vendor.errorMessage,
      'Service unavailable; not created (2 attempts; the lookup after each found no account)',
    );
    assert.equal(retriesOf(vendor.details), 1);
    assert.deepEqual(
      proxy.log.filter((r) => r.method === 'POST').map((r) => r.status),
      [503, 503],
    );
    assert.equal(server.users().length, 0);
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 99) <= 40);
  });

  test('a 429 with Retry-After is waited out and retried, for any method', async () => {
    plan.set('POST', 'throttle');
    const { vendor } = await iam.createUser('app', { userProfile: profile('throttled1') });
    assert.deepEqual([vendor.success, vendor.action], [true, 'create']);
    assert.equal(retriesOf(vendor.details), 1);
    assert.deepEqual(
      proxy.log.filter((r) => r.method === 'POST').map((r) => r.status),
      [429, 201],
    );
  });
});
