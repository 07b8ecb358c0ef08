// Injection, checked on the wire of a real SCIM server: every value put in a filter is one escaped
// string literal (RFC 7644 3.4.2.2), so a hostile username finds nothing and changes nothing; an
// app that refuses escaped quotes is asked by the next lookup attribute instead; ids put in URL
// paths are percent-encoded and cannot reach another resource.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RequestHandler } from 'express';
import { createIamClient, type IamClient } from '../../src/client.js';
import { type ScimPeer, startScimPeer } from '../servers/scim-peer.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { sendScimError } from '../servers/scim-support.js';

type Json = Record<string, unknown>;

const HOSTILE_NAMES = [
  'x" or userName pr "',
  'alice" or userName eq "bob',
  'x\\" or userName pr \\"',
  'bob") or (userName pr',
  'x"&filter=userName pr&count=1000&x="',
];

function clientFor(server: ScimTestServer, flags: Json = {}): IamClient {
  return createIamClient({
    config: { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: server.token, ...flags } } },
    env: {},
  });
}

const writes = (server: ScimTestServer) => server.requests.filter((r) => r.method !== 'GET');
const filters = (server: ScimTestServer) =>
  server.requests.filter((r) => r.query.filter !== undefined).map((r) => r.query.filter);
const byName = (server: ScimTestServer, name: string) => server.users().find((u) => u.userName === name);

describe('filter values are escaped literals (RFC 7644 3.4.2.2)', () => {
  let server: ScimTestServer;
  let iam: IamClient;
  let before_: Json[];

  before(async () => {
    server = await startScimServer();
    iam = clientFor(server, { createIfNotExists: false });
  });
  after(async () => {
    await iam.close();
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    for (const username of ['alice', 'bob']) {
      const r = await iam.createUser('app', { userProfile: { username, email: `${username}@example.com` } });
      assert.equal(r.vendor.success, true);
    }
    await iam.createGroup('app', { scim: { displayName: 'Admins' } });
    before_ = server.users();
    server.requests.length = 0;
  });

  /** alice and bob exactly as they were. */
  const assertOthersUntouched = () => {
    for (const name of ['alice', 'bob']) {
      assert.deepEqual(
        byName(server, name),
        before_.find((u) => u.userName === name),
      );
    }
  };

  test('get-user: a hostile username is one literal on the wire and finds nothing', async () => {
    for (const hostile of HOSTILE_NAMES) {
      server.requests.length = 0;
      const { vendor } = await iam.getUser('app', { userProfile: { username: hostile } });
      assert.equal(vendor.success, false);
      assert.equal(vendor.errorCode, 404, `${hostile}: ${vendor.errorMessage}`);
      assert.deepEqual(filters(server), [`userName eq ${JSON.stringify(hostile)}`]);
      // The query string has only the parameters the client meant to send.
      assert.deepEqual(Object.keys(server.requests[0]?.query ?? {}).sort(), [
        'count',
        'filter',
        'startIndex',
      ]);
      assert.equal(server.requests[0]?.query.count, '100');
    }
  });

  test('get-user by a hostile email and get-group by a hostile displayName find nothing', async () => {
    const email = 'alice@example.com" or emails.value pr "';
    const { vendor } = await iam.getUser('app', { userProfile: { email } });
    assert.equal(vendor.errorCode, 404);
    const group = await iam.getGroup('app', { scim: { displayName: 'x" or displayName pr "' } });
    assert.equal(group.success, false);
    assert.equal(group.errorCode, 404);
    assert.deepEqual(filters(server), [
      `emails.value eq ${JSON.stringify(email)}`,
      'displayName eq "x\\" or displayName pr \\""',
    ]);
  });

  test('update-user and disable-user of a hostile username change nothing', async () => {
    for (const hostile of HOSTILE_NAMES) {
      const updated = await iam.updateUser('app', { userProfile: { username: hostile, title: 'Owner' } });
      assert.equal(updated.vendor.reason, 'User does not exist', updated.vendor.errorMessage);
      const disabled = await iam.disableUser('app', { userProfile: { username: hostile } });
      assert.equal(disabled.vendor.reason, 'User does not exist', disabled.vendor.errorMessage);
    }
    assert.deepEqual(writes(server), []);
    assertOthersUntouched();
  });

  test('create-user of a hostile username creates exactly that account, and only it is written', async () => {
    const hostile = HOSTILE_NAMES[0] as string;
    const created = await iam.createUser('app', { userProfile: { username: hostile } });
    assert.equal(created.vendor.success, true, created.vendor.errorMessage);
    assert.equal(created.vendor.action, 'create');
    assert.equal(created.vendor.username, hostile);
    assert.deepEqual(
      writes(server).map((r) => [r.method, r.path, (r.body as Json).userName]),
      [['POST', '/scim/v2/Users', hostile]],
    );
    assert.equal(server.users().length, 3);

    // Updating, disabling and re-creating (an update that enables) touch its own id only.
    server.requests.length = 0;
    const id = created.vendor.id as string;
    await iam.updateUser('app', { userProfile: { username: hostile, title: 'Owner' } });
    await iam.disableUser('app', { userProfile: { username: hostile } });
    const again = await iam.createUser('app', { userProfile: { username: hostile } });
    assert.equal(again.vendor.id, id);
    assert.equal(again.vendor.action, 'update');
    assert.deepEqual(
      writes(server).map((r) => `${r.method} ${r.path}`),
      [`PATCH /scim/v2/Users/${id}`, `PATCH /scim/v2/Users/${id}`, `PATCH /scim/v2/Users/${id}`],
    );
    assert.equal(server.users().length, 3);
    assertOthersUntouched();
  });

  test('a hostile member id in update-group removes nothing else', async () => {
    const alice = byName(server, 'alice')?.id as string;
    const bob = byName(server, 'bob')?.id as string;
    const group = await iam.getGroup('app', { scim: { displayName: 'Admins' } });
    const gid = group.id as string;
    await iam.updateGroup('app', { scim: { id: gid }, memberIdsToAdd: [alice, bob] });
    server.requests.length = 0;
    const hostile = 'x" or value pr "';
    await iam.updateGroup('app', { scim: { id: gid }, memberIdsToDelete: [hostile] });
    const patches = writes(server);
    assert.equal(patches.length, 1);
    assert.deepEqual((patches[0]?.body as { Operations?: Json[] } | undefined)?.Operations, [
      { op: 'remove', path: `members[value eq ${JSON.stringify(hostile)}]` },
    ]);
    const after_ = await iam.getGroup('app', { scim: { id: gid }, includeMembers: true });
    assert.deepEqual(after_.members?.map((m) => m.value).sort(), [alice, bob].sort());
  });
});

