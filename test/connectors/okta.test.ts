// The Okta connector on the Okta simulator (test/servers/okta/): the status table, enable and
// disable through the lifecycle operations, delete = deactivate then delete, lookups through an
// escaped search, ambiguity left to the core, paging through the Link header, and Okta's error
// bodies as one-line messages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OKTA_STATUS_ACTIVE } from '../../src/connectors/okta/account.js';
import { AppError, ConflictError, NotFoundError, RateLimitedError } from '../../src/core/errors.js';
import type { Status } from '../servers/okta/store.js';
import { type OktaHarness, seed, startOkta } from './okta-support.js';

let h: OktaHarness;
before(async () => {
  h = await startOkta();
});
after(() => h.close());

const api = () =>
  h.sim.requests.filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);

test('each Okta status reads as the table says, and the raw status is in the account', async () => {
  const expected: Record<Status, boolean> = {
    STAGED: false,
    PROVISIONED: true,
    ACTIVE: true,
    RECOVERY: true,
    PASSWORD_EXPIRED: true,
    LOCKED_OUT: true,
    SUSPENDED: false,
    DEPROVISIONED: false,
  };
  assert.deepEqual(OKTA_STATUS_ACTIVE, expected);
  for (const [status, active] of Object.entries(expected) as [Status, boolean][]) {
    const u = seed(h.sim, status);
    const account = await h.okta.getUser?.(u.id);
    assert.equal(account?.active, active, status);
    assert.equal(account?.raw.status, status);
  }
});

test('enable: STAGED and DEPROVISIONED users are activated, a SUSPENDED one is unsuspended', async () => {
  for (const [status, op, after] of [
    ['STAGED', 'activate', 'PROVISIONED'],
    ['DEPROVISIONED', 'activate', 'PROVISIONED'],
    ['SUSPENDED', 'unsuspend', 'ACTIVE'],
  ] as const) {
    const u = seed(h.sim, status);
    const account = await h.okta.getUser?.(u.id);
    assert.ok(account);
    h.sim.requests.length = 0;
    const enabled = await h.okta.setActive?.(account, true);
    assert.equal(enabled?.active, true, status);
    assert.equal(enabled?.raw.status, after);
    assert.deepEqual(api(), [`POST /api/v1/users/${u.id}/lifecycle/${op}`, `GET /api/v1/users/${u.id}`]);
  }
});

test('disable deactivates; delete deactivates first, then deletes (Okta deletes only a DEPROVISIONED user)', async () => {
  const u = seed(h.sim, 'ACTIVE');
  const account = await h.okta.getUser?.(u.id);
  assert.ok(account);
  const disabled = await h.okta.setActive?.(account, false);
  assert.deepEqual([disabled?.active, disabled?.raw.status], [false, 'DEPROVISIONED']);

  const v = seed(h.sim, 'ACTIVE');
  const live = await h.okta.getUser?.(v.id);
  assert.ok(live);
  h.sim.requests.length = 0;
  assert.deepEqual(await h.okta.deleteUser?.(live), { details: { deactivated: true } });
  assert.deepEqual(api(), [
    `POST /api/v1/users/${v.id}/lifecycle/deactivate`,
    `DELETE /api/v1/users/${v.id}`,
  ]);
  assert.equal(h.sim.store.users.has(v.id), false, 'gone, not only deactivated');
  // Already deactivated: one DELETE.
  h.sim.requests.length = 0;
  assert.deepEqual(await h.okta.deleteUser?.(disabled ?? account), { details: { deactivated: false } });
  assert.deepEqual(api(), [`DELETE /api/v1/users/${u.id}`]);
  assert.equal(h.sim.store.users.has(u.id), false);
});

test('create with activate=false is STAGED, with activate=true PROVISIONED (ACTIVE with a password)', async () => {
  const profile = (k: string) => ({
    login: `${k}@example.com`,
    email: `${k}@example.com`,
    firstName: 'A',
    lastName: 'B',
  });
  const staged = await h.okta.createUser?.(profile('staged'), { active: false });
  assert.deepEqual([staged?.active, staged?.raw.status], [false, 'STAGED']);
  assert.equal(h.sim.requests.at(-1)?.query.activate, 'false');
  const prov = await h.okta.createUser?.(profile('prov'), { active: true });
  assert.deepEqual([prov?.active, prov?.raw.status], [true, 'PROVISIONED']);
  const withPw = await h.okta.createUser?.(
    { ...profile('pw'), password: 'Correct-Horse-9' },
    { active: true },
  );
  assert.deepEqual([withPw?.active, withPw?.raw.status], [true, 'ACTIVE']);
  assert.equal(
    JSON.stringify(withPw?.raw).includes('Correct-Horse-9'),
    false,
    'the password is never read back',
  );
  assert.deepEqual((h.sim.requests.at(-1)?.body as { credentials?: unknown } | undefined)?.credentials, {
    password: { value: 'Correct-Horse-9' },
  });
});

