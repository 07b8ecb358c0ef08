// Dry run: look up as usual, report what would be sent, change nothing. Checked on the wire (the
// loopback apps' request logs hold no POST/PUT/PATCH/DELETE and their stores are unchanged) and on
// disk for the Local brand; the records are skips that no playbook can take for a real change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createIamClient, type IamClient } from '../../src/client.js';
import { localConnector } from '../../src/connectors/local/index.js';
import type { ConnectorDefinition } from '../../src/core/connector.js';
import { ConfigError } from '../../src/core/errors.js';
import type { GroupRecord, VendorRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import type { RecordedRequest, ScimTestServer } from '../servers/scim-server.js';
import { startScimServer } from '../servers/scim-server.js';
import { runIam } from './leaky-server.js';

const REASON = 'Dry run: nothing was changed.';
const dir = tempDir('iam-dry-run-');
after(() => dir.cleanup());

const vendorOf = (line: Record<string, unknown> | undefined): VendorRecord =>
  ((line?.IAM as { Vendor?: VendorRecord } | undefined)?.Vendor ?? {}) as VendorRecord;
const unsafe = (requests: readonly RecordedRequest[]) => requests.filter((r) => r.method !== 'GET');
type Write = { method: string; path: string; url?: string; body?: Record<string, unknown> };
const writesOf = (details: unknown): Write[] => ((details as { dryRun?: Write[] }).dryRun ?? []) as Write[];

function assertDryRunSkip(v: VendorRecord, action: VendorRecord['action']): Write[] {
  assert.equal(v.action, action);
  assert.equal(v.success, true, String(v.errorMessage));
  assert.equal(v.skipped, true);
  assert.equal(v.reason, REASON);
  assert.equal(v.active, null);
  return writesOf(v.details);
}

function assertGroupSkip(g: GroupRecord): Write[] {
  assert.equal(g.success, true, String(g.errorMessage));
  assert.equal(g.skipped, true);
  assert.equal(g.reason, REASON);
  return writesOf(g.details);
}

/** Seeds one active user and one group holding it, with a client that really writes. */
async function seed(real: IamClient, instance: string) {
  const user = await real.createUser(instance, {
    userProfile: { username: 'ann', email: 'ann@example.com', givenname: 'Ann', surname: 'Lee' },
  });
  const group = await real.createGroup(instance, { scim: { displayName: 'Staff' } });
  assert.ok(user.vendor.id && group.id, JSON.stringify([user, group]));
  return { userId: user.vendor.id, groupId: group.id };
}

/** Every write command in a dry run; returns the records for per-brand checks. */
async function everyWrite(dry: IamClient, instance: string, ids: { userId: string; groupId: string }) {
  const newUser = { username: 'bob', email: 'bob@example.com', givenname: 'Bob', surname: 'Ray' };
  return {
    create: await dry.createUser(instance, { userProfile: newUser }),
    createExisting: await dry.createUser(instance, { userProfile: { username: 'ann', title: 'CTO' } }),
    updateMissing: await dry.updateUser(instance, {
      userProfile: { username: 'cy', email: 'cy@example.com', givenname: 'Cy', surname: 'Po' },
    }),
    update: await dry.updateUser(instance, { userProfile: { username: 'ann', title: 'CFO' } }),
    disable: await dry.disableUser(instance, { userProfile: { id: ids.userId } }),
    enable: await dry.enableUser(instance, { userProfile: { username: 'ann' } }),
    get: await dry.getUser(instance, { userProfile: { username: 'ann' } }),
    createGroup: await dry.createGroup(instance, { scim: { displayName: 'Eng' } }),
    addMember: await dry.updateGroup(instance, { scim: { id: ids.groupId }, memberIdsToAdd: [ids.userId] }),
    deleteGroup: await dry.deleteGroup(instance, { scim: { id: ids.groupId } }),
  };
}

function assertRecords(r: Awaited<ReturnType<typeof everyWrite>>, ids: { userId: string; groupId: string }) {
  const created = assertDryRunSkip(r.create.vendor, 'create');
  assert.equal(r.create.vendor.id, null, 'no id for an account that was not created');
  assert.equal(r.create.vendor.username, 'bob');
  assert.equal(created.length, 1);
  assertDryRunSkip(r.createExisting.vendor, 'update');
  assert.equal(r.createExisting.vendor.id, ids.userId);
  assertDryRunSkip(r.updateMissing.vendor, 'create');
  assertDryRunSkip(r.update.vendor, 'update');
  assertDryRunSkip(r.disable.vendor, 'disable');
  // Nothing would be sent: the account is already enabled; the skip says so, with no writes.
  assert.equal(r.enable.vendor.reason, 'User is already enabled.');
  assert.deepEqual(writesOf(r.enable.vendor.details), []);
  assert.equal(r.get.vendor.success, true);
  assert.equal(r.get.vendor.skipped, false, 'reads are not affected');
  assert.equal(assertGroupSkip(r.createGroup).length, 1);
  assert.equal(r.createGroup.id, null);
  assert.equal(assertGroupSkip(r.addMember).length, 1);
  assert.equal(assertGroupSkip(r.deleteGroup).length, 1);
  assert.equal(r.deleteGroup.id, ids.groupId);
}

for (const patch of [true, false]) {
  describe(`dry run on SCIM (${patch ? 'PATCH' : 'PUT only'})`, () => {
    let server: ScimTestServer;
    before(async () => {
      server = await startScimServer({ patch });
    });
    after(() => server.close());

    test('every write command: GETs only on the wire, the store unchanged, each write in the record', async () => {
      const config = { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: server.token } } };
      const real = createIamClient({ config, env: {} });
      const ids = await seed(real, 'app');
      await real.close();
      const users = server.users();
      const groups = server.groups();
      server.requests.length = 0;
      const dry = createIamClient({ config, env: {}, dryRun: true });
      const r = await everyWrite(dry, 'app', ids);
      await dry.close();
      assertRecords(r, ids);
      assert.deepEqual(unsafe(server.requests), [], 'no unsafe request reached the app');
      assert.ok(server.requests.length > 0, 'lookups did reach the app');
      assert.deepEqual(server.users(), users);
      assert.deepEqual(server.groups(), groups);
      const [post] = writesOf(r.create.vendor.details);
      assert.equal(post?.method, 'POST');
      assert.equal(post?.path, 'Users');
      assert.equal(post?.url, `${server.url}/Users`);
      assert.equal(post?.body?.userName, 'bob');
      const [update] = writesOf(r.update.vendor.details);
      assert.equal(update?.method, patch ? 'PATCH' : 'PUT');
      assert.equal(update?.path, `Users/${ids.userId}`);
      assert.match(JSON.stringify(update?.body), /CFO/);
      const [del] = writesOf(r.deleteGroup.details);
      assert.deepEqual(del, {
        method: 'DELETE',
        path: `Groups/${ids.groupId}`,
        url: `${server.url}/Groups/${ids.groupId}`,
      });
    });
  });
}

