// Writes that must say what is true (issue 8, items 2, 3 and 5), through the library: an update
// keeps the typed values the profile does not speak of (RFC-strict PATCH, PUT, AWS single values),
// a 404 nobody SCIM answered is a configuration error naming the URL, and a 201 without an id is
// read back instead of being reported as a failure.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import { startHostileServer } from '../servers/hostile-scim.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { create, newUser } from '../servers/scim-test-client.js';
import { startTrustServer, type TrustQuirk } from '../servers/trust-scim.js';

type Json = Record<string, unknown>;

const open: IamClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function client(settings: Json): IamClient {
  const iam = createIamClient({ config: { instances: { app: settings } }, env: {} });
  open.push(iam);
  return iam;
}
const scim = (server: { url: string; token: string }, baseUrl = server.url) =>
  client({ brand: 'SCIM', baseUrl, token: server.token });

const userNamed = (server: ScimTestServer, userName: string) =>
  server.users().find((u) => u.userName === userName) ?? {};
const list = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);
const byType = (v: unknown) =>
  Object.fromEntries(list(v).map((e) => [String(e.type), e.value ?? e.locality ?? null]));
const primaries = (v: unknown) => list(v).filter((e) => e.primary === true).length;

const dana = () =>
  newUser('dana', {
    emails: [
      { value: 'dana@work.example', type: 'work', primary: true },
      { value: 'dana@home.example', type: 'home' },
    ],
    phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
    addresses: [{ type: 'home', locality: 'Lyon' }],
  });

/** The same story on any app: mobile added, then changed, then the work email changed. */
async function updateTypedValues(server: ScimTestServer): Promise<void> {
  await create(server, '/Users', dana());
  const iam = scim(server);
  const add = await iam.updateUser('app', { userProfile: { username: 'dana', mobilephone: '+1 555 0199' } });
  assert.equal(add.vendor.success, true, add.vendor.errorMessage);
  let user = userNamed(server, 'dana');
  assert.deepEqual(byType(user.phoneNumbers), { work: '+1 555 0100', mobile: '+1 555 0199' });
  assert.deepEqual(byType(user.emails), { work: 'dana@work.example', home: 'dana@home.example' });

  const change = await iam.updateUser('app', {
    userProfile: { username: 'dana', mobilephone: '+1 555 0200' },
  });
  assert.equal(change.vendor.success, true, change.vendor.errorMessage);
  const email = await iam.updateUser('app', { userProfile: { username: 'dana', email: 'dana@new.example' } });
  assert.equal(email.vendor.success, true, email.vendor.errorMessage);
  user = userNamed(server, 'dana');
  assert.deepEqual(byType(user.phoneNumbers), { work: '+1 555 0100', mobile: '+1 555 0200' });
  assert.deepEqual(byType(user.emails), { work: 'dana@new.example', home: 'dana@home.example' });
  assert.equal(primaries(user.emails), 1);
  assert.deepEqual(byType(user.addresses), { home: 'Lyon' });
}

describe('update-user keeps the typed values the profile does not speak of', () => {
  test('on an app that applies PATCH exactly as RFC 7644 3.5.2 says', async () => {
    const server = await startTrustServer({ kind: 'strict-patch' });
    after(() => server.close());
    await updateTypedValues(server);
    const paths = server.requests
      .filter((r) => r.method === 'PATCH')
      .flatMap((r) => list((r.body as Json).Operations).map((o) => `${o.op} ${o.path}`));
    assert.deepEqual(paths, [
      'add phoneNumbers',
      'replace phoneNumbers[type eq "mobile"].value',
      'replace emails[type eq "work"].value',
    ]);
  });

  test('on the scimmy-based app (lenient PATCH)', async () => {
    const server = await startScimServer();
    after(() => server.close());
    await updateTypedValues(server);
  });

  test('on an app without PATCH (GET, merge, PUT)', async () => {
    const server = await startScimServer({ patch: false });
    after(() => server.close());
    await updateTypedValues(server);
  });

  test('a work email made primary takes primary from the home one (RFC-strict app)', async () => {
    const server = await startTrustServer({ kind: 'strict-patch' });
    after(() => server.close());
    await create(
      server,
      '/Users',
      newUser('erin', { emails: [{ value: 'e@home.example', type: 'home', primary: true }] }),
    );
    const r = await scim(server).updateUser('app', {
      userProfile: { username: 'erin', email: 'e@work.example' },
    });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const emails = list(userNamed(server, 'erin').emails);
    assert.deepEqual(byType(emails), { home: 'e@home.example', work: 'e@work.example' });
    assert.deepEqual(
      emails.filter((e) => e.primary === true).map((e) => e.type),
      ['work'],
    );
  });

  test('AWS (one value per attribute): a new email and mobile replace the single values', async () => {
    const aws = await startAwsIlmServer();
    after(() => aws.close());
    const iam = client({ brand: 'AWS-ILM', baseUrl: aws.baseUrl, tenantId: aws.tenantId, token: aws.token });
    const base = { username: 'fay', givenname: 'Fay', surname: 'Lo', email: 'fay@old.example' };
    const created = await iam.createUser('app', { userProfile: { ...base, mobilephone: '+1 555 0101' } });
    assert.equal(created.vendor.success, true, created.vendor.errorMessage);
    const r = await iam.updateUser('app', {
      userProfile: { ...base, email: 'fay@new.example', mobilephone: '+1 555 0102' },
    });
    assert.equal(r.vendor.success, true, r.vendor.errorMessage);
    const user = userNamed(aws, 'fay');
    assert.deepEqual(byType(user.emails), { work: 'fay@new.example' });
    assert.deepEqual(byType(user.phoneNumbers), { mobile: '+1 555 0102' });
    // A home email (set by someone else) cannot sit beside a work one on AWS: it is replaced.
    await create(aws, '/Users', {
      ...newUser('gil', { displayName: 'Gil', name: { givenName: 'Gil', familyName: 'Ma' } }),
      emails: [{ value: 'gil@home.example', type: 'home', primary: true }],
    });
    const gil = await iam.updateUser('app', { userProfile: { username: 'gil', email: 'gil@work.example' } });
    assert.equal(gil.vendor.success, true, gil.vendor.errorMessage);
    assert.deepEqual(byType(userNamed(aws, 'gil').emails), { work: 'gil@work.example' });
  });
});

