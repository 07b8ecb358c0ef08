// Every lookup of the Local store searches an index (issue 16): at a million accounts a table scan
// per command would make each create slower than the last. The store's own SQL, planned by SQLite
// on a migrated file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { LOCAL_SQL } from '../../src/connectors/local/sql.js';
import { openLocalStore } from '../../src/connectors/local/store.js';
import { tempDir } from '../conformance/harness.js';

const dir = tempDir('iam-local-indexes-');
after(() => dir.cleanup());

test('each lookup statement searches an index, none scans a table', () => {
  const path = join(dir.path, 'plan.db');
  openLocalStore(path).close();
  const db = new Database(path, { readonly: true });
  try {
    const lookups = Object.entries(LOCAL_SQL).filter(([name]) => name !== 'insertUser');
    assert.ok(lookups.length >= 7);
    for (const [name, sql] of lookups) {
      const args = (sql.match(/\?/g) ?? []).map(() => 'x');
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
        (r) => r.detail,
      );
      assert.ok(
        plan.some((d) => /^SEARCH /.test(d)),
        `${name}: ${plan.join('; ')}`,
      );
      assert.deepEqual(
        plan.filter((d) => /^SCAN (users|groups|group_members|u|m)\b/.test(d)),
        [],
        `${name} scans a table: ${plan.join('; ')}`,
      );
    }
  } finally {
    db.close();
  }
});
