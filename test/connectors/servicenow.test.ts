// The ServiceNow connector through the core on the Table API simulator (test/servers/servicenow/):
// a lookup value can never add a condition to sysparm_query (^OR, ^NQ, =, ",", javascript:), paging
// follows the Link header, reads ask only for the mapped fields, enable/disable write what the
// reference says, and ServiceNow's errors and rate limit come out as one clear line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SnowSetup, snapshot, startSnow, v } from './servicenow-support.js';

let s: SnowSetup;
before(async () => {
  s = await startSnow();
});
after(() => s.close());

/** Every sysparm_query the simulator received on sys_user. */
const queries = () =>
  s.sim.api().flatMap((r) => (r.query.sysparm_query === undefined ? [] : [r.query.sysparm_query]));

function seedVictims() {
  s.sim.reset();
  const admin = s.sim.store.insert('sys_user', {
    user_name: 'admin',
    email: 'admin@example.com',
    first_name: 'System',
  });
  const ann = s.sim.store.insert('sys_user', { user_name: 'ann', email: 'ann@example.com' });
  return { admin, ann };
}

const INJECTIONS = [
  'nobody^ORuser_name=admin',
  'nobody^NQuser_name=admin',
  'nobody^NQactive=true',
  'ann^ORDERBYuser_name',
  'javascript:gs.getUserID()',
  'nobody\n^ORuser_name=admin',
];

test('the simulator would find admin through a raw ^OR value (the cases below can fail)', async () => {
  seedVictims();
  const res = await fetch(
    `${s.sim.url}/api/now/table/sys_user?sysparm_query=${encodeURIComponent('user_name=nobody^ORuser_name=admin')}`,
    {
      headers: {
        authorization: `Basic ${Buffer.from(`${s.sim.credentials.username}:${s.sim.credentials.password}`).toString('base64')}`,
      },
    },
  );
  const body = (await res.json()) as { result: { user_name: string }[] };
  assert.deepEqual(
    body.result.map((u) => u.user_name),
    ['admin'],
  );
});

for (const username of INJECTIONS) {
  test(`get-user, update-user, disable-user, delete-user with username ${JSON.stringify(username)}: finds and changes nothing`, async () => {
    seedVictims();
    const before = snapshot(s.sim);
    const c = s.client();
    for (const run of [
      () => c.getUser('snow', { userProfile: { username } }),
      () => c.updateUser('snow', { userProfile: { username, title: 'Owned' } }),
      () => c.disableUser('snow', { userProfile: { username } }),
      () => c.deleteUser('snow', { userProfile: { username } }),
      () => c.createUser('snow', { userProfile: { username, email: 'x@example.com' } }),
    ]) {
      // The core refuses some values itself (a line break) before the connector sees them: a throw.
      const r = await v(run()).catch((e: Error) => ({ success: false, id: null, errorMessage: e.message }));
      assert.equal(r.success, false, `refused: ${JSON.stringify(r)}`);
      assert.notEqual(r.id, s.sim.store.rows('sys_user')[0]?.sys_id, 'admin was not found');
      assert.ok(r.errorMessage && !r.errorMessage.includes('\n'), 'one line');
    }
    assert.equal(snapshot(s.sim), before, 'no table changed');
    assert.deepEqual(
      s.sim.api().filter((r) => r.method !== 'GET'),
      [],
      'no write was sent',
    );
    for (const q of queries()) assert.equal(/\^(OR|NQ)|javascript:/i.test(q), false, `sent ${q}`);
  });
}

test('the refusal names the field and says why', async () => {
  seedVictims();
  const r = await v(s.client().getUser('snow', { userProfile: { username: 'nobody^ORuser_name=admin' } }));
  assert.match(r.errorMessage ?? '', /user_name: .*contains "\^"/);
});

test('an email carrying ^NQ finds nothing else either', async () => {
  seedVictims();
  const r = await v(
    s.client().getUser('snow', { userProfile: { email: 'x@example.com^NQuser_name=admin' } }),
  );
  assert.equal(r.success, false);
  assert.equal(r.id, null);
  for (const q of queries()) assert.equal(q.includes('^NQ'), false, `sent ${q}`);
});

