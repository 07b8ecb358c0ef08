// The Local connector against a real SQLite file in a fresh temp dir per test.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import Database from 'better-sqlite3';
import { LOCAL_FIELDS, localConnector, openLocalStore } from '../../src/connectors/local/index.js';
import { LOCAL_SCHEMA_VERSION } from '../../src/connectors/local/store.js';
import type { Account, ConnectorContext } from '../../src/core/connector.js';
import {
  AmbiguousError,
  AppError,
  ConfigError,
  ConflictError,
  NotFoundError,
  NotSupportedError,
} from '../../src/core/errors.js';
import { processSecretSource } from '../../src/core/secrets.js';
import { type FullConnector, full } from './full.js';

function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'iam-local-'));
  const opened: FullConnector[] = [];
  t.after(async () => {
    for (const c of opened) await c.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ctx: ConnectorContext = {
    instanceName: 'local',
    transport: () => {
      throw new Error('Local makes no HTTP');
    },
    secrets: processSecretSource(),
    dataDir: dir,
  };
  const connect = (settings: unknown = {}): FullConnector => {
    const c = full(localConnector.create(localConnector.settings.parse(settings), ctx));
    opened.push(c);
    return c;
  };
  return { dir, connect, dbPath: join(dir, 'local.db') };
}

const isStatus = (status: number, text: RegExp) => (e: unknown) =>
  e instanceof AppError && e.status === status && text.test(e.message);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alice = { username: 'alice', email: 'alice@example.com', givenname: 'Alice', surname: 'Liddell' };

test('definition: brand, capabilities, default mapping and strict settings', () => {
  assert.equal(localConnector.brand, 'Local');
  assert.deepEqual(localConnector.capabilities, {
    lookup: ['id', 'username', 'email'],
    memberBatchSize: 500,
    concurrency: 64,
  });
  assert.deepEqual(localConnector.mappingFields, LOCAL_FIELDS);
  assert.equal(LOCAL_FIELDS.length, 17);
  assert.deepEqual(
    localConnector.mapping.map((r) => r.app),
    [...LOCAL_FIELDS],
  );
  const rule = (app: string) => localConnector.mapping.find((r) => r.app === app);
  assert.deepEqual(rule('username'), { app: 'username', profile: ['username', 'email'] });
  assert.deepEqual(rule('displayname'), {
    app: 'displayname',
    profile: 'displayname',
    template: '{givenname} {surname}',
  });
  assert.deepEqual(rule('costcentercode'), { app: 'costcentercode', profile: 'costcentercode' });
  assert.deepEqual(localConnector.settings.parse({}), {});
  assert.equal(localConnector.settings.safeParse({ path: 'x.db', token: 'y' }).success, false);
  assert.equal(localConnector.settings.safeParse({ path: '' }).success, false);
});

test('create does no I/O; test() opens the default file and counts', async (t) => {
  const { connect, dir, dbPath } = setup(t);
  const c = connect();
  assert.equal(existsSync(dbPath), false);
  assert.equal(await c.test(), `Local directory at ${dbPath}: 0 users, 0 groups`);
  assert.equal(existsSync(dbPath), true);
  const a = await c.createUser(alice, { active: true });
  await c.createGroup({ displayName: 'Admins' });
  assert.equal(await c.test(), `Local directory at ${dbPath}: 1 user, 1 group`);
  await c.createUser({ username: 'bob' }, { active: true });
  assert.match(await c.test(), /: 2 users, 1 group$/);
  assert.ok(a.id);

  const nested = join(dir, 'a', 'b', 'dir.db');
  const c2 = connect({ path: nested });
  assert.equal(await c2.test(), `Local directory at ${nested}: 0 users, 0 groups`);
});

test('createUser stores every field and returns the account as the app shows it', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const a = await c.createUser(
    { ...alice, department: 'R&D', custom: { level: 3 }, title: null, id: 'mine', active: false, meta: 1 },
    { active: true },
  );
  assert.match(a.id, /^[0-9a-f-]{36}$/);
  assert.equal(a.username, 'alice');
  assert.equal(a.email, 'alice@example.com');
  assert.equal(a.active, true);
  const meta = a.raw.meta as { created: string; lastModified: string };
  assert.equal(new Date(meta.created).toISOString(), meta.created);
  assert.equal(meta.lastModified, meta.created);
  // id/active/meta in fields are ignored (read-only); null attributes are not stored.
  assert.deepEqual(a.raw, {
    id: a.id,
    username: 'alice',
    email: 'alice@example.com',
    active: true,
    givenname: 'Alice',
    surname: 'Liddell',
    department: 'R&D',
    custom: { level: 3 },
    meta,
  });
  assert.deepEqual(Object.keys(a.raw), [
    'id',
    'username',
    'email',
    'active',
    'givenname',
    'surname',
    'department',
    'custom',
    'meta',
  ]);
  const inactive = await c.createUser({ username: 'carol' }, { active: false });
  assert.equal(inactive.active, false);
  assert.equal(inactive.email, null);
  assert.deepEqual(await c.findUser({ attribute: 'id', value: a.id }), a);
});

