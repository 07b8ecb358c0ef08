// The SCIM brand against a real SCIM 2.0 server (test/servers/scim-server.ts): what goes on the wire.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { scimConnector } from '../../src/connectors/scim/index.js';
import type { ConnectorContext } from '../../src/core/connector.js';
import { AmbiguousError, AppError, ConflictError, NotFoundError } from '../../src/core/errors.js';
import { processSecretSource } from '../../src/core/secrets.js';
import { createHttpTransport, defaultTransportOptions } from '../../src/http/undici-transport.js';
import { type RecordedRequest, type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { type FullConnector, full } from './full.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function context(): ConnectorContext {
  return {
    instanceName: 'scim-test',
    transport: (o) => createHttpTransport({ ...defaultTransportOptions, ...o, sleep: async () => {} }),
    secrets: processSecretSource(),
    dataDir: mkdtempSync(join(tmpdir(), 'iam-scim-')),
  };
}

function connect(server: ScimTestServer, token = server.token): FullConnector {
  const settings = scimConnector.settings.parse({ baseUrl: server.url, token });
  const connector = full(scimConnector.create(settings, context()));
  after(() => connector.close());
  return connector;
}

const bodyOf = (r: RecordedRequest | undefined) => (r?.body ?? {}) as Record<string, unknown>;
const operations = (r: RecordedRequest | undefined) =>
  (bodyOf(r).Operations ?? []) as Record<string, unknown>[];

const userFields = (userName: string, extra: Record<string, unknown> = {}) => ({
  userName,
  name: { givenName: 'Ann', familyName: 'Lee' },
  displayName: 'Ann Lee',
  emails: [{ type: 'work', primary: true, value: `${userName.replace(/\W/g, '')}@example.com` }],
  [ENT]: { department: 'Sales' },
  ...extra,
});

const writes = (server: ScimTestServer) => server.requests.filter((r) => r.method !== 'GET');

describe('SCIM connector, server with PATCH', () => {
  let server: ScimTestServer;
  let scim: FullConnector;
  before(async () => {
    server = await startScimServer();
    scim = connect(server);
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('createUser posts core + enterprise schemas and active as a boolean', async () => {
    const account = await scim.createUser(userFields('ann'), { active: true });
    assert.equal(account.username, 'ann');
    assert.equal(account.email, 'ann@example.com');
    assert.equal(account.active, true);
    const [post] = server.requests;
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, '/scim/v2/Users');
    const body = post?.body as Record<string, unknown>;
    assert.deepEqual(body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENT]);
    assert.equal(body.active, true);
    assert.equal(post?.headers['content-type'], 'application/scim+json');
  });

  test('a hostile username is one escaped filter literal and finds only itself', async () => {
    const hostile = 'x" or userName pr "';
    await scim.createUser(userFields('bob'), { active: true });
    const created = await scim.createUser(userFields(hostile), { active: true });
    server.requests.length = 0;
    const found = await scim.findUser({ attribute: 'userName', value: hostile });
    assert.equal(found?.id, created.id);
    assert.equal(server.requests[0]?.query.filter, 'userName eq "x\\" or userName pr \\""');
  });

  test('lookups: by id (404 is null), by email, and an ambiguous match names both ids', async () => {
    assert.equal(await scim.findUser({ attribute: 'id', value: 'no-such-id' }), null);
    assert.equal(server.requests.at(-1)?.status, 404);
    assert.equal(await scim.findUser({ attribute: 'userName', value: 'nobody' }), null);

    const emails = [{ type: 'work', primary: true, value: 'shared@example.com' }];
    const a = await scim.createUser(userFields('a1', { emails }), { active: true });
    const b = await scim.createUser(userFields('a2', { emails }), { active: true });
    await assert.rejects(
      scim.findUser({ attribute: 'emails', value: 'shared@example.com' }),
      (e: unknown) => {
        assert.ok(e instanceof AmbiguousError);
        assert.ok(e.message.includes(a.id) && e.message.includes(b.id));
        assert.deepEqual([...e.ids].sort(), [a.id, b.id].sort());
        return true;
      },
    );
    assert.equal(server.requests.at(-1)?.query.filter, 'emails.value eq "shared@example.com"');
  });

  test('updateUser sends one PATCH with only the changed attributes; no change, no request', async () => {
    const account = await scim.createUser(userFields('carl'), { active: true });
    const found = await scim.findUser({ attribute: 'id', value: account.id });
    assert.ok(found);
    server.requests.length = 0;
    const updated = await scim.updateUser(
      found,
      userFields('carl', { name: { givenName: 'Carl', familyName: 'Lee' }, [ENT]: { department: 'R&D' } }),
    );
    const patches = writes(server);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.method, 'PATCH');
    assert.deepEqual(operations(patches[0]), [
      { op: 'replace', path: 'name.givenName', value: 'Carl' },
      { op: 'replace', path: `${ENT}:department`, value: 'R&D' },
    ]);
    assert.equal((updated.raw.name as Record<string, unknown>).givenName, 'Carl');

    server.requests.length = 0;
    const same = await scim.updateUser(
      updated,
      userFields('carl', { name: { givenName: 'Carl', familyName: 'Lee' }, [ENT]: { department: 'R&D' } }),
    );
    assert.equal(same.id, account.id);
    assert.equal(server.requests.length, 0);
  });

  test('setActive PATCHes active with a JSON boolean', async () => {
    const account = await scim.createUser(userFields('dora'), { active: true });
    server.requests.length = 0;
    const off = await scim.setActive(account, false);
    assert.equal(off.active, false);
    const [patch] = writes(server);
    assert.deepEqual(operations(patch), [{ op: 'replace', path: 'active', value: false }]);
    assert.equal((await scim.setActive(off, true)).active, true);
  });

  test('groups: create, add/remove members, read with and without members, delete', async () => {
    const users = await Promise.all(
      ['g1', 'g2', 'g3'].map((u) => scim.createUser(userFields(u), { active: true })),
    );
    const ids = users.map((u) => u.id);
    const group = await scim.createGroup({ displayName: 'Ops "core"' });
    server.requests.length = 0;
    await scim.changeMembers(group.id, { op: 'add', ids });
    await scim.changeMembers(group.id, { op: 'remove', ids: [ids[0] as string] });
    const [add, remove] = writes(server);
    assert.deepEqual(operations(add), [
      { op: 'add', path: 'members', value: ids.map((value) => ({ value })) },
    ]);
    assert.deepEqual(operations(remove), [{ op: 'remove', path: `members[value eq "${ids[0]}"]` }]);

    const full = await scim.getGroup({ displayName: 'Ops "core"' }, { includeMembers: true });
    assert.equal(full?.id, group.id);
    assert.deepEqual(full?.members?.map((m) => m.value).sort(), ids.slice(1).sort());
    assert.equal(server.requests.at(-1)?.query.filter, 'displayName eq "Ops \\"core\\""');

    const slim = await scim.getGroup({ id: group.id }, { includeMembers: false });
    assert.equal(slim?.members, null);
    assert.equal(server.requests.at(-1)?.query.excludedAttributes, 'members');

    await scim.deleteGroup(group.id);
    assert.equal(await scim.getGroup({ id: group.id }, { includeMembers: false }), null);
    await assert.rejects(scim.deleteGroup(group.id), NotFoundError);
    await assert.rejects(scim.changeMembers(group.id, { op: 'add', ids }), NotFoundError);
  });

  test("errors carry the app's detail; a duplicate is a ConflictError", async () => {
    await scim.createUser(userFields('eve'), { active: true });
    await assert.rejects(scim.createUser(userFields('eve'), { active: true }), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.message, 'userName "eve" is already in use');
      assert.equal(e.vendorCode, 'uniqueness');
      return true;
    });
  });

  test('test() checks the token; a rejected token says so and never shows it', async () => {
    assert.match(await scim.test(), /^SCIM endpoint http:\/\/127\.0\.0\.1:\d+\/scim\/v2: token accepted/);
    const wrong = 'wrong-token-0123456789';
    const bad = connect(server, wrong);
    for (const call of [() => bad.test(), () => bad.findUser({ attribute: 'userName', value: 'x' })]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.status, 401);
        assert.ok(!e.message.includes(wrong) && !e.message.includes(server.token));
        return true;
      });
    }
    await assert.rejects(bad.test(), /rejected the token \(HTTP 401\): Missing or invalid bearer token/);
  });
});