test('"=" and "," in a username are literal: a,b and a=b find only themselves', async () => {
  s.sim.reset();
  for (const n of ['a', 'b', 'a=b', 'a,b']) s.sim.store.insert('sys_user', { user_name: n });
  const c = s.client();
  for (const n of ['a=b', 'a,b']) {
    const r = await v(c.getUser('snow', { userProfile: { username: n } }));
    assert.equal(r.success, true, r.errorMessage ?? '');
    assert.equal(r.username, n);
  }
  const none = await v(c.getUser('snow', { userProfile: { username: 'b=a' } }));
  assert.deepEqual([none.success, none.errorCode], [false, 404]);
});

test('every read asks only for the mapped fields, with plain reference sys_ids', async () => {
  seedVictims();
  await v(s.client().getUser('snow', { userProfile: { username: 'ann' } }));
  const reads = s.sim.api().filter((r) => r.method === 'GET');
  assert.ok(reads.length > 0);
  for (const r of reads) {
    assert.equal(r.query.sysparm_exclude_reference_link, 'true');
    const fields = (r.query.sysparm_fields ?? '').split(',');
    for (const f of ['sys_id', 'user_name', 'email', 'active', 'locked_out'])
      assert.ok(fields.includes(f), f);
    assert.equal(fields.includes('user_password'), false);
    assert.equal(fields.includes('sys_created_by'), false);
  }
});

test('enable sets active=true and locked_out=false; disable sets active=false; a locked-out user is disabled', async () => {
  s.sim.reset();
  const u = s.sim.store.insert('sys_user', { user_name: 'locked', active: 'true', locked_out: 'true' });
  const c = s.client();
  const got = await v(c.getUser('snow', { userProfile: { username: 'locked' } }));
  assert.equal(got.active, false, 'locked out reads as disabled');
  const en = await v(c.enableUser('snow', { userProfile: { username: 'locked' } }));
  assert.equal(en.success, true, en.errorMessage ?? '');
  const patch = s.sim.api().find((r) => r.method === 'PATCH');
  assert.deepEqual(patch?.body, { active: 'true', locked_out: 'false' });
  assert.deepEqual(
    [
      s.sim.store.get('sys_user', u.sys_id as string)?.active,
      s.sim.store.get('sys_user', u.sys_id as string)?.locked_out,
    ],
    ['true', 'false'],
  );
  s.sim.requests.length = 0;
  const dis = await v(c.disableUser('snow', { userProfile: { username: 'locked' } }));
  assert.equal(dis.active, false);
  assert.deepEqual(s.sim.api().find((r) => r.method === 'PATCH')?.body, { active: 'false' });
});

test('update-user PATCHes only the fields that changed', async () => {
  s.sim.reset();
  s.sim.store.insert('sys_user', { user_name: 'upd', first_name: 'Ann', last_name: 'Old', title: 'Eng' });
  const r = await v(
    s.client().updateUser('snow', {
      userProfile: { username: 'upd', givenname: 'Ann', surname: 'New', title: 'Eng' },
    }),
  );
  assert.equal(r.success, true, r.errorMessage ?? '');
  const patches = s.sim.api().filter((q) => q.method === 'PATCH');
  assert.deepEqual(
    patches.map((p) => p.body),
    [{ last_name: 'New' }],
  );
});

