// The AWS-ILM brand against the AWS IAM Identity Center simulator (test/servers/aws-ilm-server.ts),
// which enforces AWS's documented limits: what goes on the wire.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { awsIlmConnector } from '../../src/connectors/aws-ilm/index.js';
import type { Account, ConnectorContext } from '../../src/core/connector.js';
import {
  AmbiguousError,
  AppError,
  ConflictError,
  NotFoundError,
  NotSupportedError,
} from '../../src/core/errors.js';
import { processSecretSource } from '../../src/core/secrets.js';
import { createHttpTransport, defaultTransportOptions } from '../../src/http/undici-transport.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import type { RecordedRequest } from '../servers/scim-server.js';
import { type FullConnector, full } from './full.js';

type AwsServer = Awaited<ReturnType<typeof startAwsIlmServer>>;

function context(): ConnectorContext {
  return {
    instanceName: 'aws-test',
    transport: (o) => createHttpTransport({ ...defaultTransportOptions, ...o, sleep: async () => {} }),
    secrets: processSecretSource(),
    dataDir: mkdtempSync(join(tmpdir(), 'iam-aws-')),
  };
}

function connect(server: AwsServer, over: { token?: string; tenantId?: string } = {}): FullConnector {
  const settings = awsIlmConnector.settings.parse({
    baseUrl: server.baseUrl,
    tenantId: over.tenantId ?? server.tenantId,
    token: over.token ?? server.token,
  });
  const connector = full(awsIlmConnector.create(settings, context()));
  after(() => connector.close());
  return connector;
}

const bodyOf = (r: RecordedRequest | undefined) => (r?.body ?? {}) as Record<string, unknown>;
const operations = (r: RecordedRequest | undefined) =>
  (bodyOf(r).Operations ?? []) as Record<string, unknown>[];

const userFields = (userName: string, extra: Record<string, unknown> = {}) => ({
  userName,
  name: { givenName: 'Ann', familyName: 'Lee' },
  displayName: 'Ann Lee',
  emails: [{ type: 'work', primary: true, value: `${userName.replace(/\W/g, '')}@example.com` }],
  ...extra,
});

async function createUsers(aws: FullConnector, count: number): Promise<Account[]> {
  const out: Account[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, (_, j) => `member${i + j}`);
    out.push(...(await Promise.all(batch.map((u) => aws.createUser(userFields(u), { active: true })))));
  }
  return out;
}

