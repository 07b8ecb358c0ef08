// Lookups against apps that answer the wrong thing (issue 8, items 1 and 6), through the library:
// an app that ignores the filter never gets another account changed, and an app that breaks on an
// escaped `"` in a filter is asked by the next lookup attribute.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import { startHostileServer } from '../servers/hostile-scim.js';
import type { ScimTestServer } from '../servers/scim-server.js';
import { startScimServer } from '../servers/scim-server.js';
import { create, newUser } from '../servers/scim-test-client.js';
import { startTrustServer } from '../servers/trust-scim.js';

interface Harness {
  iam: IamClient;
  warnings: string[];
}

const open: IamClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function client(server: ScimTestServer): Harness {
  const warnings: string[] = [];
  const iam = createIamClient({
    config: { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: server.token } } },
    env: {},
    onWarning: (m) => warnings.push(m),
  });
  open.push(iam);
  return { iam, warnings };
}

const userNamed = (server: ScimTestServer, userName: string) =>
  server.users().find((u) => String(u.userName).toLowerCase() === userName.toLowerCase());

const ignored = (warnings: readonly string[]) => warnings.filter((w) => /ignored the filter/.test(w));

describe('an app that answers a filtered lookup with every user', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startTrustServer({ kind: 'ignores-filter', answer: 'all' });
  });
  after(() => server.close());

  test('create-user bob creates bob; alice is never touched', async () => {
    server.reset();
    const aliceId = await create(server, '/Users', newUser('alice', { title: 'Engineer' }));
    const { iam, warnings } = client(server);
    const { vendor } = await iam.createUser('app', {
      userProfile: { username: 'bob', email: 'bob@example.com', title: 'Boss' },
    });
    assert.equal(vendor.action, 'create', vendor.errorMessage);
    assert.equal(vendor.success, true);
    assert.notEqual(vendor.id, aliceId);
    assert.equal(vendor.username, 'bob');
    assert.equal(userNamed(server, 'alice')?.title, 'Engineer', 'alice unchanged');
    assert.equal(userNamed(server, 'bob')?.id, vendor.id);
    const [warning, ...more] = ignored(warnings);
    assert.match(warning ?? '', /^instance "app": .*lookup by userName.*ignored the filter/);
    assert.equal(more.length, 0);
  });

  test('disable-user and get-user of a missing user do not fall on alice', async () => {
    server.reset();
    await create(server, '/Users', newUser('alice', { active: true }));
    const { iam } = client(server);
    const disabled = await iam.disableUser('app', { userProfile: { username: 'bob' } });
    assert.deepEqual([disabled.vendor.skipped, disabled.vendor.reason], [true, 'User does not exist']);
    assert.equal(userNamed(server, 'alice')?.active, true, 'alice still active');
    const got = await iam.getUser('app', { userProfile: { username: 'bob' } });
    assert.deepEqual([got.vendor.success, got.vendor.errorCode], [false, 404]);
  });

  test('of several answered, the one that matches (userName case-insensitively) is the account', async () => {
    server.reset();
    await create(server, '/Users', newUser('alice'));
    const bobId = await create(server, '/Users', newUser('Bob'));
    const { iam, warnings } = client(server);
    for (let i = 0; i < 3; i++) {
      const { vendor } = await iam.getUser('app', { userProfile: { username: 'bob' } });
      assert.deepEqual([vendor.success, vendor.id], [true, bobId]);
    }
    assert.equal(ignored(warnings).length, 1, 'warned once per instance, not per lookup');
  });

  test('two users matching is ambiguous, as before, naming both', async () => {
    server.reset();
    const a = await create(server, '/Users', newUser('ann', { emails: [{ value: 'team@example.com' }] }));
    const b = await create(server, '/Users', newUser('ben', { emails: [{ value: 'team@example.com' }] }));
    const { iam } = client(server);
    const { vendor } = await iam.getUser('app', { userProfile: { email: 'team@example.com' } });
    assert.equal(vendor.success, false);
    assert.ok(vendor.errorMessage.includes(a) && vendor.errorMessage.includes(b), vendor.errorMessage);
  });
});

