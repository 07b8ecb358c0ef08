// Proves the loopback SCIM servers behave as SCIM 2.0 (and AWS IAM Identity Center) say, over real
// HTTP with fetch, so connector tests can trust them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startAwsIlmServer } from './aws-ilm-server.js';
import { startScimServer } from './scim-server.js';
import {
  assertScimError,
  type Body,
  call,
  create,
  ENTERPRISE,
  ERROR,
  filter,
  GROUP,
  idsOf,
  membersOf,
  newUser,
  patch,
  type Server,
} from './scim-test-client.js';

const scim = await startScimServer();
const noPatch = await startScimServer({ patch: false, token: 'other-token', basePath: '/api/scim/' });
const aws = await startAwsIlmServer({ tenantId: 'tenant-123' });
after(() => Promise.all([scim.close(), noPatch.close(), aws.close()]));
const get = (path: string, server: Server = scim) => call(server, 'GET', path);

test('users: create, get, filter, patch, put and delete over HTTP', async () => {
  scim.reset();
  const alice = newUser('alice', { active: true, [ENTERPRISE]: { department: 'R&D' } });
  const created = await call(scim, 'POST', '/Users', alice);
  const id = String(created.body.id);
  assert.equal(created.status, 201);
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(created.headers.get('content-type'), 'application/scim+json; charset=utf-8');
  assert.equal(created.headers.get('location'), `${scim.url}/Users/${id}`);
  assert.deepEqual(created.body.meta?.location, `${scim.url}/Users/${id}`);
  assert.deepEqual(
    [created.body.meta?.resourceType, created.body[ENTERPRISE]],
    ['User', { department: 'R&D' }],
  );
  assert.equal((await get(`/Users/${id}`)).body.userName, 'alice');
  const found = await get(`/Users${filter('userName eq "ALICE"')}`); // userName is caseExact false
  assert.deepEqual([found.body.totalResults, idsOf(found.body)], [1, [id]]);
  const disabled = await patch(scim, `/Users/${id}`, { op: 'replace', path: 'active', value: false });
  assert.deepEqual([disabled.status, disabled.body.active], [200, false]);
  assert.equal(scim.users()[0]?.active, false); // stored as a boolean
  const put = await call(scim, 'PUT', `/Users/${id}`, newUser('alice2', { displayName: 'Alice' }));
  assert.deepEqual([put.status, put.body.userName, put.body.active], [200, 'alice2', undefined]);
  assert.equal(put.body.meta?.created, created.body.meta?.created);
  assert.equal((await call(scim, 'DELETE', `/Users/${id}`)).status, 204);
  assertScimError(await get(`/Users/${id}`), 404);
  assert.deepEqual(scim.users(), []);
});

test('filters: escaped quotes and backslashes, emails.value, displayName, bad syntax', async () => {
  scim.reset();
  const emails = [{ value: 'Ob@Example.com', primary: true }];
  const odd = await create(scim, '/Users', newUser('o"brien\\x', { emails }));
  await create(scim, '/Users', newUser('plain'));
  assert.deepEqual(idsOf((await get(`/Users${filter('userName eq "o\\"brien\\\\x"')}`)).body), [odd]);
  assert.deepEqual(idsOf((await get(`/Users${filter('emails.value eq "ob@example.com"')}`)).body), [odd]);
  const none = await get(`/Users${filter('userName eq "o\\"brien"')}`);
  assert.deepEqual([none.status, none.body.totalResults, none.body.Resources], [200, 0, []]);
  const group = await create(scim, '/Groups', { schemas: [GROUP], displayName: 'Ops "A"' });
  assert.deepEqual(idsOf((await get(`/Groups${filter('displayName eq "ops \\"a\\""')}`)).body), [group]);
  assertScimError(await get(`/Users${filter('userName eq "x')}`), 400, 'invalidFilter');
  assertScimError(await get(`/Users${filter('userName zz "x"')}`), 400, 'invalidFilter');
});

test('paging with startIndex and count', async () => {
  scim.reset();
  for (const n of [1, 2, 3, 4, 5]) await create(scim, '/Users', newUser(`user${n}`));
  const page = (await get('/Users?startIndex=2&count=2&sortBy=userName')).body;
  assert.deepEqual([page.startIndex, page.itemsPerPage, page.totalResults], [2, 2, 5]);
  assert.deepEqual(
    page.Resources?.map((u) => u.userName),
    ['user2', 'user3'],
  );
  const last = (await get('/Users?startIndex=5&count=2&sortBy=userName')).body;
  assert.deepEqual(
    last.Resources?.map((u) => u.userName),
    ['user5'],
  );
  const past = (await get('/Users?startIndex=6&count=2')).body;
  assert.deepEqual([past.Resources, past.totalResults], [[], 5]);
});