describe('dry run on AWS-ILM (simulator)', () => {
  test('every write command: no unsafe request reaches the endpoint', async () => {
    const server = await startAwsIlmServer();
    after(() => server.close());
    const config = {
      instances: {
        aws: {
          brand: 'AWS-ILM',
          baseUrl: server.baseUrl,
          tenantId: server.tenantId,
          token: server.token,
          rateLimit: { requestsPerSecond: 100_000, burst: 1_000 },
        },
      },
    };
    const real = createIamClient({ config, env: {} });
    const ids = await seed(real, 'aws');
    await real.close();
    const users = server.users();
    server.requests.length = 0;
    const dry = createIamClient({ config, env: {}, dryRun: true });
    const r = await everyWrite(dry, 'aws', ids);
    await dry.close();
    assertRecords(r, ids);
    assert.deepEqual(unsafe(server.requests), []);
    assert.deepEqual(server.users(), users);
  });
});

describe('dry run on Local (SQLite)', () => {
  test('every write runs in a rolled-back transaction: the file is unchanged', async () => {
    const db = join(dir.path, 'local.db');
    const config = { instances: { loc: { brand: 'Local', path: db } } };
    const real = createIamClient({ config, env: {} });
    const ids = await seed(real, 'loc');
    const dry = createIamClient({ config, env: {}, dryRun: true });
    const r = await everyWrite(dry, 'loc', ids);
    await dry.close();
    assertRecords(r, ids);
    assert.deepEqual(writesOf(r.update.vendor.details), [
      { method: 'UPDATE', path: `users/${ids.userId}`, body: { title: 'CFO' } },
    ]);
    // Read back with a real client: nothing the dry run did is there.
    assert.equal((await real.getUser('loc', { userProfile: { username: 'bob' } })).vendor.errorCode, 404);
    const ann = await real.getUser('loc', { userProfile: { username: 'ann' } });
    assert.equal(ann.vendor.active, true);
    assert.equal(ann.userProfile.title, undefined);
    const group = await real.getGroup('loc', { scim: { id: ids.groupId }, includeMembers: true });
    assert.equal(group.success, true, 'the group was not deleted');
    assert.deepEqual(group.members, []);
    assert.equal((await real.getGroup('loc', { scim: { displayName: 'Eng' } })).errorCode, 404);
    await real.close();
  });

  test('a dry run on a Local directory that does not exist yet creates no file', async () => {
    const db = join(dir.path, 'never', 'local.db');
    const dry = createIamClient({
      config: { instances: { loc: { brand: 'Local', path: db } } },
      env: {},
      dryRun: true,
    });
    const r = await dry.createUser('loc', { userProfile: { username: 'ghost' } });
    await dry.close();
    assertDryRunSkip(r.vendor, 'create');
    assert.equal(existsSync(db), false);
    assert.equal(existsSync(join(dir.path, 'never')), false, 'not even its folder');
  });

  /** Bytes, size and mtime of the store, and which -wal/-shm files sit beside it. */
  const fingerprint = (db: string) => {
    const st = statSync(db);
    return {
      sha256: createHash('sha256').update(readFileSync(db)).digest('hex'),
      size: st.size,
      mtimeMs: st.mtimeMs,
      beside: ['-wal', '-shm', '-journal'].filter((s) => existsSync(`${db}${s}`)),
    };
  };

  test('a dry run on an existing store leaves its bytes, size and mtime as they were, and adds no -wal/-shm', async () => {
    const db = join(dir.path, 'closed.db');
    const config = { instances: { loc: { brand: 'Local', path: db } } };
    const real = createIamClient({ config, env: {} });
    const ids = await seed(real, 'loc');
    await real.close();
    // A store last written in rollback-journal mode: opening it for writing would switch it to WAL.
    const raw = new Database(db);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = fingerprint(db);
    assert.deepEqual(before.beside, []);
    const dry = createIamClient({ config, env: {}, dryRun: true });
    const r = await everyWrite(dry, 'loc', ids);
    await dry.close();
    assertRecords(r, ids);
    assert.deepEqual(fingerprint(db), before);
  });

  test('a dry run on an empty (0-byte) store file neither migrates nor touches it', async () => {
    const db = join(dir.path, 'empty.db');
    writeFileSync(db, '');
    const before = fingerprint(db);
    const dry = createIamClient({
      config: { instances: { loc: { brand: 'Local', path: db } } },
      env: {},
      dryRun: true,
    });
    const r = await dry.createUser('loc', { userProfile: { username: 'ghost' } });
    await dry.close();
    assertDryRunSkip(r.vendor, 'create');
    assert.deepEqual(fingerprint(db), before);
    assert.equal(before.size, 0);
  });
});