test('group members: sys_user_grmember records, read through sysparm_limit/offset pages and the Link header', async () => {
  const small = await startSnow();
  try {
    const c = small.client({ pageSize: 2 });
    const g = await c.createGroup('snow', { scim: { displayName: 'Paged' } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(small.sim.store.insert('sys_user', { user_name: `m${i}` }).sys_id as string);
    const add = await c.updateGroup('snow', { scim: { id: g.id }, memberIdsToAdd: ids.join(',') });
    assert.equal(add.success, true, String(add.errorMessage));
    assert.equal(small.sim.store.rows('sys_user_grmember').length, 5);
    small.sim.requests.length = 0;
    const got = await c.getGroup('snow', { scim: { id: g.id }, includeMembers: 'yes' });
    assert.deepEqual(got.members?.map((m) => m.value).sort(), [...ids].sort());
    const offsets = small.sim
      .api()
      .filter((r) => r.path.endsWith('/sys_user_grmember'))
      .map((r) => r.query.sysparm_offset);
    assert.deepEqual(offsets, ['0', '2', '4']);
    // A member that is not a user is never written as a dangling grmember.
    const bad = await c.updateGroup('snow', {
      scim: { id: g.id },
      memberIdsToAdd: 'ffffffffffffffffffffffffffffffff',
    });
    assert.equal(bad.success, false);
    assert.equal(small.sim.store.rows('sys_user_grmember').length, 5);
    const rm = await c.updateGroup('snow', { scim: { id: g.id }, memberIdsToDelete: ids.slice(0, 1) });
    assert.equal(rm.success, true, String(rm.errorMessage));
    assert.equal(small.sim.store.rows('sys_user_grmember').length, 4);
  } finally {
    await small.close();
  }
});

test("ServiceNow's error body becomes one line: a 401, and a 404 without it names instanceUrl", async () => {
  seedVictims();
  const wrong = s.client({ password: 'wrong-password' });
  const r = await v(wrong.getUser('snow', { userProfile: { username: 'ann' } }));
  assert.equal(r.errorCode, 401);
  assert.match(r.errorMessage ?? '', /User Not Authenticated: Required to provide Auth information/);
  assert.equal((r.errorMessage ?? '').includes('wrong-password'), false);
  const badUrl = s.client({ instanceUrl: `${s.sim.url}/nope` });
  const r2 = await v(badUrl.getUser('snow', { userProfile: { id: 'ffffffffffffffffffffffffffffffff' } }));
  assert.match(r2.errorMessage ?? '', /check instanceUrl/);
});

test('a rate limit rule: the 429 and its Retry-After are honoured, the batch of calls succeeds', async () => {
  const limited = await startSnow({ sim: { rateLimit: { limit: 3, windowMs: 1_000 } } });
  try {
    const c = limited.client({ retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 3_000 } });
    limited.sim.store.insert('sys_user', { user_name: 'rl' });
    for (let i = 0; i < 5; i++) {
      const r = await v(c.getUser('snow', { userProfile: { username: 'rl' } }));
      assert.equal(r.success, true, r.errorMessage ?? '');
    }
    assert.ok(limited.sim.rateLimiter.refused > 0, 'the rule refused some requests');
  } finally {
    await limited.close();
  }
});

test('OAuth: a client_credentials token from /oauth_token.do, client id and secret in the form', async () => {
  const o = await startSnow({ oauth: true });
  try {
    o.sim.store.insert('sys_user', { user_name: 'oa' });
    const r = await v(o.client().getUser('snow', { userProfile: { username: 'oa' } }));
    assert.equal(r.success, true, r.errorMessage ?? '');
    assert.deepEqual(o.sim.oauth.grants, ['client_credentials']);
    const token = o.sim.requests.find((q) => q.path === '/oauth_token.do');
    assert.equal(token?.headers.authorization, undefined, 'client_secret_post: no Basic header');
  } finally {
    await o.close();
  }
});

test('settings: neither or both credential pairs is one line naming what is expected', async () => {
  for (const extra of [
    { username: undefined, password: undefined },
    { clientId: 'x', clientSecret: 'y' },
    { password: undefined },
  ]) {
    await assert.rejects(
      async () => v(s.client(extra).getUser('snow', { userProfile: { username: 'ann' } })),
      (e: Error) =>
        /username and password \(HTTP Basic\) or clientId and clientSecret/.test(e.message) &&
        !e.message.includes('\n') &&
        !e.message.includes(s.sim.credentials.password),
    );
  }
});

test('a group displayName carrying ^OR finds, and deletes, no other group', async () => {
  s.sim.reset();
  const desk = s.sim.store.insert('sys_user_group', { name: 'Service Desk' });
  const c = s.client();
  const name = 'nobody^ORname=Service Desk';
  const got = await c.getGroup('snow', { scim: { displayName: name } }).catch((e: Error) => ({
    success: false,
    id: null,
    errorMessage: e.message,
  }));
  const del = await c.deleteGroup('snow', { scim: { displayName: name } }).catch((e: Error) => ({
    success: false,
    id: null,
    errorMessage: e.message,
  }));
  for (const r of [got, del]) {
    assert.equal(r.success, false);
    assert.notEqual(r.id, desk.sys_id);
  }
  assert.equal(s.sim.store.rows('sys_user_group').length, 1, 'Service Desk is still there');
  for (const q of queries()) assert.equal(q.includes('^OR'), false, `sent ${q}`);
});
