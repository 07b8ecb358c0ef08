// The Zoom connector's user operations against the Zoom simulator (test/servers/zoom/, written from
// Zoom's published reference): what goes on the wire and what the simulated account holds after.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  AppError,
  ConflictError,
  NotFoundError,
  NotSupportedError,
  UsageError,
} from '../../src/core/errors.js';
import { fresh, seed, startZoom, type ZoomHarness } from './zoom-support.js';

describe('Zoom users', () => {
  let h: ZoomHarness;
  before(async () => {
    h = await startZoom();
  });
  after(() => h.close());
  beforeEach(() => fresh(h.sim));

  test('findUsers by email: GET /users/{email}; Zoom 1001 is no candidate, not an error', async () => {
    const ada = seed(h.sim, 'ada@example.com', { dept: 'R&D' });
    const found = await h.zoom.findUsers?.({ attribute: 'email', value: 'ada@example.com' });
    assert.equal(found?.length, 1, 'one candidate');
    const [account] = found ?? [];
    assert.equal(account?.id, ada.id);
    assert.equal(account?.email, 'ada@example.com');
    assert.equal(account?.username, 'ada@example.com');
    assert.equal(account?.active, true);
    assert.equal(account?.raw.dept, 'R&D');
    assert.deepEqual(
      h.api().map((r) => `${r.method} ${r.path}`),
      ['GET /v2/users/ada%40example.com'],
    );
    assert.deepEqual(await h.zoom.findUsers?.({ attribute: 'email', value: 'nobody@example.com' }), []);
  });

  test('an email without "@" is refused before Zoom reads it as a user id', async () => {
    const ada = seed(h.sim, 'ada@example.com');
    await assert.rejects(h.zoom.findUsers!({ attribute: 'email', value: ada.id }), UsageError);
    await assert.rejects(h.zoom.findUsers!({ attribute: 'email', value: 'me' }), UsageError);
    assert.equal(h.api().length, 0, 'nothing sent');
  });

  test('getUser by id; null for an unknown id and for `me` (Zoom answers the owner there)', async () => {
    const ada = seed(h.sim, 'ada@example.com', { status: 'inactive' });
    h.sim.store.seedUser({ email: 'owner@example.com', type: 1 }, { owner: true });
    const account = await h.zoom.getUser?.(ada.id);
    assert.equal(account?.id, ada.id);
    assert.equal(account?.active, false, 'inactive is disabled');
    assert.equal(await h.zoom.getUser?.('zzzzzzzzzzzzzzzzzzzzzz'), null);
    assert.equal(await h.zoom.getUser?.('me'), null, 'the owner is not a user with id "me"');
  });

  test('createUser (createAction create): POST user_info with type, then PATCH the update-only fields; pending is not disabled', async () => {
    const fields = {
      email: 'new@example.com',
      first_name: 'New',
      last_name: 'Hire',
      dept: 'Ops',
      job_title: 'SRE',
    };
    const account = await h.zoom.createUser!(fields, { active: true });
    const [post, patch, ...more] = h.api();
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, '/v2/users');
    assert.deepEqual(post?.body, {
      action: 'create',
      user_info: { email: 'new@example.com', first_name: 'New', last_name: 'Hire', type: 1 },
    });
    assert.equal(patch?.method, 'PATCH');
    assert.equal(patch?.path, `/v2/users/${account.id}`);
    assert.deepEqual(patch?.body, { dept: 'Ops', job_title: 'SRE' });
    assert.equal(more.length, 0);
    const stored = h.sim.store.users.get(account.id);
    assert.equal(stored?.status, 'pending', 'Zoom invites: pending');
    assert.equal(stored?.profile.job_title, 'SRE');
    assert.equal(account.active, true, 'pending is never reported as disabled');
    assert.equal(account.raw.status, 'pending', 'pending is in details');
    assert.equal(account.email, 'new@example.com');
  });

  test('a pending user found by email: Get a user shows only the id, the pending list gives its email', async () => {
    const created = await h.zoom.createUser!(
      { email: 'inv@example.com', first_name: 'In' },
      { active: true },
    );
    h.sim.requests.length = 0;
    const [account] = (await h.zoom.findUsers?.({ attribute: 'email', value: 'inv@example.com' })) ?? [];
    assert.equal(account?.id, created.id);
    assert.equal(account?.email, 'inv@example.com');
    assert.equal(account?.raw.status, 'pending');
    assert.equal(account?.active, true);
    const wire = h.api().map((r) => `${r.method} ${r.path} ${r.query.status ?? ''}`.trim());
    assert.deepEqual(wire, ['GET /v2/users/inv%40example.com', 'GET /v2/users pending']);
  });

  test('createUser inactive (autoCreate): created then deactivated; type from the profile as a number', async () => {
    const h2 = await startZoom({ settings: { createAction: 'autoCreate', userType: 2 } });
    try {
      const account = await h2.zoom.createUser!({ email: 'off@example.com', type: '1' }, { active: false });
      const wire = h2.api();
      assert.deepEqual(
        wire.map((r) => `${r.method} ${r.path}`),
        ['POST /v2/users', `PUT /v2/users/${account.id}/status`],
      );
      assert.deepEqual(wire[0]?.body, {
        action: 'autoCreate',
        user_info: { email: 'off@example.com', type: 1 },
      });
      assert.deepEqual(wire[1]?.body, { action: 'deactivate' });
      assert.equal(h2.sim.store.users.get(account.id)?.status, 'inactive');
      assert.equal(account.active, false);
      const licensed = await h2.zoom.createUser!({ email: 'lic@example.com' }, { active: true });
      assert.equal(
        h2.sim.store.users.get(licensed.id)?.type,
        2,
        'userType setting when the profile has none',
      );
    } finally {
      await h2.close();
    }
  });

  test("createUser inactive with createAction 'create' is refused before anything is sent", async () => {
    await assert.rejects(
      h.zoom.createUser!({ email: 'x@example.com' }, { active: false }),
      (e: unknown) => e instanceof NotSupportedError && /createAction/.test(e.message),
    );
    assert.equal(h.api().length, 0);
  });

  test('a refused step after the create names the created user, never hides it', async () => {
    await assert.rejects(
      h.zoom.createUser!({ email: 'half@example.com', pmi: 'not-a-number' }, { active: true }),
      (e: unknown) =>
        e instanceof AppError &&
        !e.mayHaveLanded &&
        /^user half@example\.com was created \(id [\w-]+\) but its fields pmi were not set: /.test(e.message),
    );
    assert.ok(h.sim.store.findUser('half@example.com'), 'the create landed');
  });

  test('createUser of an email already in the account is a ConflictError (Zoom 1005)', async () => {
    seed(h.sim, 'dup@example.com');
    await assert.rejects(
      h.zoom.createUser!({ email: 'dup@example.com' }, { active: true }),
      (e: unknown) => e instanceof ConflictError && e.vendorCode === 1005,
    );
  });

  test('updateUser PATCHes only what changed, names it, and reads the account back', async () => {
    const ada = seed(h.sim, 'ada@example.com', { dept: 'R&D', job_title: 'Engineer' });
    const [account] = (await h.zoom.findUsers?.({ attribute: 'email', value: ada.email })) ?? [];
    assert.ok(account, 'found');
    h.sim.requests.length = 0;
    const fields = {
      email: 'ADA@example.com',
      first_name: 'Ada',
      dept: 'Research',
      job_title: 'Engineer',
      type: '2',
    };
    const result = await h.zoom.updateUser!(account, fields);
    assert.deepEqual(result.changed.sort(), ['dept', 'type']);
    const [patch, get] = h.api();
    assert.equal(patch?.method, 'PATCH');
    assert.deepEqual(patch?.body, { dept: 'Research', type: 2 });
    assert.equal(get?.method, 'GET', 'read back: Zoom answers 204');
    assert.equal(result.account.raw.dept, 'Research');
    assert.equal(h.sim.store.users.get(ada.id)?.type, 2);
    h.sim.requests.length = 0;
    const again = await h.zoom.updateUser!(result.account, fields);
    assert.deepEqual(again.changed, []);
    assert.equal(h.api().length, 0, 'nothing changed: nothing sent');
  });

  test('updateUser with another email: PUT /users/{id}/email first, then the PATCH, then a read', async () => {
    const ada = seed(h.sim, 'ada@example.com');
    const account = await h.zoom.getUser!(ada.id);
    assert.ok(account, 'found');
    h.sim.requests.length = 0;
    const result = await h.zoom.updateUser!(account, { email: 'ada.new@example.com', dept: 'X' });
    assert.deepEqual(result.changed, ['email', 'dept']);
    assert.deepEqual(
      h.api().map((r) => [r.method, r.path, r.body]),
      [
        ['PUT', `/v2/users/${ada.id}/email`, { email: 'ada.new@example.com' }],
        ['PATCH', `/v2/users/${ada.id}`, { dept: 'X' }],
        ['GET', `/v2/users/${ada.id}`, undefined],
      ],
    );
    assert.deepEqual([result.account.email, result.account.raw.dept], ['ada.new@example.com', 'X']);
  });

  test('updateUser onto an email in use is a ConflictError (1005) and changes nothing', async () => {
    const ada = seed(h.sim, 'ada@example.com');
    seed(h.sim, 'bob@example.com');
    const account = await h.zoom.getUser!(ada.id);
    assert.ok(account, 'found');
    h.sim.requests.length = 0;
    await assert.rejects(
      h.zoom.updateUser!(account, { email: 'bob@example.com', dept: 'X' }),
      (e: unknown) => e instanceof ConflictError && e.vendorCode === 1005 && e.status === 409,
    );
    assert.deepEqual(
      h.api().map((r) => r.method),
      ['PUT'],
      'refused before the PATCH',
    );
    assert.deepEqual(
      [h.sim.store.users.get(ada.id)?.email, h.sim.store.users.get(ada.id)?.profile.dept],
      ['ada@example.com', undefined],
    );
  });

  test('setActive: PUT /users/{id}/status deactivate then activate', async () => {
    const ada = seed(h.sim, 'ada@example.com');
    const account = await h.zoom.getUser!(ada.id);
    assert.ok(account, 'found');
    const off = await h.zoom.setActive!(account, false);
    assert.equal(off.active, false);
    assert.equal(h.sim.store.users.get(ada.id)?.status, 'inactive');
    const on = await h.zoom.setActive!(off, true);
    assert.equal(on.active, true);
    assert.equal(h.sim.store.users.get(ada.id)?.status, 'active');
    const puts = h.api().filter((r) => r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => [r.path, r.body]),
      [
        [`/v2/users/${ada.id}/status`, { action: 'deactivate' }],
        [`/v2/users/${ada.id}/status`, { action: 'activate' }],
      ],
    );
    await assert.rejects(
      h.zoom.setActive!({ ...account, id: 'zzzzzzzzzzzzzzzzzzzzzz' }, false),
      NotFoundError,
    );
  });

  test("setActive(false) on a pending user is sent, and Zoom's refusal says the user is pending", async () => {
    const account = await h.zoom.createUser!({ email: 'inv@example.com' }, { active: true });
    await assert.rejects(
      h.zoom.setActive!(account, false),
      (e: unknown) =>
        e instanceof AppError &&
        !(e instanceof NotFoundError) &&
        /pending/.test(e.message) &&
        e.status === 400,
    );
    assert.equal(h.sim.store.users.get(account.id)?.status, 'pending');
  });

  test('deleteUser: disassociate by default, delete when deleteAction says so, a pending user always disassociated', async () => {
    const ada = seed(h.sim, 'ada@example.com');
    const result = await h.zoom.deleteUser!((await h.zoom.getUser!(ada.id))!);
    assert.deepEqual(result.details, { action: 'disassociate' });
    assert.deepEqual(h.sim.store.removed, [{ id: ada.id, email: 'ada@example.com', action: 'disassociate' }]);
    assert.equal(h.api().at(-1)?.query.action, 'disassociate');

    const h2 = await startZoom({ settings: { deleteAction: 'delete' } });
    try {
      const bob = seed(h2.sim, 'bob@example.com');
      const done = await h2.zoom.deleteUser!((await h2.zoom.getUser!(bob.id))!);
      assert.deepEqual(done.details, { action: 'delete' });
      const inv = await h2.zoom.createUser!({ email: 'inv@example.com' }, { active: true });
      const gone = await h2.zoom.deleteUser!(inv);
      assert.deepEqual(gone.details, { action: 'disassociate', pending: true });
      assert.deepEqual(
        h2.sim.store.removed.map((r) => r.action),
        ['delete', 'disassociate'],
      );
      await assert.rejects(h2.zoom.deleteUser!(inv), NotFoundError);
    } finally {
      await h2.close();
    }
  });

  test('a 404 without Zoom\'s "does not exist" code is not "not found": it names baseUrl', async () => {
    const h3 = await startZoom({ settings: { baseUrl: `${h.sim.origin}/v1` } });
    try {
      await assert.rejects(
        h3.zoom.getUser!('abc'),
        (e: unknown) =>
          e instanceof AppError && !(e instanceof NotFoundError) && /check baseUrl/.test(e.message),
      );
    } finally {
      await h3.close();
    }
  });
});