test('createUser: username required, must be a string, unique regardless of case', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  await assert.rejects(
    c.createUser({ email: 'x@example.com' }, { active: true }),
    isStatus(400, /^username is required$/),
  );
  await assert.rejects(
    c.createUser({ username: '' }, { active: true }),
    isStatus(400, /username is required/),
  );
  await assert.rejects(
    c.createUser({ username: 42 }, { active: true }),
    isStatus(400, /username must be a string/),
  );
  await assert.rejects(
    c.createUser({ username: 'a', email: ['x'] }, { active: true }),
    isStatus(400, /email/),
  );
  const a = await c.createUser(alice, { active: true });
  await assert.rejects(
    c.createUser({ username: 'ALICE' }, { active: true }),
    (e) =>
      e instanceof ConflictError &&
      e.status === 409 &&
      e.message.includes('"ALICE"') &&
      e.message.includes(a.id),
  );
  assert.match(await c.test(), /: 1 user,/);
});

test('findUser: id, username (any case), email (any case), ambiguity, unknown attribute', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const a = await c.createUser(alice, { active: true });
  assert.equal(await c.findUser({ attribute: 'id', value: 'no-such-id' }), null);
  assert.equal((await c.findUser({ attribute: 'username', value: 'AlIcE' }))?.id, a.id);
  assert.equal(await c.findUser({ attribute: 'username', value: 'alic' }), null);
  assert.equal((await c.findUser({ attribute: 'email', value: 'ALICE@Example.COM' }))?.id, a.id);
  assert.equal(await c.findUser({ attribute: 'email', value: 'nobody@example.com' }), null);

  const b = await c.createUser({ username: 'alice2', email: 'Alice@example.com' }, { active: true });
  await assert.rejects(
    c.findUser({ attribute: 'email', value: 'alice@example.com' }),
    (e) =>
      e instanceof AmbiguousError &&
      e.message.includes(a.id) &&
      e.message.includes(b.id) &&
      e.ids.length === 2 &&
      e.ids.includes(a.id) &&
      e.ids.includes(b.id),
  );
  await assert.rejects(c.findUser({ attribute: 'userName', value: 'alice' }), NotSupportedError);
  await assert.rejects(
    c.findUser({ attribute: 'emails', value: 'alice@example.com' }),
    /id, username or email/,
  );
});

