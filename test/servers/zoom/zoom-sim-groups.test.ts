// The Zoom simulator's own spec, part 2: Groups API, next_page_token paging, per-second rate limits
// and the request log. Each test is a behaviour of Zoom's published reference (pages in README.md).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  ADD_MEMBERS_RESPONSE_EXAMPLE,
  CREATE_GROUP_RESPONSE_KEYS,
  RATE_LIMIT_HEADERS_EXAMPLE,
} from './fixtures.js';
import { startZoomSimulator } from './server.js';
import { call, createUser, items } from './zoom-test-client.js';

let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
const sim = await startZoomSimulator({ rateLimits: false, now: () => clock });
after(() => sim.close());

test('groups: create (201), get, rename (204), delete (204); duplicate names 409 4132; unknown 404 4130', async () => {
  sim.reset();
  const created = await call(sim, 'POST', '/groups', { body: { name: 'Engineering' } });
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.body ?? {}), [...CREATE_GROUP_RESPONSE_KEYS]);
  const id = String(created.body?.id);
  assert.deepEqual(created.body, { id, name: 'Engineering', total_members: 0 });
  assert.deepEqual((await call(sim, 'GET', `/groups/${id}`)).body, created.body);
  const duplicate = await call(sim, 'POST', '/groups', { body: { name: 'Engineering' } });
  assert.deepEqual(
    [duplicate.status, duplicate.body],
    [409, { code: 4132, message: 'Group name Engineering is already in use.' }],
  );
  assert.equal((await call(sim, 'POST', '/groups', { body: {} })).status, 400);
  assert.equal((await call(sim, 'PATCH', `/groups/${id}`, { body: { name: 'Platform' } })).status, 204);
  const listed = await call(sim, 'GET', '/groups');
  assert.deepEqual(listed.body, { groups: [{ id, name: 'Platform', total_members: 0 }], total_records: 1 });
  assert.equal((await call(sim, 'DELETE', `/groups/${id}`)).status, 204);
  const gone = await call(sim, 'GET', `/groups/${id}`);
  assert.deepEqual(
    [gone.status, gone.body],
    [404, { code: 4130, message: `A group with this ${id} does not exist.` }],
  );
  assert.equal((await call(sim, 'PATCH', `/groups/${id}`, { body: { name: 'X' } })).status, 404);
  assert.equal((await call(sim, 'DELETE', `/groups/${id}`)).status, 404);
});

test('groups: members are added by id or email, at most 30 a request; an unknown member adds nobody', async () => {
  sim.reset();
  const group = String((await call(sim, 'POST', '/groups', { body: { name: 'All' } })).body?.id);
  const ids: string[] = [];
  for (let index = 0; index < 31; index += 1) ids.push(await createUser(sim, `m${index}@example.com`));
  const add = (members: unknown[]) => call(sim, 'POST', `/groups/${group}/members`, { body: { members } });
  const tooMany = await add(ids.map((id) => ({ id })));
  assert.equal(tooMany.status, 400);
  assert.deepEqual(tooMany.body?.errors, [{ field: 'members', message: 'Invalid field.' }]);
  const unknown = await add([{ id: ids[0] }, { email: 'ghost@example.com' }]);
  assert.deepEqual([unknown.status, unknown.body?.code], [404, 1001]);
  assert.equal(sim.store.getGroup(group).members.size, 0);
  assert.equal((await add([{}])).status, 400);
  const batch = await add([...ids.slice(0, 29).map((id) => ({ id })), { email: 'm29@example.com' }]);
  assert.equal(batch.status, 201);
  assert.deepEqual(Object.keys(batch.body ?? {}), Object.keys(ADD_MEMBERS_RESPONSE_EXAMPLE));
  assert.deepEqual(String(batch.body?.ids).split(','), ids.slice(0, 30));
  assert.equal((await call(sim, 'GET', `/groups/${group}`)).body?.total_members, 30);
  assert.deepEqual((await call(sim, 'GET', `/users/${ids[0]}`)).body?.group_ids, [group]);
});

test('groups: members list pages; a member is removed with 204; a deleted user leaves its groups', async () => {
  sim.reset();
  const group = sim.store.createGroup('Sales');
  const ids: string[] = [];
  for (let index = 0; index < 5; index += 1) {
    ids.push(await createUser(sim, `s${index}@example.com`));
    group.members.add(ids[index] ?? '');
  }
  const first = await call(sim, 'GET', `/groups/${group.id}/members?page_size=3`);
  assert.deepEqual(
    items<{ id: string }>(first, 'members').map((member) => member.id),
    ids.slice(0, 3),
  );
  assert.deepEqual(Object.keys(items(first, 'members')[0] ?? {}).sort(), [
    'email',
    'first_name',
    'id',
    'last_name',
    'type',
  ]);
  assert.equal(first.body?.total_records, 5);
  const token = String(first.body?.next_page_token);
  const second = await call(sim, 'GET', `/groups/${group.id}/members?page_size=3&next_page_token=${token}`);
  assert.deepEqual(
    items<{ id: string }>(second, 'members').map((member) => member.id),
    ids.slice(3),
  );
  assert.equal(second.body?.next_page_token, '');
  assert.equal((await call(sim, 'DELETE', `/groups/${group.id}/members/${ids[0]}`)).status, 204);
  assert.equal((await call(sim, 'DELETE', `/groups/${group.id}/members/${ids[0]}`)).status, 400);
  assert.equal((await call(sim, 'DELETE', `/groups/${group.id}/members/ghost`)).status, 404);
  assert.equal((await call(sim, 'DELETE', `/users/${ids[1]}`)).status, 204);
  assert.deepEqual([...group.members], ids.slice(2));
});