describe('dry run safety and the CLI', () => {
  test('a connector that neither uses the transport nor supports dry run is refused', () => {
    const unsafeBrand: ConnectorDefinition<unknown> = {
      ...(localConnector as ConnectorDefinition<unknown>),
      brand: 'NoDryRun',
      nativeDryRun: false,
    };
    const c = createIamClient({
      config: { instances: { x: { brand: 'NoDryRun', path: ':memory:' } } },
      registry: [unsafeBrand],
      env: {},
      dryRun: true,
    });
    assert.throws(
      () => c.runtime('x'),
      (e: unknown) => e instanceof ConfigError && /brand NoDryRun cannot do a dry run/.test(e.message),
    );
  });

  test('--dry-run prints what would be sent on stderr, exits 0, and audits the skip as a dry run', async () => {
    const home = join(dir.path, 'cli');
    mkdirSync(home);
    const db = join(home, 'people.db');
    writeFileSync(join(home, 'iam.yaml'), `instances:\n  loc:\n    brand: Local\n    path: ${db}\n`);
    const audit = join(home, 'audit.log');
    const r = await runIam(
      [
        'create-user',
        '--user-profile',
        '{"username":"dora"}',
        '--dry-run',
        '--output',
        'json',
        '--audit-log',
        audit,
      ],
      home,
    );
    assert.equal(r.code, 0, r.stderr);
    const v = vendorOf(r.lines[0]);
    assertDryRunSkip(v, 'create');
    assert.match(r.stderr, /^iam: dry run: would write INSERT users \{"username":"dora"/m);
    const [line] = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(line?.dryRun, true);
    assert.equal(line?.outcome, 'skipped');
    assert.equal(line?.reason, REASON);
    assert.deepEqual(line?.fields, ['username', 'active']);
    const table = await runIam(
      ['create-user', '--user-profile', '{"username":"dora"}', '--dry-run', '--output', 'table'],
      home,
    );
    assert.match(table.stdout, /Dry run: nothing was changed\./);
    const after = await runIam(
      ['get-user', '--user-profile', '{"username":"dora"}', '--output', 'json'],
      home,
    );
    assert.equal(vendorOf(after.lines[0]).errorCode, 404);
    const help = await runIam(['get-user', '--help'], home);
    assert.doesNotMatch(help.stdout, /--dry-run/, 'reads take no --dry-run');
  });
});