test('updateUser writes only the given fields, null removes, renames, bumps lastModified on change', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const a = await c.createUser({ ...alice, title: 'Engineer', department: 'R&D' }, { active: true });
  const created = (a.raw.meta as { created: string }).created;

  // Same values (and read-only keys): nothing changes, not even lastModified.
  await sleep(5);
  const same = await c.updateUser(a, { username: 'alice', title: 'Engineer', id: 'x', active: false });
  assert.deepEqual(same, a);

  await sleep(5);
  const u = await c.updateUser(a, {
    username: 'alice.l',
    title: null,
    division: 'North',
    email: 'al@example.com',
  });
  assert.equal(u.id, a.id);
  assert.equal(u.username, 'alice.l');
  assert.equal(u.email, 'al@example.com');
  assert.equal(u.active, true);
  assert.equal(u.raw.title, undefined);
  assert.equal('title' in u.raw, false);
  assert.equal(u.raw.department, 'R&D');
  assert.equal(u.raw.givenname, 'Alice');
  assert.equal(u.raw.division, 'North');
  const meta = u.raw.meta as { created: string; lastModified: string };
  assert.equal(meta.created, created);
  assert.ok(meta.lastModified > created, `${meta.lastModified} > ${created}`);
  assert.equal(await c.findUser({ attribute: 'username', value: 'alice' }), null);
  assert.equal((await c.findUser({ attribute: 'username', value: 'ALICE.L' }))?.id, a.id);

  // A case-only rename is a rename; email null clears it; removing an absent attribute is no change.
  const cased = await c.updateUser(u, { username: 'Alice.L', email: null, nosuch: null });
  assert.equal(cased.username, 'Alice.L');
  assert.equal(cased.email, null);
  const again = await c.updateUser(cased, { nosuch: null });
  assert.deepEqual(again, cased);

  const b = await c.createUser({ username: 'bob' }, { active: true });
  await assert.rejects(c.updateUser(b, { username: 'alice.l' }), ConflictError);
  await assert.rejects(c.updateUser(b, { username: null }), isStatus(400, /username cannot be removed/));
  assert.equal((await c.findUser({ attribute: 'id', value: b.id }))?.username, 'bob');
  const ghost: Account = { ...b, id: 'gone' };
  await assert.rejects(c.updateUser(ghost, { title: 'x' }), NotFoundError);
});

test('setActive toggles the state; a missing account is NotFoundError', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const a = await c.createUser(alice, { active: true });
  await sleep(5);
  const off = await c.setActive(a, false);
  assert.equal(off.active, false);
  assert.equal(off.raw.active, false);
  const lm = (off.raw.meta as { lastModified: string }).lastModified;
  assert.ok(lm > (a.raw.meta as { created: string }).created);
  assert.deepEqual(await c.setActive(off, false), off);
  assert.equal((await c.findUser({ attribute: 'id', value: a.id }))?.active, false);
  assert.equal((await c.setActive(off, true)).active, true);
  await assert.rejects(c.setActive({ ...a, id: 'gone' }, true), NotFoundError);
});

test('groups: create, get by id or displayName, members only when asked, conflicts', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const g = await c.createGroup({
    displayName: 'Admins',
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  });
  assert.equal(g.displayName, 'Admins');
  assert.deepEqual(g.members, []);
  await assert.rejects(c.createGroup({ displayName: 'admins' }), ConflictError);
  await assert.rejects(c.createGroup({ displayName: '' }), isStatus(400, /displayName is required/));
  await assert.rejects(c.createGroup({ displayName: 'X', members: ['a'] }), isStatus(400, /members/));

  const byId = await c.getGroup({ id: g.id }, { includeMembers: false });
  assert.equal(byId?.members, null);
  const meta = byId?.raw.meta;
  assert.deepEqual(byId?.raw, { id: g.id, displayName: 'Admins', meta });
  assert.equal((await c.getGroup({ displayName: 'ADMINS' }, { includeMembers: false }))?.id, g.id);
  assert.equal(await c.getGroup({ id: 'nope' }, { includeMembers: true }), null);
  assert.equal(await c.getGroup({ displayName: 'Nope' }, { includeMembers: false }), null);

  const a = await c.createUser(alice, { active: true });
  const b = await c.createUser({ username: 'bob' }, { active: true });
  const h = await c.createGroup({ displayName: 'Ops', members: [{ value: b.id }, { value: a.id }] });
  const expected = [
    { value: a.id, display: 'alice' },
    { value: b.id, display: 'bob' },
  ];
  assert.deepEqual(h.members, expected);
  const withMembers = await c.getGroup({ id: h.id }, { includeMembers: true });
  assert.deepEqual(withMembers?.members, expected);
  assert.deepEqual(withMembers?.raw.members, expected);

  // An unknown member fails the whole create: no half-made group.
  await assert.rejects(
    c.createGroup({ displayName: 'Half', members: [{ value: a.id }, { value: 'ghost' }] }),
    isStatus(400, /ghost/),
  );
  assert.equal(await c.getGroup({ displayName: 'Half' }, { includeMembers: false }), null);
});

