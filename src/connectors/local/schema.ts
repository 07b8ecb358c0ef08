// The Local store's schema: the migrations that build it, and the zod shapes its rows are parsed
// with (once, as they leave SQLite). store.ts holds the queries.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ConfigError, InvalidResponseError } from '../../core/errors.js';

// One entry per schema version: MIGRATIONS[n] takes a file from user_version n to n + 1.
// Append only; never edit a released entry.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id         TEXT PRIMARY KEY NOT NULL,
     username   TEXT NOT NULL UNIQUE COLLATE NOCASE,
     email      TEXT,
     active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
     attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes) AND json_type(attributes) = 'object'),
     created    TEXT NOT NULL,
     modified   TEXT NOT NULL
   ) STRICT;
   CREATE INDEX users_email ON users (lower(email));
   CREATE TABLE groups (
     id           TEXT PRIMARY KEY NOT NULL,
     display_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     created      TEXT NOT NULL,
     modified     TEXT NOT NULL
   ) STRICT;
   CREATE TABLE group_members (
     group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
     user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     PRIMARY KEY (group_id, user_id)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX group_members_user ON group_members (user_id);`,
];

export const LOCAL_SCHEMA_VERSION = MIGRATIONS.length;

export interface LocalUser {
  id: string;
  username: string;
  email: string | null;
  active: boolean;
  /** Every other account field, in insertion order. */
  attributes: Record<string, unknown>;
  created: string;
  modified: string;
}

export interface LocalGroup {
  id: string;
  displayName: string;
  created: string;
  modified: string;
}

export interface LocalMember {
  id: string;
  username: string;
}

export interface NewLocalUser {
  username: string;
  email: string | null;
  active: boolean;
  attributes: Record<string, unknown>;
}

/** What an update writes. An absent key is left alone; an attribute set to null is removed. */
export interface LocalUserChanges {
  username?: string;
  email?: string | null;
  attributes?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const userRow = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  active: z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
  // The CHECK constraint guarantees a JSON object, but a file edited by hand may not keep it.
  attributes: z
    .string()
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(z.custom<Record<string, unknown>>(isObject)),
  created: z.string(),
  modified: z.string(),
});
export const groupRow = z.object({
  id: z.string(),
  displayName: z.string(),
  created: z.string(),
  modified: z.string(),
});
export const memberRow = z.object({ id: z.string(), username: z.string() });
export const idRow = z.object({ id: z.string() });
export const countRow = z.object({ users: z.number(), groups: z.number() });

/** Rows are parsed here, once; a row we cannot read is the "app" answering garbage. */
export function parse<T>(schema: z.ZodType<T>, row: unknown, what: string): T {
  try {
    return schema.parse(row);
  } catch (e) {
    throw new InvalidResponseError(`Local directory holds an unreadable ${what} row`, { cause: e });
  }
}

export function migrate(db: Database.Database, path: string): void {
  const readVersion = () => parse(z.number().int(), db.pragma('user_version', { simple: true }), 'version');
  if (readVersion() > LOCAL_SCHEMA_VERSION) {
    throw new ConfigError(
      `Local directory at ${path} has schema version ${readVersion()}; this version reads up to ${LOCAL_SCHEMA_VERSION}`,
    );
  }
  db.transaction(() => {
    // Read again inside the lock: another process may have migrated meanwhile.
    for (let v = readVersion(); v < LOCAL_SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
