// The Zoom simulator's own spec, part 1: Server-to-Server OAuth and the Users API. Each test is a
// behaviour of Zoom's published reference (pages in README.md), driven over HTTP with plain fetch.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CREATE_USER_REQUEST_EXAMPLE,
  CREATE_USER_RESPONSE_EXAMPLE,
  GET_USER_EXAMPLE,
  INVALID_JSON_ERROR_EXAMPLE,
  INVALID_TOKEN_EXAMPLE,
  LIST_USERS_EXAMPLE,
  TOKEN_ERROR_EXAMPLE,
  TOKEN_RESPONSE_EXAMPLE,
  VALIDATION_ERROR_EXAMPLE,
} from './fixtures.js';
import { startZoomSimulator } from './server.js';
import { call, createUser, items, requestToken } from './zoom-test-client.js';

let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
const sim = await startZoomSimulator({ rateLimits: false, now: () => clock });
after(() => sim.close());

test('token: account_credentials with Basic client credentials answers the reference token shape', async () => {
  sim.reset();
  for (const via of ['query', 'form'] as const) {
    const granted = await requestToken(sim, { via });
    assert.equal(granted.status, 200);
    assert.deepEqual(Object.keys(granted.body ?? {}).sort(), Object.keys(TOKEN_RESPONSE_EXAMPLE).sort());
    assert.equal(granted.body?.token_type, 'bearer');
    assert.equal(granted.body?.expires_in, 3600);
    assert.equal(granted.body?.api_url, sim.origin);
    const me = await call(sim, 'GET', '/users/me', { token: String(granted.body?.access_token) });
    assert.equal(me.status, 200);
  }
  assert.equal(sim.oauth.issuedCount, 2);
});

test('token: a wrong secret, grant type or account id is refused with { reason, error }', async () => {
  sim.reset();
  const wrongSecret = await requestToken(sim, { secret: 'not-the-secret' });
  assert.equal(wrongSecret.status, 401);
  assert.deepEqual(wrongSecret.body, TOKEN_ERROR_EXAMPLE);
  const wrongGrant = await requestToken(sim, { grantType: 'client_credentials' });
  assert.equal(wrongGrant.status, 400);
  assert.equal(wrongGrant.body?.error, 'unsupported_grant_type');
  const wrongAccount = await requestToken(sim, { accountId: 'another-account' });
  assert.equal(wrongAccount.status, 400);
  assert.equal(wrongAccount.body?.error, 'invalid_request');
  assert.equal(sim.oauth.issuedCount, 0);
});

test('api: a missing, unknown or expired bearer token is 401 code 124; a new grant works again', async () => {
  sim.reset();
  for (const token of [null, 'made-up-token']) {
    const refused = await call(sim, 'GET', '/users/me', { token });
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body, INVALID_TOKEN_EXAMPLE);
  }
  const token = String((await requestToken(sim)).body?.access_token);
  clock += 3599_000;
  assert.equal((await call(sim, 'GET', '/users/me', { token })).status, 200);
  clock += 1_000;
  const expired = await call(sim, 'GET', '/users/me', { token });
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, { code: 124, message: 'Access token is expired.' });
  const fresh = String((await requestToken(sim)).body?.access_token);
  assert.equal((await call(sim, 'GET', '/users/me', { token: fresh })).status, 200);
});

test('token: several tokens stay live (the reference); newTokenRevokesOld makes a new grant revoke them', async () => {
  sim.reset();
  const first = String((await requestToken(sim)).body?.access_token);
  const second = String((await requestToken(sim)).body?.access_token);
  for (const token of [first, second])
    assert.equal((await call(sim, 'GET', '/users/me', { token })).status, 200);
  const strict = await startZoomSimulator({ newTokenRevokesOld: true, rateLimits: false });
  try {
    const old = String((await requestToken(strict)).body?.access_token);
    const fresh = String((await requestToken(strict)).body?.access_token);
    const revoked = await call(strict, 'GET', '/users/me', { token: old });
    assert.deepEqual([revoked.status, revoked.body], [401, INVALID_TOKEN_EXAMPLE]);
    assert.equal((await call(strict, 'GET', '/users/me', { token: fresh })).status, 200);
  } finally {
    await strict.close();
  }
});

test('token: expires_in is configurable and a token stops working once it has passed', async () => {
  const short = await startZoomSimulator({ expiresIn: 1, rateLimits: false });
  try {
    const granted = await requestToken(short);
    assert.equal(granted.body?.expires_in, 1);
    const token = String(granted.body?.access_token);
    assert.equal((await call(short, 'GET', '/users/me', { token })).status, 200);
    await sleep(1_100);
    assert.equal((await call(short, 'GET', '/users/me', { token })).status, 401);
  } finally {
    await short.close();
  }
});