test('changeMembers: add, idempotent add, unknown ids add none, remove, missing group', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const g = await c.createGroup({ displayName: 'Team' });
  const a = await c.createUser(alice, { active: true });
  const b = await c.createUser({ username: 'bob' }, { active: true });
  const members = async () =>
    (await c.getGroup({ id: g.id }, { includeMembers: true }))?.members?.map((m) => m.display);
  const modified = async () => {
    const group = await c.getGroup({ id: g.id }, { includeMembers: false });
    return (group?.raw.meta as { lastModified: string } | undefined)?.lastModified ?? '';
  };

  const before = await modified();
  await sleep(5);
  await c.changeMembers(g.id, { op: 'add', ids: [a.id] });
  assert.deepEqual(await members(), ['alice']);
  const afterAdd = await modified();
  assert.ok(afterAdd > before);

  await sleep(5);
  await c.changeMembers(g.id, { op: 'add', ids: [a.id, a.id] });
  assert.deepEqual(await members(), ['alice']);
  assert.equal(await modified(), afterAdd, 'a no-op add leaves lastModified alone');

  await assert.rejects(
    c.changeMembers(g.id, { op: 'add', ids: [b.id, 'ghost-1', 'ghost-2'] }),
    (e) => isStatus(400, /ghost-1, ghost-2/)(e) && !(e as Error).message.includes(b.id),
  );
  assert.deepEqual(await members(), ['alice'], 'nothing of the failed chunk was added');

  await c.changeMembers(g.id, { op: 'add', ids: [b.id] });
  await c.changeMembers(g.id, { op: 'remove', ids: [a.id, 'not-a-member'] });
  assert.deepEqual(await members(), ['bob']);
  await c.changeMembers(g.id, { op: 'remove', ids: [a.id] });
  await c.changeMembers(g.id, { op: 'add', ids: [] });
  assert.deepEqual(await members(), ['bob']);

  await assert.rejects(c.changeMembers('nope', { op: 'add', ids: [a.id] }), NotFoundError);
  await assert.rejects(c.changeMembers('nope', { op: 'remove', ids: [a.id] }), NotFoundError);
});

test('deleteGroup cascades to memberships; deleting a user does too; missing is NotFoundError', async (t) => {
  const { connect, dbPath } = setup(t);
  const c = connect();
  const a = await c.createUser(alice, { active: true });
  const b = await c.createUser({ username: 'bob' }, { active: true });
  const g = await c.createGroup({ displayName: 'G1', members: [{ value: a.id }, { value: b.id }] });
  const h = await c.createGroup({ displayName: 'G2', members: [{ value: a.id }, { value: b.id }] });
  await c.deleteGroup(g.id);
  assert.equal(await c.getGroup({ id: g.id }, { includeMembers: false }), null);
  await assert.rejects(c.deleteGroup(g.id), NotFoundError);

  const count = (sql: string, ...args: string[]) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (db.prepare(sql).get(...args) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  assert.equal(count('SELECT count(*) AS n FROM group_members WHERE group_id = ?', g.id), 0);
  assert.equal(count('SELECT count(*) AS n FROM group_members WHERE group_id = ?', h.id), 2);

  await c.close();
  const store = openLocalStore(dbPath);
  try {
    store.deleteUser(b.id);
    assert.throws(() => store.deleteUser(b.id), NotFoundError);
  } finally {
    store.close();
  }
  assert.deepEqual(
    (await c.getGroup({ id: h.id }, { includeMembers: true }))?.members?.map((m) => m.value),
    [a.id],
  );
});

test('data survives close and reopen, by the same connector and by a new one', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const a = await c.createUser(alice, { active: false });
  const g = await c.createGroup({ displayName: 'Persist', members: [{ value: a.id }] });
  await c.close();
  await c.close();
  assert.deepEqual(await c.findUser({ attribute: 'id', value: a.id }), a);
  await c.close();
  const fresh = connect();
  assert.deepEqual(await fresh.findUser({ attribute: 'username', value: 'alice' }), a);
  assert.deepEqual((await fresh.getGroup({ id: g.id }, { includeMembers: true }))?.members, g.members);
});