test('types are strict: a boolean sent as "False" is rejected', async () => {
  scim.reset();
  const bad = await call(scim, 'POST', '/Users', newUser('bob', { active: 'False' }));
  assertScimError(bad, 400, 'invalidValue');
  const id = await create(scim, '/Users', newUser('bob', { active: true }));
  const patched = await patch(scim, `/Users/${id}`, { op: 'replace', value: { active: 'False' } });
  assertScimError(patched, 400, 'invalidValue');
  assert.equal(scim.users()[0]?.active, true);
});

test('userName is unique (409 uniqueness), also on rename', async () => {
  scim.reset();
  await create(scim, '/Users', newUser('carol'));
  assertScimError(await call(scim, 'POST', '/Users', newUser('Carol')), 409, 'uniqueness');
  const dave = await create(scim, '/Users', newUser('dave'));
  assertScimError(await call(scim, 'PUT', `/Users/${dave}`, newUser('carol')), 409, 'uniqueness');
  const rename = await patch(scim, `/Users/${dave}`, { op: 'replace', path: 'userName', value: 'carol' });
  assertScimError(rename, 409, 'uniqueness');
});

test('missing ids answer 404 with a SCIM error body; no token answers 401', async () => {
  scim.reset();
  const missing = '00000000-0000-4000-8000-000000000000';
  assertScimError(await get(`/Users/${missing}`), 404);
  assertScimError(await call(scim, 'PUT', `/Users/${missing}`, newUser('x')), 404);
  assertScimError(
    await patch(scim, `/Groups/${missing}`, { op: 'replace', path: 'displayName', value: 'y' }),
    404,
  );
  assertScimError(await call(scim, 'DELETE', `/Groups/${missing}`), 404);
  assertScimError(await call(scim, 'GET', '/Users', undefined, ''), 401);
  assertScimError(await call(scim, 'GET', '/Users', undefined, 'wrong'), 401);
});

test('groups: members stored and returned, PATCH add and members[value eq] remove', async () => {
  scim.reset();
  const users: string[] = [];
  for (const name of ['m1', 'm2', 'm3']) users.push(await create(scim, '/Users', newUser(name)));
  const [a = '', b = '', c = ''] = users;
  const group = await create(scim, '/Groups', {
    schemas: [GROUP],
    displayName: 'team',
    members: [{ value: a }],
  });
  const added = await patch(scim, `/Groups/${group}`, {
    op: 'add',
    path: 'members',
    value: [{ value: b }, { value: c }, { value: a }],
  });
  assert.deepEqual([added.status, membersOf(added.body)], [200, [a, b, c]]); // de-duplicated
  const first = { value: a, display: 'm1', $ref: `${scim.url}/Users/${a}`, type: 'User' };
  assert.deepEqual(added.body.members?.[0], first);
  const removed = await patch(scim, `/Groups/${group}`, { op: 'remove', path: `members[value eq "${b}"]` });
  assert.deepEqual(membersOf(removed.body), [a, c]);
  assert.deepEqual(membersOf((await get(`/Groups/${group}`)).body), [a, c]);
  assert.deepEqual(
    (await get(`/Users/${a}`)).body.groups?.map((g) => g.value),
    [group],
  );
  const unknown = { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] };
  assertScimError(await patch(scim, `/Groups/${group}`, unknown), 400, 'invalidValue');
  await call(scim, 'DELETE', `/Users/${a}`); // memberships of a deleted user go too
  assert.deepEqual(membersOf(scim.groups()[0] as Body), [c]);
});

test('ServiceProviderConfig advertises PATCH; patch:false says unsupported and rejects PATCH', async () => {
  assert.equal((await get('/ServiceProviderConfig')).body.patch?.supported, true);
  assert.equal(noPatch.url.endsWith('/api/scim'), true);
  const off = await get('/ServiceProviderConfig', noPatch);
  assert.deepEqual([off.status, off.body.patch?.supported], [200, false]);
  const id = await create(noPatch, '/Users', newUser('erin', { active: true }));
  const patched = await patch(noPatch, `/Users/${id}`, { op: 'replace', path: 'active', value: false });
  assert.ok([405, 501].includes(patched.status));
  assert.deepEqual(patched.body.schemas, [ERROR]);
  const put = await call(noPatch, 'PUT', `/Users/${id}`, newUser('erin', { active: false }));
  assert.deepEqual([put.status, put.body.active], [200, false]);
});

test('two servers in one process do not share users', async () => {
  scim.reset();
  noPatch.reset();
  const [a, b] = await Promise.all([
    create(scim, '/Users', newUser('same')),
    create(noPatch, '/Users', newUser('same')),
  ]);
  assert.notEqual(a, b);
  assert.deepEqual([scim.users().map((u) => u.id), noPatch.users().map((u) => u.id)], [[a], [b]]);
  assertScimError(await get(`/Users/${a}`, noPatch), 404);
  assert.equal((await get(`/Users/${b}`, noPatch)).body.meta?.location, `${noPatch.url}/Users/${b}`);
});