test('users: create answers 201 with the reference example fields; only `create` leaves the user pending', async () => {
  sim.reset();
  const created = await call(sim, 'POST', '/users', { body: CREATE_USER_REQUEST_EXAMPLE });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('content-type'), 'application/json;charset=UTF-8');
  const { id, ...rest } = created.body ?? {};
  const { id: _exampleId, ...expected } = CREATE_USER_RESPONSE_EXAMPLE;
  assert.match(String(id), /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(rest, expected);
  assert.equal(sim.store.findUser(CREATE_USER_RESPONSE_EXAMPLE.email)?.status, 'active');
  for (const action of ['autoCreate', 'ssoCreate']) {
    assert.equal(
      sim.store.users.get(await createUser(sim, `${action}@example.com`, action))?.status,
      'active',
    );
  }
  const invited = await createUser(sim, 'invited@example.com', 'create');
  assert.equal(sim.store.users.get(invited)?.status, 'pending');
});

test('users: create enforces action, user_info.email and user_info.type with the reference error bodies', async () => {
  sim.reset();
  const bad = await call(sim, 'POST', '/users', {
    body: { action: 'create', user_info: { email: 'not-an-email', type: 7 } },
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, VALIDATION_ERROR_EXAMPLE);
  const noAction = await call(sim, 'POST', '/users', {
    body: { user_info: { email: 'a@example.com', type: 1 } },
  });
  assert.deepEqual(noAction.body?.errors, [{ field: 'action', message: 'Invalid field.' }]);
  const wrongAction = await call(sim, 'POST', '/users', {
    body: { action: 'invite', user_info: { email: 'a@example.com', type: 1 } },
  });
  assert.equal(wrongAction.status, 400);
  const notJson = await call(sim, 'POST', '/users', { rawBody: '{"action":' });
  assert.equal(notJson.status, 400);
  assert.deepEqual(notJson.body, INVALID_JSON_ERROR_EXAMPLE);
  const formBody = await call(sim, 'POST', '/users', {
    rawBody: 'action=create',
    contentType: 'application/x-www-form-urlencoded',
  });
  assert.deepEqual(formBody.body, INVALID_JSON_ERROR_EXAMPLE);
  assert.equal(sim.store.users.size, 1, 'only the seeded owner');
});

test('users: an email already in the account (any case) is 409 code 1005', async () => {
  sim.reset();
  await createUser(sim, 'dup@example.com');
  const again = await call(sim, 'POST', '/users', {
    body: { action: 'autoCreate', user_info: { email: 'DUP@example.com', type: 1 } },
  });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { code: 1005, message: 'User already in the account: DUP@example.com' });
});

test('users: get by id, by email and by `me`; an unknown user is 404 code 1001', async () => {
  sim.reset();
  const id = await createUser(sim, 'bob@example.com', 'autoCreate', { first_name: 'Bob' });
  for (const key of [id, 'bob@example.com', 'BOB@example.com']) {
    const got = await call(sim, 'GET', `/users/${encodeURIComponent(key)}`);
    assert.equal(got.status, 200);
    assert.equal(got.body?.id, id);
    assert.equal(got.body?.first_name, 'Bob');
    assert.equal(got.body?.status, 'active');
  }
  assert.equal((await call(sim, 'GET', '/users/me')).body?.email, GET_USER_EXAMPLE.email);
  const missing = await call(sim, 'GET', '/users/nobody@example.com');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { code: 1001, message: 'User does not exist: nobody@example.com.' });
});

