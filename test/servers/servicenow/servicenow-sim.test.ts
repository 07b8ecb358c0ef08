// The ServiceNow simulator against its reference (README.md): the encoded-query operators (^, ^OR,
// ^NQ, ORDERBY, IN, invalid parts ignored), the Table API's paging (sysparm_limit/offset, Link,
// X-Total-Count), sysparm_fields and reference links, its error bodies, OAuth and the rate limit rule.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { select } from './encoded-query.js';
import { ABEL_TUTER, NO_RECORD, NOT_AUTHENTICATED, OAUTH_DENIED } from './fixtures.js';
import { type SnowSimulator, startServiceNowSimulator } from './server.js';

const FIELDS = new Set(['user_name', 'email', 'active', 'title']);
const ROWS = [
  { user_name: 'ann', email: 'ann@example.com', active: 'true', title: 'b' },
  { user_name: 'bob', email: 'bob@example.com', active: 'false', title: 'a' },
  { user_name: 'admin', email: 'admin@example.com', active: 'true', title: 'c' },
];
const names = (q: string, invalidNoRows = false) =>
  select(ROWS, q, FIELDS, invalidNoRows).map((r) => r.user_name);

test('encoded query: ^ is AND, ^OR binds to its neighbours, ^NQ adds a new query', () => {
  assert.deepEqual(names('active=true^user_name=ann'), ['ann']);
  assert.deepEqual(names('user_name=ann^ORuser_name=bob'), ['ann', 'bob']);
  assert.deepEqual(names('active=false^user_name=ann^ORuser_name=admin'), []);
  assert.deepEqual(names('user_name=nobody^NQactive=true'), ['ann', 'admin']);
  // A value holding ^OR is two conditions: what a client must never send.
  assert.deepEqual(names('user_name=nobody^ORuser_name=admin'), ['admin']);
});

test('encoded query: = compares the whole value (ignoring case); , lists only after IN; ORDERBY sorts', () => {
  assert.deepEqual(names('user_name=ANN'), ['ann']);
  assert.deepEqual(names('user_name=ann,bob'), []);
  assert.deepEqual(names('user_nameINann,bob'), ['ann', 'bob']);
  assert.deepEqual(names('user_name=ann=bob'), []);
  assert.deepEqual(names('user_nameSTARTSWITHa^ORDERBYDESCuser_name'), ['ann', 'admin']);
  assert.deepEqual(names('active=true^ORDERBYtitle'), ['ann', 'admin']);
});

test('encoded query: an unknown field is ignored (the rest applies) unless invalid queries return no rows', () => {
  assert.deepEqual(names('nosuchfield=x'), ['ann', 'bob', 'admin']);
  assert.deepEqual(names('nosuchfield=x^active=false'), ['bob']);
  assert.deepEqual(names('nosuchfield=x', true), []);
});

let sim: SnowSimulator;
let auth: string;
before(async () => {
  sim = await startServiceNowSimulator();
  auth = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`;
});
after(() => sim.close());
const get = (path: string, headers: Record<string, string> = { authorization: auth }) =>
  fetch(`${sim.url}/api/now/table/${path}`, { headers });

test('GET a record that does not exist: 404 with the reference example body; no credentials: 401', async () => {
  const r = await get('sys_user/0123456789abcdef0123456789abcdef');
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), NO_RECORD);
  const anon = await get('sys_user', {});
  assert.equal(anon.status, 401);
  assert.deepEqual(await anon.json(), NOT_AUTHENTICATED);
});

test('paging: sysparm_limit/offset, X-Total-Count and a Link header with first, prev, next, last', async () => {
  sim.reset();
  for (let i = 0; i < 5; i++) sim.store.insert('sys_user', { user_name: `u${i}` });
  const r = await get('sys_user?sysparm_limit=2&sysparm_offset=2&sysparm_fields=user_name');
  assert.equal(r.headers.get('x-total-count'), '5');
  const link = r.headers.get('link') ?? '';
  for (const [rel, offset] of [
    ['first', 0],
    ['prev', 0],
    ['next', 4],
    ['last', 4],
  ] as const)
    assert.match(link, new RegExp(`sysparm_offset=${offset}&[^>]*>;rel="${rel}"`));
  assert.deepEqual(await r.json(), { result: [{ user_name: 'u2' }, { user_name: 'u3' }] });
  const one = await get('sys_user?sysparm_limit=10');
  assert.equal(one.headers.get('link'), null, 'one page: no Link header');
});

test('sysparm_fields and reference links: {link, value} unless sysparm_exclude_reference_link=true', async () => {
  sim.reset();
  const u = sim.store.insert('sys_user', ABEL_TUTER, ABEL_TUTER.sys_id);
  const g = sim.store.insert('sys_user_group', { name: 'Service Desk' });
  const m = sim.store.insert('sys_user_grmember', { user: u.sys_id, group: g.sys_id });
  const linked = (await (await get(`sys_user_grmember/${m.sys_id}?sysparm_fields=user`)).json()) as {
    result: { user: { link: string; value: string } };
  };
  assert.deepEqual(linked.result.user, {
    link: `${sim.url}/api/now/table/sys_user/${u.sys_id}`,
    value: u.sys_id,
  });
  const plain = await get(
    `sys_user_grmember/${m.sys_id}?sysparm_fields=user&sysparm_exclude_reference_link=true`,
  );
  assert.deepEqual(await plain.json(), { result: { user: u.sys_id } });
  const user = (await (await get(`sys_user/${u.sys_id}`)).json()) as { result: Record<string, string> };
  assert.equal(user.result.name, 'Abel Tuter');
  assert.equal('user_password' in user.result, false, 'a password field is never read back');
});

test('OAuth: client_credentials at /oauth_token.do (form only); a bad secret is access_denied', async () => {
  const token = (form: Record<string, string>, type = 'application/x-www-form-urlencoded') =>
    fetch(`${sim.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: type.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
    });
  const { clientId, clientSecret } = sim.credentials;
  const ok = await token({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  const body = (await ok.json()) as { access_token: string; token_type: string };
  assert.equal(body.token_type, 'Bearer');
  assert.equal((await get('sys_user', { authorization: `Bearer ${body.access_token}` })).status, 200);
  const bad = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope' });
  assert.deepEqual([bad.status, await bad.json()], [401, OAUTH_DENIED]);
  const json = await token(
    { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    'application/json',
  );
  assert.equal(json.status, 400);
});

test('a rate limit rule: X-RateLimit-Limit/Reset/Rule on answers, then 429 with Retry-After', async () => {
  const limited = await startServiceNowSimulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
  try {
    const basic = `Basic ${Buffer.from(`${limited.credentials.username}:${limited.credentials.password}`).toString('base64')}`;
    const call = () => fetch(`${limited.url}/api/now/table/sys_user`, { headers: { authorization: basic } });
    const first = await call();
    assert.equal(first.headers.get('x-ratelimit-limit'), '2');
    assert.match(first.headers.get('x-ratelimit-reset') ?? '', /^\d{10}$/);
    await call();
    const refused = await call();
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    const body = (await refused.json()) as { status: string; error: { message: string } };
    assert.equal(body.status, 'failure');
  } finally {
    await limited.close();
  }
});
