// The Local ceiling (issue 16): what SQLite itself does for `iam batch create-user` on a fresh
// file: a plain better-sqlite3 loop in one process, the store's schema (migrations) and pragmas,
// the same lookup-by-username and user insert statements (src/connectors/local/sql.ts), one
// transaction per 64 creates. No JSON input, no records, no audit: only the database's work.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { migrate } from '../src/connectors/local/schema.js';
import { LOCAL_SQL } from '../src/connectors/local/sql.js';
import type { Measured } from './ceiling.js';
import { percentile, profileOf } from './tools.js';

export const CEILING_GROUP = 64;

/** `lines` lookup-then-insert creates into a new SQLite file at `path`, committing every 64. */
export function localCeiling(path: string, lines: number): Measured {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    const byName = db.prepare(LOCAL_SQL.userByName);
    const insert = db.prepare(LOCAL_SQL.insertUser);
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const groupMs: number[] = [];
    const started = performance.now();
    let groupStart = started;
    for (let i = 0; i < lines; i++) {
      if (i % CEILING_GROUP === 0) {
        begin.run();
        groupStart = performance.now();
      }
      const p = profileOf(`c${i}`);
      if (byName.get(p.username) !== undefined) throw new Error(`ceiling: ${p.username} exists`);
      const at = new Date().toISOString();
      const attrs = JSON.stringify({
        givenname: p.givenname,
        surname: p.surname,
        displayname: `${p.givenname} ${p.surname}`,
      });
      insert.run(randomUUID(), p.username, p.email, 1, attrs, at, at);
      if (i % CEILING_GROUP === CEILING_GROUP - 1 || i === lines - 1) {
        commit.run();
        groupMs.push(performance.now() - groupStart);
      }
    }
    const wallMs = performance.now() - started;
    return {
      ops: lines,
      wallMs,
      opsPerSecond: (lines * 1000) / wallMs,
      // Per group of 64: a create is acknowledged when its group commits.
      p50Ms: percentile(groupMs, 0.5),
      p99Ms: percentile(groupMs, 0.99),
    };
  } finally {
    db.close();
  }
}