test('the request log records what the client sent and the status answered', async () => {
  scim.reset();
  await call(scim, 'POST', '/Users', newUser('logged'));
  await get(`/Users${filter('userName eq "logged"')}&count=5`);
  const [post, list] = scim.requests;
  assert.deepEqual([post?.method, post?.path, post?.status], ['POST', '/scim/v2/Users', 201]);
  assert.deepEqual(post?.body, newUser('logged'));
  assert.deepEqual([list?.method, list?.status], ['GET', 200]);
  assert.deepEqual(list?.query, { filter: 'userName eq "logged"', count: '5' });
  assert.equal(list?.headers.authorization, `Bearer ${scim.token}`);
  scim.reset();
  assert.deepEqual([scim.requests.length, scim.users().length], [0, 0]);
});

const awsUser = (userName: string, extra: Record<string, unknown> = {}) =>
  newUser(userName, { displayName: userName, name: { givenName: 'G', familyName: 'F' }, ...extra });

test('AWS: tenant URL, bearer token, lookups by userName eq', async () => {
  aws.reset();
  assert.equal(aws.url, `${aws.baseUrl}/tenant-123/scim/v2`);
  const id = await create(
    aws,
    '/Users',
    awsUser('ann@x.io', { emails: [{ value: 'ann@x.io', primary: true }] }),
  );
  assert.deepEqual(idsOf((await get(`/Users${filter('userName eq "ann@x.io"')}`, aws)).body), [id]);
  assertScimError(await call(aws, 'GET', '/Users', undefined, ''), 401);
  assertScimError(await get('/Users', { url: `${aws.baseUrl}/other/scim/v2`, token: aws.token }), 401);
  const last = aws.requests.at(-1);
  assert.deepEqual([last?.method, last?.path, last?.status], ['GET', '/other/scim/v2/Users', 401]);
});

test('AWS: startIndex and non-eq or unsupported filters are rejected with 400', async () => {
  assertScimError(await get('/Users?startIndex=1&count=10', aws), 400);
  assertScimError(await get('/Groups?startIndex=2', aws), 400);
  assertScimError(await get(`/Users${filter('userName co "ann"')}`, aws), 400);
  assertScimError(await get(`/Users${filter('emails.value eq "ann@x.io"')}`, aws), 400);
  assertScimError(await get(`/Groups${filter('displayName sw "x"')}`, aws), 400);
  assertScimError(await get(`/Users${filter('userName eq "a" or userName eq "b"')}`, aws), 400);
  assert.equal((await get(`/Groups${filter('displayName eq "x"')}`, aws)).status, 200);
  assert.equal(aws.requests.at(-2)?.query.filter, 'userName eq "a" or userName eq "b"');
});

test('AWS: one primary email only; name fields required on create', async () => {
  aws.reset();
  const two = [{ value: 'a@x.io', primary: true }, { value: 'b@x.io' }];
  assertScimError(await call(aws, 'POST', '/Users', awsUser('bo', { emails: two })), 400);
  assertScimError(await call(aws, 'POST', '/Users', awsUser('bo', { emails: [{ value: 'a@x.io' }] })), 400);
  assertScimError(await call(aws, 'POST', '/Users', newUser('noname')), 400);
  assert.deepEqual(aws.users(), []);
});

test('AWS: group reads carry no members; more than 100 member changes are rejected', async () => {
  aws.reset();
  const ids: string[] = [];
  for (let n = 0; n < 101; n++) ids.push(await create(aws, '/Users', awsUser(`u${n}`)));
  const members = (from: number, to?: number) => ids.slice(from, to).map((value) => ({ value }));
  const group = await create(aws, '/Groups', { schemas: [GROUP], displayName: 'big' });
  const path = `/Groups/${group}`;
  assertScimError(await patch(aws, path, { op: 'add', path: 'members', value: members(0) }), 400);
  const split = [
    { op: 'add', path: 'members', value: members(0, 60) },
    { op: 'add', path: 'members', value: members(60) },
  ];
  assertScimError(await patch(aws, path, ...split), 400); // counted across operations
  const hundred = await patch(aws, path, { op: 'add', path: 'members', value: members(0, 100) });
  assert.ok([200, 204].includes(hundred.status));
  const removed = await patch(aws, path, { op: 'remove', path: `members[value eq "${ids[0]}"]` });
  assert.ok([200, 204].includes(removed.status));
  assert.equal(membersOf(aws.groups()[0] as Body)?.length, 99);
  const single = await get(path, aws);
  assert.deepEqual([single.status, single.body.displayName, 'members' in single.body], [200, 'big', false]);
  const list = await get(`/Groups${filter('displayName eq "big"')}`, aws);
  assert.deepEqual([list.body.totalResults, 'members' in (list.body.Resources?.[0] ?? {})], [1, false]);
  assertScimError(await patch(aws, path, { op: 'remove', path: 'members' }), 400); // "remove all"
});