test('paging: 1,000 users come back through next_page_token, each exactly once, at page_size 300', async () => {
  sim.reset();
  for (let index = 0; index < 999; index += 1) sim.store.seedUser({ email: `bulk${index}@example.com` });
  const seen: string[] = [];
  const sizes: number[] = [];
  let token = '';
  let calls = 0;
  do {
    const query = `?page_size=300${token ? `&next_page_token=${encodeURIComponent(token)}` : ''}`;
    const page = await call(sim, 'GET', `/users${query}`);
    assert.equal(page.status, 200);
    assert.equal(page.body?.total_records, 1000);
    assert.equal(page.body?.page_count, 4);
    const users = items<{ id: string }>(page, 'users');
    sizes.push(users.length);
    seen.push(...users.map((user) => user.id));
    token = String(page.body?.next_page_token);
    calls += 1;
  } while (token !== '' && calls < 10);
  assert.deepEqual(sizes, [300, 300, 300, 100]);
  assert.equal(new Set(seen).size, 1000);
  assert.deepEqual(new Set(seen), new Set(sim.store.users.keys()));
  const defaults = await call(sim, 'GET', '/users');
  assert.equal(items(defaults, 'users').length, 30, 'page_size defaults to 30');
});

test('paging: page_size above 300 is refused; a token serves only its own query and expires after 15 minutes', async () => {
  sim.reset();
  for (let index = 0; index < 4; index += 1) sim.store.seedUser({ email: `p${index}@example.com` });
  const tooBig = await call(sim, 'GET', '/users?page_size=301');
  assert.deepEqual(
    [tooBig.status, tooBig.body?.errors],
    [400, [{ field: 'page_size', message: 'Invalid field.' }]],
  );
  const token = String((await call(sim, 'GET', '/users?page_size=2')).body?.next_page_token);
  assert.notEqual(token, '');
  assert.equal((await call(sim, 'GET', `/users?status=inactive&next_page_token=${token}`)).status, 400);
  assert.equal((await call(sim, 'GET', '/users?next_page_token=forged')).status, 400);
  clock += 14 * 60_000;
  assert.equal((await call(sim, 'GET', `/users?page_size=2&next_page_token=${token}`)).status, 200);
  const later = String((await call(sim, 'GET', '/users?page_size=2')).body?.next_page_token);
  clock += 15 * 60_000;
  assert.equal((await call(sim, 'GET', `/users?page_size=2&next_page_token=${later}`)).status, 400);
});

test('rate limits: a burst over a category limit is 429 with the reference headers; the next second passes', async () => {
  let now = Date.UTC(2026, 0, 5, 12, 0, 0, 100);
  const limited = await startZoomSimulator({ rateLimits: { Light: 5, Medium: 2, Heavy: 1 }, now: () => now });
  try {
    const token = limited.issueToken();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => call(limited, 'GET', '/users/me', { token })),
    );
    const refused = burst.filter((reply) => reply.status === 429);
    assert.deepEqual([burst.length - refused.length, refused.length], [5, 3]);
    for (const reply of refused) {
      assert.deepEqual(reply.body, {
        code: 429,
        message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
      });
      for (const name of Object.keys(RATE_LIMIT_HEADERS_EXAMPLE)) assert.ok(reply.headers.has(name), name);
      assert.equal(reply.headers.get('x-ratelimit-category'), 'Light');
      assert.equal(reply.headers.get('x-ratelimit-type'), 'QPS');
      assert.equal(reply.headers.get('x-ratelimit-limit'), '5');
      assert.equal(reply.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(reply.headers.get('retry-after'), '1');
    }
    const medium = await call(limited, 'GET', '/users', { token });
    assert.deepEqual([medium.status, medium.headers.get('x-ratelimit-category')], [200, 'Medium']);
    assert.equal(medium.headers.get('x-ratelimit-remaining'), '1');
    now += 1_000;
    assert.equal((await call(limited, 'GET', '/users/me', { token })).status, 200);
    assert.equal(limited.rateLimiter.refused.Light, 3);
  } finally {
    await limited.close();
  }
});

test('request log: method, path, query, body and answer status as they crossed the wire', async () => {
  sim.reset();
  const id = await createUser(sim, 'logged@example.com');
  await call(sim, 'DELETE', `/users/${id}?action=delete`);
  const [created, deleted] = sim.requests;
  assert.deepEqual(
    { method: created?.method, path: created?.path, status: created?.status, body: created?.body },
    {
      method: 'POST',
      path: '/v2/users',
      status: 201,
      body: {
        action: 'autoCreate',
        user_info: { email: 'logged@example.com', type: 1, first_name: 'First', last_name: 'Last' },
      },
    },
  );
  assert.deepEqual(
    [deleted?.method, deleted?.path, deleted?.query, deleted?.status],
    ['DELETE', `/v2/users/${id}`, { action: 'delete' }, 204],
  );
});