describe('SCIM connector, server without PATCH', () => {
  let server: ScimTestServer;
  let scim: FullConnector;
  before(async () => {
    server = await startScimServer({ patch: false });
    scim = connect(server);
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('updates and enable/disable fall back to read-modify-write PUT', async () => {
    const account = await scim.createUser(userFields('fay', { title: 'Dev' }), { active: true });
    server.requests.length = 0;
    const updated = await scim.updateUser(account, userFields('fay', { displayName: 'Fay L' }));
    assert.equal(updated.raw.displayName, 'Fay L');
    assert.equal(updated.raw.title, 'Dev');
    const disabled = await scim.setActive(updated, false);
    assert.equal(disabled.active, false);
    assert.ok(!server.requests.some((r) => r.method === 'PATCH'));
    const puts = server.requests.filter((r) => r.method === 'PUT');
    assert.equal(puts.length, 2);
    assert.equal(bodyOf(puts[1]).active, false);
    assert.equal(server.requests.filter((r) => r.path.endsWith('/ServiceProviderConfig')).length, 1);

    server.requests.length = 0;
    await scim.updateUser(disabled, userFields('fay', { displayName: 'Fay L' }));
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['GET'],
    );
  });

  test('membership changes fall back to PUT of the member list', async () => {
    const [u1, u2] = await Promise.all(
      ['h1', 'h2'].map((u) => scim.createUser(userFields(u), { active: true })),
    );
    assert.ok(u1 && u2);
    const group = await scim.createGroup({ displayName: 'Night shift' });
    await scim.changeMembers(group.id, { op: 'add', ids: [u1.id, u2.id] });
    await scim.changeMembers(group.id, { op: 'remove', ids: [u1.id] });
    const read = await scim.getGroup({ id: group.id }, { includeMembers: true });
    assert.deepEqual(
      read?.members?.map((m) => m.value),
      [u2.id],
    );
    assert.ok(!server.requests.some((r) => r.method === 'PATCH'));
  });
});