test('update is a partial profile POST of the changed properties only', async () => {
  const u = seed(h.sim, 'ACTIVE', { title: 'Engineer', department: 'R&D' });
  const account = await h.okta.getUser?.(u.id);
  assert.ok(account);
  h.sim.requests.length = 0;
  const r = await h.okta.updateUser?.(account, { login: u.profile.login, title: 'CTO', department: 'R&D' });
  assert.deepEqual(r?.changed, ['title']);
  assert.deepEqual(
    h.sim.requests.map((q) => [q.method, q.path, q.body]),
    [['POST', `/api/v1/users/${u.id}`, { profile: { title: 'CTO' } }]],
  );
  assert.equal(h.sim.store.users.get(u.id)?.profile.department, 'R&D', 'the rest of the profile stays');
});

test('a login holding " and \\ is searched with an escaped expression and found exactly', async () => {
  const login = 'o"brien\\x@example.com';
  h.sim.store.seedUser({ login, email: 'ob@example.com', firstName: 'O', lastName: 'B' });
  h.sim.store.seedUser({
    login: 'obrien@example.com',
    email: 'ob2@example.com',
    firstName: 'O',
    lastName: 'B',
  });
  h.sim.requests.length = 0;
  const found = await h.okta.findUsers?.({ attribute: 'login', value: login });
  assert.deepEqual(
    found?.map((a) => a.username),
    [login],
  );
  assert.equal(h.sim.requests[0]?.query.search, 'profile.login eq "o\\"brien\\\\x@example.com"');
});

test('two users with one email are both returned (the core calls it ambiguous)', async () => {
  const a = seed(h.sim, 'ACTIVE', { email: 'shared@example.com' });
  const b = seed(h.sim, 'STAGED', { email: 'shared@example.com' });
  const found = await h.okta.findUsers?.({ attribute: 'email', value: 'shared@example.com' });
  assert.deepEqual(found?.map((x) => x.id).sort(), [a.id, b.id].sort());
});

test('getUser by a login in the id place is not found (Okta reads a login there too)', async () => {
  const u = seed(h.sim);
  assert.equal(await h.okta.getUser?.(String(u.profile.login)), null);
  assert.equal(await h.okta.getUser?.('00unosuchuser0000000'), null);
});

test('paging follows Link rel="next": listUsers and group members beyond one page', async () => {
  h.sim.reset();
  for (let i = 0; i < 5; i++) seed(h.sim, 'ACTIVE');
  const gone = seed(h.sim, 'DEPROVISIONED');
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await h.okta.listUsers?.({ limit: 2, ...(cursor ? { cursor } : {}) });
    ids.push(...(page?.items.map((a) => a.id) ?? []));
    cursor = page?.cursor;
    pages += 1;
  } while (cursor && pages < 20);
  assert.equal(ids.length, 6, 'the deactivated user too');
  assert.ok(ids.includes(gone.id));
  assert.ok(
    h.sim.requests.some((r) => r.query.after),
    'an after cursor was followed',
  );

  const group = await h.okta.createGroup?.({ displayName: 'Big' });
  assert.ok(group);
  const members = Array.from({ length: 205 }, () => seed(h.sim).id);
  await h.okta.changeMembers?.(group.id, { op: 'add', ids: members });
  const got = await h.okta.getGroup?.(group.id, { includeMembers: true });
  assert.equal(got?.members?.length, 205);
});