test('values with quotes, backslashes, unicode and odd keys survive unchanged', async (t) => {
  const { connect } = setup(t);
  const c = connect();
  const odd = {
    username: `o'brien "the \\ one"`,
    email: 'zoë@exämple.com',
    givenname: 'Zoë 😀',
    surname: `O'Brien\\"; DROP TABLE users; --`,
    displayname: '山田 太郎\n\ttabbed',
    title: '%_ like wildcards _%',
    nested: { 'a.b': ['x', 1, true, null, { '"': '\\' }] },
    ['__proto__']: 'just a key',
  };
  // A JSON round trip, as the CLI would hand it over: `__proto__` arrives as an own key.
  const fields = JSON.parse(JSON.stringify(odd)) as Record<string, unknown>;
  assert.equal(Object.hasOwn(fields, '__proto__'), true);
  const a = await c.createUser(fields, { active: true });
  await c.close();
  const again = connect();
  const found = await again.findUser({ attribute: 'username', value: odd.username });
  assert.ok(found);
  for (const [key, value] of Object.entries(fields)) assert.deepEqual(found.raw[key], value, key);
  assert.equal(Object.getPrototypeOf(found.raw), Object.prototype);
  assert.deepEqual(found, a);
  assert.equal((await again.findUser({ attribute: 'email', value: 'zoë@exämple.com' }))?.id, a.id);
  assert.equal(await again.findUser({ attribute: 'username', value: '%' }), null);

  const g = await again.createGroup({ displayName: `R&D "core" \\ ünï` });
  assert.equal(
    (await again.getGroup({ displayName: `R&D "core" \\ ünï` }, { includeMembers: false }))?.id,
    g.id,
  );
  const upd = await again.updateUser(found, { ['__proto__']: null, title: 'ok' });
  assert.equal(Object.hasOwn(upd.raw, '__proto__'), false);
});

test('store: clock, schema version, WAL, refuses newer schemas and non-database files', async (t) => {
  const { dir } = setup(t);
  const path = join(dir, 's.db');
  let tick = 0;
  const store = openLocalStore(path, { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
  const u = store.createUser({ username: 'x', email: null, active: true, attributes: {} });
  assert.equal(u.created, '2026-01-01T00:00:00.000Z');
  assert.equal(store.updateUser(u.id, { attributes: { a: 1 } }).modified, '2026-01-01T00:00:01.000Z');
  assert.equal(store.updateUser(u.id, { attributes: { a: 1 } }).modified, '2026-01-01T00:00:01.000Z');
  store.close();

  const db = new Database(path);
  assert.equal(db.pragma('user_version', { simple: true }), LOCAL_SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.pragma(`user_version = ${LOCAL_SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(
    () => openLocalStore(path),
    (e) => e instanceof ConfigError && /schema version/.test(e.message),
  );

  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'this is not a database, just text that is long enough to have a header');
  assert.throws(() => openLocalStore(junk), ConfigError);

  const mem = openLocalStore(':memory:');
  assert.deepEqual(mem.counts(), { users: 0, groups: 0 });
  mem.close();
});