describe('AWS-ILM connector', () => {
  let server: AwsServer;
  let aws: FullConnector;
  before(async () => {
    server = await startAwsIlmServer();
    aws = connect(server);
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('capabilities: lookup id, userName; 100 members per batch; 20 requests/s (AWS throttle limit)', () => {
    const { lookup, memberBatchSize, rateLimit } = awsIlmConnector.capabilities;
    assert.deepEqual(
      { lookup, memberBatchSize, rateLimit },
      { lookup: ['id', 'userName'], memberBatchSize: 100, rateLimit: { requestsPerSecond: 20, burst: 5 } },
    );
  });

  test('requests go to <baseUrl>/<tenantId>/scim/v2; a hostile userName stays one literal', async () => {
    const hostile = 'x" or userName pr "';
    await aws.createUser(userFields('plain'), { active: true });
    const created = await aws.createUser(userFields(hostile), { active: true });
    const found = await aws.findUser({ attribute: 'userName', value: hostile });
    assert.equal(found?.id, created.id);
    const get = server.requests.at(-1);
    assert.equal(get?.path, `/${server.tenantId}/scim/v2/Users`);
    assert.deepEqual(get?.query, { filter: 'userName eq "x\\" or userName pr \\""', count: '50' });
    assert.equal(await aws.findUser({ attribute: 'userName', value: 'nobody' }), null);
    assert.equal(await aws.findUser({ attribute: 'id', value: 'missing-id' }), null);
  });

  test('only filterable attributes are looked up; an ambiguous match names both ids', async () => {
    await assert.rejects(aws.findUser({ attribute: 'emails', value: 'a@example.com' }), NotSupportedError);
    assert.equal(server.requests.length, 0);
    const a = await aws.createUser(userFields('dup1', { externalId: 'E1' }), { active: true });
    const b = await aws.createUser(userFields('dup2', { externalId: 'E1' }), { active: true });
    await assert.rejects(aws.findUser({ attribute: 'externalId', value: 'E1' }), (e: unknown) => {
      assert.ok(e instanceof AmbiguousError);
      assert.ok(e.message.includes(a.id) && e.message.includes(b.id));
      return true;
    });
  });

  test('create sends one email only; update is one PATCH of the changed attributes', async () => {
    const emails = [
      { type: 'home', value: 'home@example.com' },
      { type: 'work', primary: true, value: 'work@example.com' },
    ];
    const account = await aws.createUser(userFields('ivy', { emails }), { active: true });
    assert.deepEqual(bodyOf(server.requests[0]).emails, [emails[1]]);
    assert.equal(account.email, 'work@example.com');

    const found = await aws.findUser({ attribute: 'userName', value: 'ivy' });
    assert.ok(found);
    server.requests.length = 0;
    const updated = await aws.updateUser(found, userFields('ivy', { emails: [emails[1]], title: 'Lead' }));
    assert.equal(updated.raw.title, 'Lead');
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.deepEqual(operations(patches[0]), [{ op: 'replace', path: 'title', value: 'Lead' }]);
  });

  test('enable/disable PATCH active with JSON booleans', async () => {
    const account = await aws.createUser(userFields('jon'), { active: true });
    server.requests.length = 0;
    const off = await aws.setActive(account, false);
    assert.equal(off.active, false);
    assert.deepEqual(operations(server.requests[0]), [{ op: 'replace', path: 'active', value: false }]);
    assert.equal(server.requests.filter((r) => r.path.endsWith('ServiceProviderConfig')).length, 0);
  });

  test('250 members in 100-sized calls are 3 PATCH requests; removes stay under 100 changes', async () => {
    const users = await createUsers(aws, 250);
    const ids = users.map((u) => u.id);
    const group = await aws.createGroup({ displayName: 'Everyone' });
    assert.equal(group.members, null);
    server.requests.length = 0;
    for (let i = 0; i < ids.length; i += 100)
      await aws.changeMembers(group.id, { op: 'add', ids: ids.slice(i, i + 100) });
    const adds = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(adds.length, 3);
    assert.deepEqual(
      adds.map((r) => ((operations(r)[0]?.value as unknown[]) ?? []).length),
      [100, 100, 50],
    );
    assert.ok(adds.every((r) => r.status === 200 || r.status === 204));

    server.requests.length = 0;
    await aws.changeMembers(group.id, { op: 'remove', ids: ids.slice(0, 150) });
    const removes = server.requests.filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      removes.map((r) => operations(r).length),
      [100, 50],
    );
    assert.ok(removes.every((r) => r.status < 300));
    assert.deepEqual(operations(removes[0])[0], {
      op: 'remove',
      path: `members[value eq "${ids[0]}"]`,
    });
  });

  test('groups read without members and without excludedAttributes; 404s', async () => {
    const group = await aws.createGroup({ displayName: 'Admins' });
    const read = await aws.getGroup({ displayName: 'Admins' }, { includeMembers: true });
    assert.equal(read?.id, group.id);
    assert.equal(read?.members, null);
    assert.equal((await aws.getGroup({ id: group.id }, { includeMembers: false }))?.displayName, 'Admins');
    assert.equal(await aws.getGroup({ id: 'missing' }, { includeMembers: false }), null);
    await aws.deleteGroup(group.id);
    await assert.rejects(aws.deleteGroup(group.id), NotFoundError);
    await assert.rejects(
      aws.createGroup({ displayName: 'X' }).then(() => aws.createGroup({ displayName: 'X' })),
      (e: unknown) => {
        assert.ok(e instanceof ConflictError);
        assert.equal(e.message, 'ConflictException: Group already exists');
        return true;
      },
    );
  });

  test('test() passes; a wrong token or tenant is a clear 401 without the token', async () => {
    assert.match(await aws.test(), /^AWS IAM Identity Center .*: token accepted/);
    const wrong = 'wrong-token-abcdef123456';
    for (const bad of [connect(server, { token: wrong }), connect(server, { tenantId: 'd-other' })]) {
      await assert.rejects(bad.test(), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.status, 401);
        assert.match(e.message, /rejected the token \(HTTP 401\): UnauthorizedException/);
        assert.ok(!e.message.includes(wrong) && !e.message.includes(server.token));
        return true;
      });
    }
  });

  test('AWS never sees startIndex, attributes or excludedAttributes', async () => {
    await aws.createUser(userFields('kim'), { active: true });
    await aws.findUser({ attribute: 'userName', value: 'kim' });
    const g = await aws.createGroup({ displayName: 'Kim group' });
    await aws.getGroup({ id: g.id }, { includeMembers: false });
    await aws.getGroup({ displayName: 'Kim group' }, { includeMembers: false });
    await aws.test();
    assert.ok(server.requests.length >= 5);
    for (const r of server.requests) {
      for (const p of ['startIndex', 'attributes', 'excludedAttributes'])
        assert.ok(!(p in r.query), `${r.path} ${p}`);
      assert.ok(r.status < 400, `${r.method} ${r.path} answered ${r.status}`);
    }
  });
});
