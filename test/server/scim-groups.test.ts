// The SCIM gateway's /Groups in front of Local: create-group, update-group (members diffed against
// what the app holds) and delete-group; a rename, which the IAM commands do not have, is refused
// before anything is sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GatewayServer, scimCall, startScimGateway } from '../servers/scim-gateway.js';

let g: GatewayServer;
const ids: string[] = [];

before(async () => {
  g = await startScimGateway({
    instances: { local: { brand: 'Local', path: ':memory:' } },
    instance: 'local',
  });
  for (const userName of ['u1', 'u2', 'u3'])
    ids.push(String((await scimCall(g, 'POST', '/Users', { userName })).body.id));
});
after(() => g.close());

async function members(id: string): Promise<string[]> {
  const record = await g.client.getGroup('local', { scim: { id }, includeMembers: true });
  return (record.members ?? []).map((m) => m.value).sort();
}

const sorted = (list: (string | undefined)[]) => list.map(String).sort();

describe('SCIM gateway /Groups', () => {
  test('POST creates the group with its members (201); the same displayName again is 409', async () => {
    const created = await scimCall(g, 'POST', '/Groups', {
      displayName: 'Readers',
      members: [{ value: ids[0] }, { value: ids[1] }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = String(created.body.id);
    assert.deepEqual(await members(id), sorted([ids[0], ids[1]]));
    const again = await scimCall(g, 'POST', '/Groups', { displayName: 'readers' });
    assert.equal(again.status, 409);
    assert.equal(again.body.scimType, 'uniqueness');
  });

  test('PATCH add, remove by filter, remove all: 204 and the app holds exactly that', async () => {
    const id = String((await scimCall(g, 'POST', '/Groups', { displayName: 'Patchers' })).body.id);
    const patch = (Operations: unknown[]) => scimCall(g, 'PATCH', `/Groups/${id}`, { Operations });
    assert.equal(
      (await patch([{ op: 'Add', path: 'members', value: [{ value: ids[0] }, { value: ids[2] }] }])).status,
      204,
    );
    assert.deepEqual(await members(id), sorted([ids[0], ids[2]]));
    assert.equal((await patch([{ op: 'remove', path: `members[value eq "${ids[0]}"]` }])).status, 204);
    assert.deepEqual(await members(id), [ids[2]]);
    assert.equal((await patch([{ op: 'remove', path: 'members' }])).status, 204);
    assert.deepEqual(await members(id), []);
  });

  test('PATCH adding an id that is no user: 400 naming it, and naming the id the app did add', async () => {
    const id = String((await scimCall(g, 'POST', '/Groups', { displayName: 'Strict' })).body.id);
    const answer = await scimCall(g, 'PATCH', `/Groups/${id}`, {
      Operations: [{ op: 'add', path: 'members', value: [{ value: ids[1] }, { value: 'no-such-user' }] }],
    });
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.match(String(answer.body.detail), /no-such-user/);
    assert.match(String(answer.body.detail), new RegExp(`applied all the same: added ${ids[1]}`));
    assert.deepEqual(await members(id), [ids[1]]);
  });

  test('PUT replaces members with a diff (adds and removes); a new displayName is refused and nothing changes', async () => {
    const id = String(
      (await scimCall(g, 'POST', '/Groups', { displayName: 'Putters', members: [{ value: ids[0] }] })).body
        .id,
    );
    const put = await scimCall(g, 'PUT', `/Groups/${id}`, {
      displayName: 'Putters',
      members: [{ value: ids[1] }, { value: ids[2] }],
    });
    assert.equal(put.status, 200);
    assert.deepEqual(await members(id), sorted([ids[1], ids[2]]));
    const rename = await scimCall(g, 'PUT', `/Groups/${id}`, { displayName: 'Renamed', members: [] });
    assert.equal(rename.status, 400);
    assert.equal(rename.body.scimType, 'mutability');
    assert.deepEqual(await members(id), sorted([ids[1], ids[2]]), 'the refused PUT removed no member');
    const patchRename = await scimCall(g, 'PATCH', `/Groups/${id}`, {
      Operations: [{ op: 'replace', value: { displayName: 'Renamed' } }],
    });
    assert.equal(patchRename.status, 400);
    assert.equal((await g.client.getGroup('local', { scim: { id } })).displayName, 'Putters');
  });

  test('GET with excludedAttributes=members has none; list filter by displayName; DELETE then 404', async () => {
    const id = String(
      (await scimCall(g, 'POST', '/Groups', { displayName: 'Gone', members: [{ value: ids[0] }] })).body.id,
    );
    const full = await scimCall(g, 'GET', `/Groups/${id}`);
    assert.deepEqual(
      (full.body.members as { value: string }[]).map((m) => m.value),
      [ids[0]],
    );
    const lean = await scimCall(g, 'GET', `/Groups/${id}?excludedAttributes=members`);
    assert.equal(lean.body.members, undefined);
    const listed = await scimCall(g, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "gone"')}`);
    assert.deepEqual(
      (listed.body.Resources ?? []).map((r) => r.id),
      [id],
    );
    assert.equal((await scimCall(g, 'DELETE', `/Groups/${id}`)).status, 204);
    assert.equal((await scimCall(g, 'GET', `/Groups/${id}`)).status, 404);
    assert.equal((await scimCall(g, 'DELETE', `/Groups/${id}`)).status, 404);
  });

  test('If-Match: a DELETE at a stale ETag is 412 and the group stays; at the current one it goes', async () => {
    const created = await scimCall(g, 'POST', '/Groups', { displayName: 'Versioned' });
    const id = String(created.body.id);
    const stale = String(created.headers.get('etag'));
    assert.ok(stale.startsWith('W/'), `an ETag: ${stale}`);
    const patched = await scimCall(g, 'PATCH', `/Groups/${id}`, {
      Operations: [{ op: 'add', path: 'members', value: [{ value: ids[0] }] }],
    });
    assert.equal(patched.status, 204);
    const auth = { authorization: `Bearer ${g.token}` };
    const refused = await scimCall(g, 'DELETE', `/Groups/${id}`, undefined, { ...auth, 'if-match': stale });
    assert.equal(refused.status, 412, JSON.stringify(refused.body));
    const current = String((await scimCall(g, 'GET', `/Groups/${id}`)).headers.get('etag'));
    assert.notEqual(current, stale, 'the member change moved the version');
    const done = await scimCall(g, 'DELETE', `/Groups/${id}`, undefined, { ...auth, 'if-match': current });
    assert.equal(done.status, 204, JSON.stringify(done.body));
    assert.equal((await scimCall(g, 'GET', `/Groups/${id}`)).status, 404);
  });
});