test('Okta error bodies become one-line errors of the right kind', async () => {
  const u = seed(h.sim);
  await assert.rejects(
    h.okta.createUser?.(
      { login: u.profile.login, email: 'x@example.com', firstName: 'A', lastName: 'B' },
      { active: true },
    ) ?? Promise.reject(new Error('no createUser')),
    (e: unknown) =>
      e instanceof ConflictError &&
      e.status === 409 &&
      e.vendorCode === 'E0000001' &&
      e.message.includes('An object with this field already exists') &&
      !e.message.includes('\n'),
  );
  await assert.rejects(
    h.okta.createUser?.(
      { login: 'nofirst@example.com', email: 'nofirst@example.com', lastName: 'B' },
      { active: true },
    ) ?? Promise.reject(new Error('no createUser')),
    (e: unknown) =>
      e instanceof AppError &&
      !(e instanceof ConflictError) &&
      /firstName: The field cannot be left blank/.test(e.message),
  );
  const group = await h.okta.createGroup?.({ displayName: 'Members' });
  assert.ok(group);
  await assert.rejects(
    h.okta.changeMembers?.(group.id, { op: 'add', ids: ['00unosuchuser0000000'] }) ??
      Promise.reject(new Error('x')),
    (e: unknown) =>
      e instanceof AppError &&
      !(e instanceof NotFoundError) &&
      /member 00unosuchuser0000000 does not exist/.test(e.message),
    'a missing member is not the group being gone',
  );
  await assert.rejects(
    h.okta.changeMembers?.('00gnosuchgroup000000', { op: 'add', ids: [u.id] }) ??
      Promise.reject(new Error('x')),
    NotFoundError,
  );
});

test('a lifecycle call the status forbids (403 E0000016) is not read as a credentials problem', async () => {
  const u = seed(h.sim, 'ACTIVE');
  const account = await h.okta.getUser?.(u.id);
  assert.ok(account);
  await assert.rejects(
    h.okta.setActive?.({ ...account, raw: { ...account.raw, status: 'STAGED' } }, true) ??
      Promise.reject(new Error('x')),
    (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.vendorCode, 'E0000016');
      assert.match(e.message, /Activation failed because the user is already active \[E0000016\]$/);
      assert.doesNotMatch(e.message, /check the credentials/);
      return true;
    },
  );
});

test('a wrong API token is E0000011, an auth error that says what to check', async () => {
  const bad = await startOkta({ settings: { token: 'not-the-token' } });
  try {
    await assert.rejects(
      bad.okta.getUser?.('00u1') ?? Promise.reject(new Error('x')),
      (e: unknown) =>
        e instanceof AppError &&
        e.vendorCode === 'E0000011' &&
        /Invalid token provided/.test(e.message) &&
        /SSWS/.test(e.message),
    );
  } finally {
    await bad.close();
  }
});

test('a 429 (E0000047) is a rate-limited error naming when Okta takes requests again', async () => {
  const limited = await startOkta({
    sim: { rateLimits: { users: 1, user: 1, groups: 1 }, windowMs: 60_000 },
    transport: { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
  });
  try {
    const u = seed(limited.sim);
    await limited.okta.getUser?.(u.id);
    // The window's quota is used up; with pauses capped at 1 ms the next request goes and earns
    // Okta's 429, which reads as a rate-limited error with Okta's words and the reset time.
    await assert.rejects(
      limited.okta.getUser?.(u.id) ?? Promise.reject(new Error('x')),
      (e: unknown) =>
        e instanceof RateLimitedError &&
        e.message.includes('API call exceeded rate limit due to too many requests. [E0000047]') &&
        e.message.includes('takes requests again at'),
    );
  } finally {
    await limited.close();
  }
});

test('OAuth service app: a client assertion signed with the private key gets a scoped token', async () => {
  const o = await startOkta({ auth: 'oauth' });
  try {
    const u = seed(o.sim);
    assert.equal((await o.okta.getUser?.(u.id))?.id, u.id);
    const grant = o.sim.requests.find((r) => r.path === '/oauth2/v1/token');
    const form = new URLSearchParams(String(grant?.body ?? ''));
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'okta.users.manage okta.groups.manage');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(form.get('client_secret'), null);
    const api = o.sim.requests.find((r) => r.path.startsWith('/api/v1/'));
    assert.match(String(api?.headers.authorization), /^Bearer /);
    assert.ok(o.reported.length >= 2, 'the assertion and the access token were reported as secrets');
  } finally {
    await o.close();
  }
});

test('OAuth: a key Okta does not know is refused at the token endpoint with what to check', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  const o = await startOkta({ auth: 'oauth', settings: { privateKey: String(other) } });
  try {
    await assert.rejects(o.okta.getUser?.('00u1') ?? Promise.reject(new Error('x')), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /invalid_client/);
      assert.match(e.message, /signature is invalid/);
      assert.equal(e.message.includes('PRIVATE KEY'), false);
      return true;
    });
  } finally {
    await o.close();
  }
});