describe('an app that answers a filtered lookup with its first user', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startTrustServer({ kind: 'ignores-filter', answer: 'first' });
  });
  after(() => server.close());

  test('update-user bob never writes to alice; the conflict is reported', async () => {
    await create(server, '/Users', newUser('alice', { title: 'Engineer' }));
    await create(server, '/Users', newUser('bob'));
    const { iam, warnings } = client(server);
    const { vendor } = await iam.updateUser('app', { userProfile: { username: 'bob', title: 'Boss' } });
    assert.equal(vendor.success, false);
    assert.equal(vendor.errorCode, 409, vendor.errorMessage);
    assert.equal(userNamed(server, 'alice')?.title, 'Engineer');
    assert.equal(server.requests.filter((r) => r.method === 'PATCH' || r.method === 'PUT').length, 0);
    assert.equal(ignored(warnings).length, 1);
  });

  test('get-group by displayName does not answer with another group', async () => {
    server.reset();
    const { iam, warnings } = client(server);
    await iam.createGroup('app', { scim: { displayName: 'Ops' } });
    const got = await iam.getGroup('app', { scim: { displayName: 'Eng' } });
    assert.deepEqual([got.success, got.errorCode, got.errorMessage], [false, 404, 'Group Not Found']);
    assert.match(ignored(warnings)[0] ?? '', /group lookup by displayName/);
  });
});

test('an app that answers GET /Users/{id} with another account: not found, nothing sent to it', async () => {
  const app = await startHostileServer(() => ({
    kind: 'json',
    body: { id: 'someone-else', userName: 'alice', active: true },
  }));
  after(() => app.close());
  const { iam, warnings } = client({ url: app.url, token: 't' } as ScimTestServer);
  const { vendor } = await iam.disableUser('app', { userProfile: { id: 'u-1' } });
  assert.deepEqual([vendor.skipped, vendor.reason], [true, 'User does not exist']);
  assert.deepEqual(
    app.requests.map((r) => `${r.method} ${r.path}`),
    ['GET Users/u-1'],
  );
  assert.match(warnings.join('\n'), /user lookup by id .*ignored the id in the path/);
});

describe('an app that answers 500 to a filter carrying an escaped quote', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startTrustServer({ kind: 'escaped-500' });
  });
  after(() => server.close());

  test('create-user o"brien falls back to the email lookup and creates the account', async () => {
    server.reset();
    const { iam } = client(server);
    const profile = { username: 'o"brien', email: 'obrien@example.com', givenname: 'Pat' };
    const { vendor } = await iam.createUser('app', { userProfile: profile });
    assert.deepEqual([vendor.action, vendor.success], ['create', true], vendor.errorMessage);
    assert.equal(userNamed(server, 'o"brien')?.id, vendor.id);
    const gets = server.requests.filter((r) => r.method === 'GET').map((r) => [r.query.filter, r.status]);
    assert.deepEqual(gets, [
      ['userName eq "o\\"brien"', 500],
      ['emails.value eq "obrien@example.com"', 200],
    ]);
    // Found again the same way: a second create becomes an update of the same account.
    const again = await iam.createUser('app', { userProfile: { ...profile, givenname: 'Patricia' } });
    assert.deepEqual(
      [again.vendor.action, again.vendor.success, again.vendor.id],
      ['update', true, vendor.id],
    );
  });

  test('with no other lookup attribute, the refusal is reported with its status', async () => {
    server.reset();
    const { iam } = client(server);
    const { vendor } = await iam.getUser('app', { userProfile: { username: 'o"brien' } });
    assert.equal(vendor.success, false);
    assert.equal(vendor.errorCode, 500);
    assert.match(vendor.errorMessage, /rejected the filter looking up userName "o\\"brien"/);
  });
});

describe('a 409 on create looks the account up by every lookup attribute', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimServer();
  });
  after(() => server.close());

  test('a stale id in the profile: the conflicting account is found by userName and updated', async () => {
    const id = await create(server, '/Users', newUser('carol', { title: 'Old' }));
    const { iam } = client(server);
    const { vendor } = await iam.createUser('app', {
      userProfile: { id: 'gone-0000', username: 'carol', title: 'New' },
    });
    assert.deepEqual([vendor.action, vendor.success, vendor.id], ['update', true, id], vendor.errorMessage);
    assert.equal(userNamed(server, 'carol')?.title, 'New');
  });
});