describe('a 404 that is not the app\'s "resource not found" (wrong baseUrl)', () => {
  const pages = ['html', 'text', 'empty', 'framework-json'] as const;
  const servers = new Map<string, ScimTestServer>();
  before(async () => {
    for (const page of pages) servers.set(page, await startTrustServer({ kind: 'plain-404', page }));
  });
  after(() => Promise.all([...servers.values()].map((s) => s.close())));

  for (const page of pages) {
    test(`${page} 404 page: disable, get and test fail naming the URL, never "User does not exist"`, async () => {
      const server = servers.get(page) as ScimTestServer;
      const wrong = server.url.replace(/\/scim\/v2$/, '/wrong/v2');
      const iam = scim(server, wrong);
      for (const run of [iam.disableUser, iam.getUser]) {
        const { vendor } = await run('app', { userProfile: { id: 'u-1' } });
        assert.deepEqual([vendor.success, vendor.skipped, vendor.errorCode], [false, false, null]);
        assert.ok(
          vendor.errorMessage.includes(`GET ${wrong}/Users/u-1 answered HTTP 404`),
          vendor.errorMessage,
        );
        assert.match(vendor.errorMessage, /check the instance's baseUrl/);
        assert.doesNotMatch(vendor.errorMessage, /does not exist/);
      }
      const byName = await iam.disableUser('app', { userProfile: { username: 'bob' } });
      assert.ok(
        byName.vendor.errorMessage.includes(`${wrong}/Users answered HTTP 404`),
        byName.vendor.errorMessage,
      );
      const t = await iam.test('app');
      assert.equal(t.success, false);
      assert.ok(t.message.includes(`${wrong}/Users answered HTTP 404`), t.message);
    });
  }

  test('the app\'s own 404 body without the Error schema ({detail, status}) is still "not found"', async () => {
    const app = await startHostileServer(() => ({
      kind: 'json',
      status: 404,
      body: { detail: 'User u-1 not found', status: 404 },
      contentType: 'application/json',
    }));
    after(() => app.close());
    const { vendor } = await scim({ url: app.url, token: 't' }).disableUser('app', {
      userProfile: { id: 'u-1' },
    });
    assert.deepEqual([vendor.success, vendor.skipped, vendor.reason], [true, true, 'User does not exist']);
  });
});

describe('a 201 without an id: the account exists, so it is read back', () => {
  for (const body of ['no-id', 'empty'] as const) {
    test(`create answered 201 with ${body === 'empty' ? 'no body' : 'a body without id'}`, async () => {
      const quirk: TrustQuirk = { kind: 'created-no-id', body };
      const server = await startTrustServer(quirk);
      after(() => server.close());
      const { vendor } = await scim(server).createUser('app', {
        userProfile: { username: 'hana', email: 'hana@example.com' },
      });
      assert.deepEqual([vendor.action, vendor.success, vendor.errorMessage], ['create', true, '']);
      assert.equal(vendor.id, userNamed(server, 'hana').id);
      assert.equal(vendor.username, 'hana');
      assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1, 'never sent twice');
    });
  }
});
