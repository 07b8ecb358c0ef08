// Group commit on the Local store (issue 16): a batch's writes share transactions, yet each command
// stays all or nothing, nothing is acknowledged before it is committed, and a single command is
// committed before it returns. A second SQLite handle on the same file sees only committed rows:
// it is the crash's view of the store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/connectors/local/group-commit.js';
import { openLocalStore } from '../../src/connectors/local/store.js';
import { type BatchItem, type BatchResult, createIamClient, runBatch } from '../../src/index.js';
import { tempDir } from '../conformance/harness.js';

const dir = tempDir('iam-local-group-');
after(() => dir.cleanup());
let n = 0;

function setup() {
  n += 1;
  const db = join(dir.path, `g${n}.db`);
  const audit = join(dir.path, `audit${n}.log`);
  const iam = createIamClient({
    config: { instances: { loc: { brand: 'Local', path: db } } },
    env: {},
    auditLog: audit,
  });
  return { db, audit, iam };
}

/** A read-only handle on the file: what a crash would leave (committed rows only). */
function reader(path: string) {
  const db = new Database(path, { readonly: true });
  return {
    has: (id: string) => db.prepare('SELECT 1 FROM users WHERE id = ?').get(id) !== undefined,
    count: () => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n,
    version: () => db.pragma('data_version', { simple: true }) as number,
    close: () => db.close(),
  };
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('group commit in a batch', () => {
  test('many commands per commit, and each record comes only once its row is committed', async () => {
    const { db, audit, iam } = setup();
    // The store exists before the batch, so the reader can watch it from the start.
    await iam.createUser('loc', { userProfile: { username: 'first' } });
    const view = reader(db);
    try {
      const profiles = Array.from({ length: 300 }, (_, i) => ({ username: `u${i}`, email: `u${i}@x.org` }));
      const versions = new Set<number>();
      let seen = 0;
      for await (const item of runBatch(iam, { command: 'create-user', instances: ['loc'] }, profiles)) {
        assert.equal(item.kind, 'result');
        const { vendor } = (item as BatchResult).result;
        assert.equal(vendor.success, true, vendor.errorMessage);
        assert.ok(view.has(vendor.id ?? ''), `record of ${vendor.username} before its row was committed`);
        const intents = lines(audit).filter((l) => l.event === 'intent' && l.username === vendor.username);
        assert.equal(intents.length, 1, `record of ${vendor.username} without its intent line`);
        versions.add(view.version());
        seen += 1;
      }
      assert.equal(seen, 300);
      assert.equal(view.count(), 301);
      // Each commit of the batch's handle moves data_version once: one commit per command would
      // show about 300 versions here.
      assert.ok(versions.size <= 300 / 8, `${versions.size} commits seen for 300 creates`);
    } finally {
      view.close();
      await iam.close();
    }
    const all = lines(audit);
    assert.equal(all.filter((l) => l.event === 'intent').length, 301);
    assert.equal(all.filter((l) => l.event === 'outcome' && l.outcome === 'success').length, 301);
  });

  test('a lone command on an idle input is committed and yielded without waiting for more', async () => {
    const { db, iam } = setup();
    let release = () => {};
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    async function* input() {
      yield { username: 'lonely' };
      await gate; // the input goes quiet for as long as the test wants
    }
    const items = runBatch(iam, { command: 'create-user', instances: ['loc'] }, input());
    const it = items[Symbol.asyncIterator]();
    try {
      const first = await Promise.race([it.next(), delay(5000).then(() => 'timeout' as const)]);
      assert.notEqual(first, 'timeout', 'the record waited for more input');
      const item = (first as IteratorResult<BatchItem>).value as BatchResult;
      const view = reader(db);
      assert.ok(view.has(item.result.vendor.id ?? ''));
      view.close();
    } finally {
      release();
      await it.return?.();
      await iam.close();
    }
  });

  test('a read that saw a row of the open group answers only once that row is committed', async () => {
    const { db, iam } = setup();
    await iam.createUser('loc', { userProfile: { username: 'seed' } });
    const connector = iam.runtime('loc').connector;
    const view = reader(db);
    try {
      await connector.groupCommit?.(true);
      const created = connector.createUser?.({ username: 'twin' }, { active: true });
      // Another command looks the account up while its create is still in the open group.
      const found = await connector.findUsers?.({ attribute: 'username', value: 'twin' });
      const id = found?.[0]?.id ?? '';
      assert.ok(view.has(id), 'a lookup answered with a row not yet committed');
      assert.equal((await created)?.id, id);
      // A read that saw nothing of the group is not held.
      const other = await connector.findUsers?.({ attribute: 'username', value: 'seed' });
      assert.equal(other?.length, 1);
    } finally {
      await connector.groupCommit?.(false);
      view.close();
      await iam.close();
    }
  });

  test('a single command (no batch) is committed before it returns', async () => {
    const { db, iam } = setup();
    try {
      const first = await iam.createUser('loc', { userProfile: { username: 'one' } });
      const view = reader(db);
      try {
        assert.ok(view.has(first.vendor.id ?? ''));
        const second = await iam.createUser('loc', { userProfile: { username: 'two' } });
        assert.ok(view.has(second.vendor.id ?? ''), 'the second single create is committed at once');
      } finally {
        view.close();
      }
    } finally {
      await iam.close();
    }
  });
});

describe('GroupCommit on a store', () => {
  const hooks = { beforeCommit: () => {}, afterCommit: () => {} };

  test('one failing command rolls back alone; the others of its group commit', async () => {
    const path = join(dir.path, 'rollback.db');
    const store = openLocalStore(path);
    const group = new GroupCommit(store, hooks, 64);
    const view = reader(path);
    try {
      const a = group.write(() =>
        store.createUser({ username: 'a', email: null, active: true, attributes: {} }),
      );
      // Inserts the group, then fails on its unknown member: the group row must go too.
      const bad = group.write(() => store.createGroup('team', ['no-such-user']));
      const b = group.write(() =>
        store.createUser({ username: 'b', email: null, active: true, attributes: {} }),
      );
      assert.equal(group.pending, 3);
      assert.equal(view.count(), 0, 'nothing is committed before the group is');
      const [ra, rbad, rb] = await Promise.allSettled([a, bad, b]);
      assert.equal(ra.status, 'fulfilled');
      assert.equal(rb.status, 'fulfilled');
      assert.equal(rbad.status, 'rejected');
      assert.match(String((rbad as PromiseRejectedResult).reason), /no user has id no-such-user/);
      assert.equal(view.count(), 2);
      assert.equal(store.findGroup({ displayName: 'team' }), null);
    } finally {
      view.close();
      store.close();
    }
  });

  test('a create whose username is taken fails with who holds it, alone, in a group or not', async () => {
    const path = join(dir.path, 'taken.db');
    const store = openLocalStore(path);
    const group = new GroupCommit(store, hooks, 64);
    const user = (u: string) => ({ username: u, email: null, active: true, attributes: {} });
    try {
      const held = store.createUser(user('Ann'));
      const taken = new RegExp(`username "ann" is already taken by user ${held.id}`);
      assert.throws(() => store.createUser(user('ann')), taken);
      const ok = group.write(() => store.createUser(user('bob')));
      const refused = group.write(() => store.createUser(user('ann')));
      await assert.rejects(refused, taken);
      assert.equal((await ok).username, 'bob');
      assert.equal(store.counts().users, 2);
    } finally {
      store.close();
    }
  });

  test('intents that cannot be written: the whole group is rolled back and each command fails', async () => {
    const path = join(dir.path, 'refused.db');
    const store = openLocalStore(path);
    const refused = new Error('audit log: cannot record the write before sending it (ENOSPC)');
    let after = 0;
    const group = new GroupCommit(
      store,
      {
        beforeCommit: () => {
          throw refused;
        },
        afterCommit: () => {
          after += 1;
        },
      },
      64,
    );
    try {
      const writes = ['x', 'y'].map((u) =>
        group.write(() => store.createUser({ username: u, email: null, active: true, attributes: {} })),
      );
      const settled = await Promise.allSettled(writes);
      for (const s of settled) assert.deepEqual(s, { status: 'rejected', reason: refused });
      assert.equal(store.counts().users, 0);
      assert.equal(after, 0);
    } finally {
      store.close();
    }
  });

  test('the group commits as soon as it holds its most writes', async () => {
    const path = join(dir.path, 'full.db');
    const store = openLocalStore(path);
    const group = new GroupCommit(store, hooks, 2);
    const view = reader(path);
    try {
      const user = (u: string) => ({ username: u, email: null, active: true, attributes: {} });
      const first = [
        group.write(() => store.createUser(user('p'))),
        group.write(() => store.createUser(user('q'))),
      ];
      assert.equal(view.count(), 2, 'committed at its second write, without waiting for the loop');
      const third = group.write(() => store.createUser(user('r')));
      assert.equal(group.pending, 1);
      await Promise.all([...first, third]);
      assert.equal(view.count(), 3);
    } finally {
      view.close();
      store.close();
    }
  });
});
