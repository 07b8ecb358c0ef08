// The Entra-ID connector through the core (createIamClient) against the Graph simulator
// (test/servers/entra-id/, built from Microsoft's published reference): the `domain` setting, OData
// string escaping in lookups, the generated password, the replication delay, members in Graph's
// batch size, Retry-After on 429 and 503, Graph's errors as one line, and delete to the recycle bin.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import { type EntraSimulatorOptions, startEntraSimulator } from '../servers/entra-id/server.js';

const I = 'entra';
const open: { close(): Promise<void> | void }[] = [];
after(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setup(sim: EntraSimulatorOptions = {}, settings: Record<string, unknown> = {}) {
  const s = await startEntraSimulator(sim);
  const config = {
    brand: 'Entra-ID',
    tenantId: s.credentials.tenantId,
    clientId: s.credentials.clientId,
    clientSecret: s.credentials.clientSecret,
    authorityUrl: s.authorityUrl,
    graphUrl: s.graphUrl,
    domain: 'contoso.com',
    allowDelete: true,
    rateLimit: { requestsPerSecond: 1000, burst: 100 },
    ...settings,
  };
  const c: IamClient = createIamClient({ config: { instances: { [I]: config } }, env: {} });
  open.push(s, c);
  const api = () => s.requests.filter((r) => r.path.startsWith('/v1.0/'));
  return { s, c, api, config };
}

describe('Entra-ID users', () => {
  test('domain: a username without @ becomes user@domain on create and on lookup', async () => {
    const { s, c } = await setup();
    const made = await c.createUser(I, {
      userProfile: { username: 'adele', givenname: 'Adele', surname: 'Vance' },
    });
    assert.equal(made.vendor.success, true, made.vendor.errorMessage);
    assert.equal(made.vendor.username, 'adele@contoso.com');
    const stored = s.dir.findUser('adele@contoso.com');
    assert.ok(stored, 'created as adele@contoso.com');
    assert.equal(stored.props.displayName, 'Adele Vance');
    assert.equal(stored.props.mailNickname, 'adele');
    const got = await c.getUser(I, { userProfile: { username: 'adele' } });
    assert.deepEqual([got.vendor.success, got.vendor.id], [true, stored.id]);
    const filter = s.requests.filter((r) => r.query.$filter).map((r) => r.query.$filter);
    assert.ok(filter.includes("userPrincipalName eq 'adele@contoso.com'"), filter.join(' | '));
  });

  test('without a domain, a username without @ is refused naming the field, before any write', async () => {
    const { c, api } = await setup({}, { domain: undefined });
    const r = await c.createUser(I, { userProfile: { username: 'adele' } });
    assert.equal(r.vendor.success, false);
    assert.match(String(r.vendor.errorMessage), /^username: .*no @domain/);
    assert.equal(api().filter((q) => q.method !== 'GET').length, 0);
  });

  test('lookup by mail with a quote: OData escaping doubles it, URL-encoded; the user is found', async () => {
    const { s, c } = await setup();
    const email = "o'brien@contoso.com";
    const made = await c.createUser(I, { userProfile: { username: 'obrien', email } });
    assert.equal(made.vendor.success, true, made.vendor.errorMessage);
    s.requests.length = 0;
    const got = await c.getUser(I, { userProfile: { email } });
    assert.deepEqual([got.vendor.success, got.vendor.id], [true, made.vendor.id]);
    const q = s.requests.find((r) => r.query.$filter?.startsWith('mail'));
    assert.equal(q?.query.$filter, "mail eq 'o''brien@contoso.com'");
  });

  test('create without a password: a strong generated one is sent, and never appears in the record', async () => {
    const { s, c } = await setup();
    const r = await c.createUser(I, { userProfile: { username: 'gen', givenname: 'Gen' } });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const user = s.dir.findUser('gen@contoso.com');
    assert.ok(user);
    assert.ok(user.password.length >= 16, 'a long password');
    assert.equal(JSON.stringify(r).includes(user.password), false, 'not in the record');
    const post = s.requests.find((q) => q.method === 'POST' && q.path === '/v1.0/users');
    const body = post?.body as {
      accountEnabled: boolean;
      passwordProfile: { forceChangePasswordNextSignIn: boolean };
    };
    assert.deepEqual([body.accountEnabled, body.passwordProfile.forceChangePasswordNextSignIn], [true, true]);
  });

  test('update sends only the changed fields with PATCH; enable/disable through accountEnabled', async () => {
    const { s, c } = await setup();
    const p = { username: 'upd', givenname: 'Up', surname: 'Date', title: 'Engineer' };
    await c.createUser(I, { userProfile: p });
    s.requests.length = 0;
    const r = await c.updateUser(I, { userProfile: { ...p, title: 'Lead' } });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const patches = s.requests.filter((q) => q.method === 'PATCH').map((q) => q.body);
    assert.deepEqual(patches, [{ jobTitle: 'Lead' }]);
    const off = await c.disableUser(I, { userProfile: { username: 'upd' } });
    assert.deepEqual([off.vendor.success, off.vendor.active], [true, false]);
    assert.equal(s.dir.findUser('upd@contoso.com')?.props.accountEnabled, false);
  });

  test('delete: to the recycle bin, and the record says so', async () => {
    const { s, c } = await setup();
    await c.createUser(I, { userProfile: { username: 'bye' } });
    const r = await c.deleteUser(I, { userProfile: { username: 'bye' } });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const details = r.vendor.details as Record<string, unknown>;
    assert.equal(details.deletedTo, 'deletedItems');
    assert.match(String(details.note), /recycle bin/);
    assert.equal(s.dir.deletedUsers.size, 1);
  });

  test("a userPrincipalName in use: one line with Graph's words, errorCode 409", async () => {
    const { c } = await setup();
    await c.createUser(I, { userProfile: { username: 'a1' } });
    await c.createUser(I, { userProfile: { username: 'a2' } });
    const r = await c.updateUser(I, { userProfile: { username: 'a1', olduserdata: { username: 'a2' } } });
    assert.equal(r.vendor.success, false);
    assert.equal(r.vendor.errorCode, 409);
    assert.match(
      String(r.vendor.errorMessage),
      /Another object with the same value for property userPrincipalName already exists\./,
    );
    assert.equal(String(r.vendor.errorMessage).includes('\n'), false);
  });

  test('a graphUrl that is not Graph\'s root: a configuration message naming it, never "not found"', async () => {
    const { s, config } = await setup();
    const wrong = createIamClient({
      config: { instances: { [I]: { ...config, graphUrl: `${s.graphUrl}/beta` } } },
      env: {},
    });
    open.push(wrong);
    const r = await wrong.getUser(I, { userProfile: { id: '00000000-0000-0000-0000-000000000001' } });
    assert.equal(r.vendor.success, false);
    assert.match(String(r.vendor.errorMessage), /check graphUrl/);
  });
});

describe('Entra-ID replication delay, groups, throttling', () => {
  test('objects invisible for 1.2 s after creation: the connector retries its own new ids with backoff', async () => {
    const { s, c } = await setup({ replicationDelayMs: 1200 });
    const u = await c.createUser(I, { userProfile: { username: 'new1' } });
    assert.equal(u.vendor.success, true, u.vendor.errorMessage);
    const g = await c.createGroup(I, { scim: { displayName: 'Fresh' } });
    assert.equal(g.success, true, String(g.errorMessage));
    // By id at once: GET /users/{id} answers 404 until replicated; the connector waits and asks again.
    const off = await c.disableUser(I, { userProfile: { id: u.vendor.id } });
    assert.deepEqual([off.vendor.success, off.vendor.active], [true, false], off.vendor.errorMessage);
    const add = await c.updateGroup(I, { scim: { id: g.id }, memberIdsToAdd: String(u.vendor.id) });
    assert.equal(add.success, true, String(add.errorMessage));
    assert.deepEqual(s.dir.groups.get(String(g.id))?.members, [u.vendor.id]);
    const misses = s.requests.filter((q) => q.status === 404).length;
    assert.ok(misses >= 1, `the simulator did answer 404 first (${misses})`);
    // An id this connector did not create gets its 404 at once: one request, no retry.
    s.requests.length = 0;
    const none = await c.getUser(I, { userProfile: { id: '11111111-2222-3333-4444-555555555555' } });
    assert.deepEqual([none.vendor.errorCode, none.vendor.errorMessage], [404, 'User does not exist']);
    assert.equal(s.requests.filter((q) => q.path.startsWith('/v1.0/users/')).length, 1);
  });

  test('members added 20 per PATCH (members@odata.bind), removed one by one with DELETE .../$ref', async () => {
    const { s, c } = await setup();
    const g = await c.createGroup(I, { scim: { displayName: 'Big' } });
    const ids: string[] = [];
    for (let i = 0; i < 45; i++)
      ids.push(String((await c.createUser(I, { userProfile: { username: `m${i}` } })).vendor.id));
    s.requests.length = 0;
    const add = await c.updateGroup(I, { scim: { id: g.id }, memberIdsToAdd: ids.join(',') });
    assert.equal(add.success, true, String(add.errorMessage));
    const patches = s.requests.filter((q) => q.method === 'PATCH');
    assert.deepEqual(
      patches.map((q) => (q.body as Record<string, string[]>)['members@odata.bind']?.length),
      [20, 20, 5],
    );
    assert.match(
      String(((patches[0]?.body ?? {}) as Record<string, string[]>)['members@odata.bind']?.[0]),
      /\/v1\.0\/directoryObjects\/[0-9a-f-]{36}$/,
    );
    s.requests.length = 0;
    const rm = await c.updateGroup(I, { scim: { id: g.id }, memberIdsToDelete: ids.slice(0, 3).join(',') });
    assert.equal(rm.success, true, String(rm.errorMessage));
    const dels = s.requests.filter((q) => q.method === 'DELETE').map((q) => q.path);
    assert.deepEqual(
      dels,
      ids.slice(0, 3).map((id) => `/v1.0/groups/${g.id}/members/${id}/$ref`),
    );
    assert.equal(s.dir.groups.get(String(g.id))?.members.length, 42);
    const created = s.dir.groups.get(String(g.id))?.props;
    assert.deepEqual(
      [created?.securityEnabled, created?.mailEnabled, created?.mailNickname],
      [true, false, 'Big'],
    );
  });

  test('a batch holding a member already in (Graph refuses the whole PATCH): each added alone, none lost', async () => {
    const { s, c } = await setup();
    const g = await c.createGroup(I, { scim: { displayName: 'Mixed' } });
    const a = String((await c.createUser(I, { userProfile: { username: 'in1' } })).vendor.id);
    const b = String((await c.createUser(I, { userProfile: { username: 'in2' } })).vendor.id);
    const conn = c.runtime(I).connector;
    await conn.changeMembers!(String(g.id), { op: 'add', ids: [a] });
    s.requests.length = 0;
    await conn.changeMembers!(String(g.id), { op: 'add', ids: [a, b] });
    assert.deepEqual(s.dir.groups.get(String(g.id))?.members, [a, b]);
    const writes = s.requests.filter((q) => q.method !== 'GET').map((q) => [q.method, q.status]);
    assert.deepEqual(writes, [
      ['PATCH', 400],
      ['POST', 400],
      ['POST', 204],
    ]);
  });

  test('a batch holding an id that is no user: the others are added, that one is named, at once', async () => {
    // Was: the whole batch failed with the missing id's message (the core splits a chunk only on an
    // InvalidValueError), after 15 s of replication retries because the new group was "recent".
    const { s, c } = await setup();
    const g = await c.createGroup(I, { scim: { displayName: 'WithGhost' } });
    const a = String((await c.createUser(I, { userProfile: { username: 'real1' } })).vendor.id);
    const started = Date.now();
    const r = await c.updateGroup(I, { scim: { id: g.id }, memberIdsToAdd: [a, 'no-such-user'] });
    const details = r.details as { added: string[]; failed: { id: string; errorMessage: string }[] };
    assert.deepEqual(details.added, [a]);
    assert.deepEqual(
      details.failed.map((f) => f.id),
      ['no-such-user'],
    );
    assert.match(String(details.failed[0]?.errorMessage), /no-such-user/);
    assert.deepEqual(s.dir.groups.get(String(g.id))?.members, [a]);
    // A guard against the 0.25 + 0.5 + ... + 8 s of replication retries, not a speed check.
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  test('429 and 503 with Retry-After: the request is sent again after the wait asked', async () => {
    const { s, c } = await setup();
    await c.createUser(I, { userProfile: { username: 'ra' } });
    for (const status of [429, 503] as const) {
      s.failNext({ status, retryAfterS: 1 });
      const started = Date.now();
      const r = await c.getUser(I, { userProfile: { username: 'ra' } });
      assert.equal(r.vendor.success, true, r.vendor.errorMessage);
      assert.ok(Date.now() - started >= 950, `${status}: waited ${Date.now() - started} ms`);
    }
  });

  test('an @odata.nextLink to another host is not followed (the token would go with it)', async () => {
    const { s, c } = await setup();
    for (let i = 0; i < 3; i++) await c.createUser(I, { userProfile: { username: `p${i}` } });
    s.nextLinkOrigin = 'http://127.0.0.2:9';
    const conn = c.runtime(I).connector;
    await assert.rejects(conn.listUsers!({ limit: 2 }), /points outside .* not followed/);
    s.nextLinkOrigin = undefined;
    const first = await conn.listUsers!({ limit: 2 });
    assert.equal(first.items.length, 2);
    const second = await conn.listUsers!({ limit: 2, cursor: String(first.cursor) });
    assert.deepEqual([second.items.length, second.cursor], [1, undefined]);
  });
});

describe('Entra-ID settings', () => {
  const base = { brand: 'Entra-ID', tenantId: 't', clientId: 'c' };
  const run = async (settings: Record<string, unknown>) => {
    try {
      const c = createIamClient({ config: { instances: { [I]: { ...base, ...settings } } }, env: {} });
      open.push(c);
      return (await c.getUser(I, { userProfile: { username: 'x@contoso.com' } })).vendor;
    } catch (e) {
      return { errorMessage: (e as Error).message };
    }
  };

  test('no credential, both, or half a certificate: one line naming the key and what is expected', async () => {
    const none = await run({});
    assert.match(
      String(none.errorMessage),
      /instance "entra": expected clientSecret, or certificate and privateKey/,
    );
    const both = await run({ clientSecret: 's', privateKey: 'k', certificate: 'c' });
    assert.match(String(both.errorMessage), /certificate.*expected a PEM X\.509 certificate|not both/);
    const half = await run({ privateKey: '-----BEGIN PRIVATE KEY-----' });
    assert.match(String(half.errorMessage), /certificate and privateKey go together: certificate is missing/);
    const dom = await run({ clientSecret: 's', domain: '@contoso.com' });
    assert.match(String(dom.errorMessage), /domain.*expected a verified domain/);
    for (const r of [none, both, half, dom]) assert.equal(String(r.errorMessage).includes('\n'), false);
  });
});