describe('ids in URL paths are encoded and reach no other resource', () => {
  let server: ScimTestServer;
  let iam: IamClient;
  let alice: string;
  let admins: string;
  let staff: string;

  before(async () => {
    server = await startScimServer();
    iam = clientFor(server);
    alice = (await iam.createUser('app', { userProfile: { username: 'alice' } })).vendor.id as string;
    admins = (await iam.createGroup('app', { scim: { displayName: 'Admins' } })).id as string;
    staff = (await iam.createGroup('app', { scim: { displayName: 'Staff' } })).id as string;
    await iam.updateGroup('app', { scim: { id: staff }, memberIdsToAdd: [alice] });
  });
  after(async () => {
    await iam.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  const hostileIds = () => [`../Groups/${admins}`, `../Users/${alice}`, 'a/b?c#d', `${staff}/../${admins}`];
  /** Every path the server saw stays under the resource type asked for, as one encoded segment. */
  const assertOneSegment = (type: 'Users' | 'Groups', id: string) => {
    const expected = `/scim/v2/${type}/${encodeURIComponent(id)}`;
    const paths = server.requests
      .filter((r) => !r.path.endsWith('/ServiceProviderConfig'))
      .map((r) => r.path);
    assert.ok(paths.length > 0);
    for (const p of paths) assert.equal(p, expected);
  };

  test('get-user and disable-user by a hostile id: not found, one encoded segment, nothing written', async () => {
    for (const id of hostileIds()) {
      server.requests.length = 0;
      const got = await iam.getUser('app', { userProfile: { id } });
      assert.equal(got.vendor.errorCode, 404);
      const disabled = await iam.disableUser('app', { userProfile: { id } });
      assert.equal(disabled.vendor.reason, 'User does not exist');
      assertOneSegment('Users', id);
    }
    assert.deepEqual(writes(server), []);
    assert.equal(server.users().find((u) => u.id === alice)?.active, true);
  });

  test('get-group, update-group and delete-group by a hostile id: not found, other groups intact', async () => {
    for (const id of hostileIds()) {
      server.requests.length = 0;
      const got = await iam.getGroup('app', { scim: { id } });
      const updated = await iam.updateGroup('app', { scim: { id }, memberIdsToDelete: [alice] });
      const deleted = await iam.deleteGroup('app', { scim: { id } });
      for (const r of [got, updated, deleted]) assert.equal(r.success, false);
      assert.equal(got.errorCode, 404);
      assert.equal(deleted.errorCode, 404);
      assertOneSegment('Groups', id);
    }
    const groups = server.groups();
    assert.deepEqual(groups.map((g) => g.id).sort(), [admins, staff].sort());
    const members = groups.find((g) => g.id === staff)?.members as Json[];
    assert.deepEqual(
      members.map((m) => m.value),
      [alice],
    );
  });

  test('ids "." and ".." (dot segments no encoding can keep) are not sent at all', async () => {
    for (const id of ['.', '..']) {
      const got = await iam.getUser('app', { userProfile: { id } });
      assert.equal(got.vendor.errorCode, 404);
      const disabled = await iam.disableUser('app', { userProfile: { id } });
      assert.equal(disabled.vendor.reason, 'User does not exist');
      const group = await iam.getGroup('app', { scim: { id } });
      assert.equal(group.errorCode, 404);
      const updated = await iam.updateGroup('app', { scim: { id }, memberIdsToAdd: [alice] });
      assert.equal(updated.success, false);
      const deleted = await iam.deleteGroup('app', { scim: { id } });
      assert.equal(deleted.errorCode, 404);
    }
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(
      paths.filter((p) => !p.endsWith('/ServiceProviderConfig')),
      [],
    );
    assert.equal(server.groups().length, 2);
  });
});

/** An app that answers 400 invalidFilter to any filter holding an escaped quote. */
const refuseEscapedQuotes: RequestHandler = (req, res, next) => {
  const filter = new URL(req.originalUrl, 'http://peer').searchParams.get('filter');
  if (filter?.includes('\\"')) return sendScimError(res, 400, 'Unsupported filter syntax', 'invalidFilter');
  next();
};

describe('an app that refuses escaped quotes: lookup falls back to the next attribute', () => {
  let peer: ScimPeer;
  let iam: IamClient;
  const quoted = 'o"brien';

  before(async () => {
    peer = await startScimPeer({ before: [refuseEscapedQuotes] });
    iam = clientFor(peer);
  });
  after(async () => {
    await iam.close();
    await peer.close();
  });
  beforeEach(() => peer.reset());

  test('create-user, get-user, disable-user: userName refused, found by email instead', async () => {
    const profile = { username: quoted, email: 'obrien@example.com' };
    const created = await iam.createUser('app', { userProfile: profile });
    assert.equal(created.vendor.success, true, created.vendor.errorMessage);
    assert.equal(created.vendor.action, 'create');
    assert.deepEqual(
      peer.requests.filter((r) => r.method === 'GET').map((r) => [r.query.filter, r.status]),
      [
        ['userName eq "o\\"brien"', 400],
        ['emails.value eq "obrien@example.com"', 200],
      ],
    );
    const got = await iam.getUser('app', { userProfile: profile });
    assert.equal(got.vendor.success, true, got.vendor.errorMessage);
    assert.equal(got.vendor.username, quoted);
    const disabled = await iam.disableUser('app', { userProfile: profile });
    assert.equal(disabled.vendor.success, true, disabled.vendor.errorMessage);
    assert.equal(disabled.vendor.active, false);
    // A second create finds the account by email: no duplicate.
    const again = await iam.createUser('app', { userProfile: profile });
    assert.equal(again.vendor.id, created.vendor.id);
    assert.equal(peer.users().length, 1);
  });

  test('no other lookup attribute: the record says the app rejected the filter, and for which value', async () => {
    peer.requests.length = 0;
    const { vendor } = await iam.getUser('app', { userProfile: { username: quoted } });
    assert.equal(vendor.success, false);
    assert.equal(vendor.errorCode, 400);
    assert.equal(
      vendor.errorMessage,
      'the app rejected the filter looking up userName "o\\"brien" (Unsupported filter syntax); give another lookup field (id, email)',
    );
    const disabled = await iam.disableUser('app', {
      userProfile: { username: quoted, email: 'o"brien@example.com' },
    });
    assert.equal(disabled.vendor.success, false);
    assert.match(
      disabled.vendor.errorMessage,
      /^the app rejected the filter looking up userName "o\\"brien", then emails "o\\"brien@example\.com" \(/,
    );
    assert.equal(
      peer.requests.filter((r) => r.method !== 'GET').length,
      0,
      'nothing written after a refused lookup',
    );
  });

  test('an id in the profile comes first and needs no filter', async () => {
    const created = await iam.createUser('app', {
      userProfile: { username: 'plain', email: 'p@example.com' },
    });
    peer.requests.length = 0;
    const got = await iam.getUser('app', { userProfile: { id: created.vendor.id, username: quoted } });
    assert.equal(got.vendor.username, 'plain');
    assert.deepEqual(
      peer.requests.map((r) => r.path),
      [`/scim/v2/Users/${created.vendor.id}`],
    );
  });
});
