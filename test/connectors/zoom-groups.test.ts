// The Zoom connector's group operations against the Zoom simulator: members added in Zoom's batch
// size of 30, removed one by one; Zoom's group codes (4130, 4132) and a missing member (1001).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AppError, ConflictError, NotFoundError } from '../../src/core/errors.js';
import { fresh, seed, startZoom, type ZoomHarness } from './zoom-support.js';

describe('Zoom groups', () => {
  let h: ZoomHarness;
  before(async () => {
    h = await startZoom();
  });
  after(() => h.close());
  beforeEach(() => fresh(h.sim));

  const users = (n: number) => Array.from({ length: n }, (_, i) => seed(h.sim, `m${i}@example.com`).id);

  test('createGroup: POST /groups {name}; a name in use is a ConflictError (4132)', async () => {
    const group = await h.zoom.createGroup!({ displayName: 'Engineering' });
    assert.equal(group.displayName, 'Engineering');
    assert.equal(h.sim.store.groups.get(group.id)?.name, 'Engineering');
    assert.deepEqual(h.api()[0]?.body, { name: 'Engineering' });
    await assert.rejects(
      h.zoom.createGroup!({ displayName: 'Engineering' }),
      (e: unknown) => e instanceof ConflictError && e.vendorCode === 4132,
    );
  });

  test('changeMembers add: 65 ids go in POSTs of 30, 30 and 5; remove: one DELETE per member', async () => {
    const group = await h.zoom.createGroup!({ displayName: 'Big' });
    const ids = users(65);
    h.sim.requests.length = 0;
    await h.zoom.changeMembers!(group.id, { op: 'add', ids });
    const posts = h.api().filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => ((r.body as { members?: unknown[] }).members ?? []).length),
      [30, 30, 5],
    );
    assert.deepEqual(
      (posts[2]?.body as { members?: unknown[] } | undefined)?.members,
      ids.slice(60).map((id) => ({ id })),
    );
    assert.equal(h.sim.store.groups.get(group.id)?.members.size, 65);

    h.sim.requests.length = 0;
    await h.zoom.changeMembers!(group.id, { op: 'remove', ids: [ids[0]!, ids[1]!] });
    assert.deepEqual(
      h.api().map((r) => `${r.method} ${r.path}`),
      [`DELETE /v2/groups/${group.id}/members/${ids[0]}`, `DELETE /v2/groups/${group.id}/members/${ids[1]}`],
    );
    assert.equal(h.sim.store.groups.get(group.id)?.members.size, 63);
  });

  test('a member that does not exist is an AppError naming it, never "group not found"', async () => {
    const group = await h.zoom.createGroup!({ displayName: 'G' });
    await assert.rejects(
      h.zoom.changeMembers!(group.id, { op: 'add', ids: ['zzzzzzzzzzzzzzzzzzzzzz'] }),
      (e: unknown) =>
        e instanceof AppError &&
        !(e instanceof NotFoundError) &&
        e.vendorCode === 1001 &&
        /member/.test(e.message),
    );
    await assert.rejects(
      h.zoom.changeMembers!('nosuchgroup', { op: 'add', ids: users(1) }),
      (e: unknown) => e instanceof NotFoundError && e.vendorCode === 4130,
    );
  });

  test('getGroup with and without members; null for a group Zoom does not have (4130)', async () => {
    const group = await h.zoom.createGroup!({ displayName: 'Sales' });
    const ids = users(3);
    await h.zoom.changeMembers!(group.id, { op: 'add', ids });
    const bare = await h.zoom.getGroup!(group.id, { includeMembers: false });
    assert.equal(bare?.displayName, 'Sales');
    assert.equal(bare?.members, null);
    const full = await h.zoom.getGroup!(group.id, { includeMembers: true });
    assert.deepEqual(
      full?.members,
      ids.map((id, i) => ({ value: id, display: `m${i}@example.com` })),
    );
    assert.equal(await h.zoom.getGroup!('nosuchgroup', { includeMembers: false }), null);
  });

  test('findGroups: every group is listed, those named alike are the candidates', async () => {
    await h.zoom.createGroup!({ displayName: 'Alpha' });
    const beta = await h.zoom.createGroup!({ displayName: 'Beta' });
    const found = await h.zoom.findGroups!('beta', { includeMembers: false });
    assert.deepEqual(
      found.map((g) => g.id),
      [beta.id],
    );
    assert.deepEqual(await h.zoom.findGroups!('Gamma', { includeMembers: false }), []);
  });

  test('deleteGroup and listGroups; deleting a missing group is a NotFoundError', async () => {
    const a = await h.zoom.createGroup!({ displayName: 'A' });
    const b = await h.zoom.createGroup!({ displayName: 'B' });
    const page = await h.zoom.listGroups!({});
    assert.deepEqual(page.items.map((g) => g.id).sort(), [a.id, b.id].sort());
    assert.equal(page.cursor, undefined);
    await h.zoom.deleteGroup!(a.id);
    assert.equal(h.sim.store.groups.has(a.id), false);
    await assert.rejects(h.zoom.deleteGroup!(a.id), NotFoundError);
  });
});