test('users: a pending user shows only id and created_at, and is listed only under status=pending', async () => {
  sim.reset();
  const id = await createUser(sim, 'invitee@example.com', 'create');
  const got = await call(sim, 'GET', `/users/${id}`);
  assert.deepEqual(got.body, { id, created_at: new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  const emails = async (query: string) =>
    items<{ email: string }>(await call(sim, 'GET', `/users${query}`), 'users').map((user) => user.email);
  assert.deepEqual(await emails(''), [GET_USER_EXAMPLE.email], 'the default status is active');
  assert.deepEqual(await emails('?status=pending'), ['invitee@example.com']);
  sim.acceptInvitation('invitee@example.com');
  assert.equal((await call(sim, 'GET', `/users/${id}`)).body?.email, 'invitee@example.com');
  assert.deepEqual(await emails(''), [GET_USER_EXAMPLE.email, 'invitee@example.com']);
});

test('users: PATCH answers 204 and changes the profile, never the email; a bad type is Validation Failed', async () => {
  sim.reset();
  const id = await createUser(sim, 'carol@example.com');
  const patched = await call(sim, 'PATCH', `/users/${id}`, {
    body: { first_name: 'Carol', dept: 'Finance', type: 2, email: 'other@example.com' },
  });
  assert.equal(patched.status, 204);
  assert.equal(patched.body, undefined);
  const got = (await call(sim, 'GET', `/users/${id}`)).body;
  assert.deepEqual(
    [got?.first_name, got?.dept, got?.type, got?.email],
    ['Carol', 'Finance', 2, 'carol@example.com'],
  );
  const bad = await call(sim, 'PATCH', `/users/${id}`, { body: { type: 5 } });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body?.errors, [{ field: 'type', message: 'Invalid field.' }]);
  assert.equal((await call(sim, 'PATCH', '/users/ghost', { body: { dept: 'x' } })).status, 404);
});

test('users: PUT status deactivates and activates (204); other actions, pending users and admins are refused', async () => {
  sim.reset();
  const id = await createUser(sim, 'dave@example.com');
  const put = (key: string, action: string) => call(sim, 'PUT', `/users/${key}/status`, { body: { action } });
  assert.equal((await put(id, 'deactivate')).status, 204);
  assert.equal(sim.store.users.get(id)?.status, 'inactive');
  assert.equal((await put('dave@example.com', 'activate')).status, 204);
  assert.equal(sim.store.users.get(id)?.status, 'active');
  assert.deepEqual((await put(id, 'suspend')).body?.errors, [{ field: 'action', message: 'Invalid field.' }]);
  const pending = await createUser(sim, 'pending@example.com', 'create');
  assert.equal((await put(pending, 'deactivate')).status, 400);
  assert.equal(sim.store.users.get(pending)?.status, 'pending');
  const owner = await put('me', 'deactivate');
  assert.deepEqual([owner.status, owner.body?.code], [400, 200]);
  assert.equal((await put('ghost', 'activate')).status, 404);
});

test("users: PUT email changes the email (204); an email in use is 409 1005, a pending user's 400", async () => {
  sim.reset();
  const id = await createUser(sim, 'erin@example.com');
  await createUser(sim, 'taken@example.com');
  const put = (key: string, email: unknown) => call(sim, 'PUT', `/users/${key}/email`, { body: { email } });
  assert.equal((await put(id, 'erin.new@example.com')).status, 204);
  assert.equal(sim.store.users.get(id)?.email, 'erin.new@example.com');
  assert.equal((await call(sim, 'GET', '/users/erin@example.com')).status, 404);
  const taken = await put(id, 'TAKEN@example.com');
  assert.deepEqual([taken.status, taken.body?.code], [409, 1005]);
  assert.equal(sim.store.users.get(id)?.email, 'erin.new@example.com');
  assert.deepEqual((await put(id, 'not-an-email')).body?.errors, [
    { field: 'email', message: 'Invalid field.' },
  ]);
  const pending = await createUser(sim, 'pend@example.com', 'create');
  assert.equal((await put(pending, 'pend.new@example.com')).status, 400);
  assert.equal((await put('ghost', 'g@example.com')).status, 404);
});

test('users: DELETE disassociates by default, deletes with action=delete; a pending user needs disassociate', async () => {
  sim.reset();
  const first = await createUser(sim, 'erin@example.com');
  const second = await createUser(sim, 'frank@example.com');
  const pending = await createUser(sim, 'gina@example.com', 'create');
  assert.equal((await call(sim, 'DELETE', `/users/${first}`)).status, 204);
  assert.equal((await call(sim, 'DELETE', '/users/frank@example.com?action=delete')).status, 204);
  assert.equal((await call(sim, 'DELETE', `/users/${pending}?action=delete`)).status, 400);
  assert.equal((await call(sim, 'DELETE', `/users/${pending}?action=disassociate`)).status, 204);
  assert.equal((await call(sim, 'DELETE', `/users/${first}`)).status, 404);
  assert.equal((await call(sim, 'DELETE', `/users/me?action=erase`)).status, 400);
  assert.deepEqual(
    sim.store.removed.map((removed) => [removed.id, removed.action]),
    [
      [first, 'disassociate'],
      [second, 'delete'],
      [pending, 'disassociate'],
    ],
  );
});

test('fixtures: the reference "Get a user" example round-trips through the simulator', async () => {
  sim.reset();
  const [groupId] = GET_USER_EXAMPLE.group_ids;
  sim.store.createGroup('Developers', groupId).members.add(GET_USER_EXAMPLE.id);
  const me = await call(sim, 'GET', '/users/me');
  assert.deepEqual(me.body, { ...GET_USER_EXAMPLE, status: 'active' });
});

test('fixtures: the reference "List users" example round-trips, with the same top-level keys', async () => {
  sim.reset();
  sim.store.reset();
  const [example] = LIST_USERS_EXAMPLE.users;
  sim.store.seedUser({ ...example });
  sim.store.createGroup('Developers', example.group_ids[0]).members.add(example.id);
  const listed = await call(sim, 'GET', '/users');
  assert.deepEqual(Object.keys(listed.body ?? {}).sort(), Object.keys(LIST_USERS_EXAMPLE).sort());
  assert.deepEqual(items(listed, 'users'), [example]);
});
