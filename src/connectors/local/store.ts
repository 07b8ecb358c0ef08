// The Local brand's store: one SQLite file on better-sqlite3. It speaks in its own row types
// (LocalUser, LocalGroup); index.ts translates them to the connector contract. better-sqlite3 is
// synchronous, so every write runs in one IMMEDIATE transaction: its read-then-write checks
// (username taken? user ids known?) cannot race another process using the same file.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type Database from 'better-sqlite3';
import type { GroupKey } from '../../core/connector.js';
import {
  ConfigError,
  ConflictError,
  InvalidResponseError,
  InvalidValueError,
  NotFoundError,
} from '../../core/errors.js';
import { openDryRunCopy } from './dry-run-copy.js';
import {
  countRow,
  groupRow,
  idRow,
  type LocalGroup,
  type LocalMember,
  type LocalUser,
  type LocalUserChanges,
  memberRow,
  migrate,
  type NewLocalUser,
  parse,
  userRow,
} from './schema.js';
import { GROUP_COLS, LOCAL_SQL, USER_COLS } from './sql.js';
import { openDatabase } from './sqlite.js';

export {
  LOCAL_SCHEMA_VERSION,
  type LocalGroup,
  type LocalMember,
  type LocalUser,
  type LocalUserChanges,
  type NewLocalUser,
} from './schema.js';

export interface LocalStoreOptions {
  /** Clock for created/modified stamps; injectable so tests can see a bump. */
  now?: () => Date;
  /**
   * Dry run: the store is an in-memory copy of the file (which is never opened for writing, created
   * or migrated); every write runs its checks and statements, then is rolled back.
   */
  dryRun?: boolean;
}

/** Opens (creating if needed) and migrates a Local directory file. `:memory:` works too. */
export function openLocalStore(path: string, opts: LocalStoreOptions = {}): LocalStore {
  let db: Database.Database;
  try {
    db = opts.dryRun && path !== ':memory:' ? openDryRunCopy(path) : openDatabase(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot open Local directory at ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    // WAL lets readers (another CLI run, the demo) work while one process writes.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return new LocalStore(db, path, opts.now ?? (() => new Date()), opts.dryRun ?? false);
  } catch (e) {
    db.close();
    if (e instanceof ConfigError || e instanceof InvalidResponseError) throw e;
    throw new ConfigError(`cannot open Local directory at ${path}: ${(e as Error).message}`, { cause: e });
  }
}

// Lists of ids travel as one JSON array bound to json_each, so one statement serves any length.
function prepareStatements(db: Database.Database) {
  return {
    userById: db.prepare<[string]>(LOCAL_SQL.userById),
    userByName: db.prepare<[string]>(LOCAL_SQL.userByName),
    usersByEmail: db.prepare<[string]>(LOCAL_SQL.usersByEmail),
    otherUserByName: db.prepare<[string, string]>(LOCAL_SQL.otherUserByName),
    insertUser: db.prepare<[string, string, string | null, number, string, string, string]>(
      LOCAL_SQL.insertUser,
    ),
    updateUser: db.prepare<[string, string | null, string, string, string]>(
      'UPDATE users SET username = ?, email = ?, attributes = ?, modified = ? WHERE id = ?',
    ),
    setActive: db.prepare<[number, string, string]>('UPDATE users SET active = ?, modified = ? WHERE id = ?'),
    deleteUser: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),
    groupById: db.prepare<[string]>(LOCAL_SQL.groupById),
    groupByName: db.prepare<[string]>(LOCAL_SQL.groupByName),
    insertGroup: db.prepare<[string, string, string, string]>(
      'INSERT INTO groups (id, display_name, created, modified) VALUES (?, ?, ?, ?)',
    ),
    touchGroup: db.prepare<[string, string]>('UPDATE groups SET modified = ? WHERE id = ?'),
    deleteGroup: db.prepare<[string]>('DELETE FROM groups WHERE id = ?'),
    members: db.prepare<[string]>(LOCAL_SQL.members),
    unknownUsers: db.prepare<[string]>(
      'SELECT DISTINCT value AS id FROM json_each(?) WHERE value NOT IN (SELECT id FROM users)',
    ),
    addMembers: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO group_members (group_id, user_id) SELECT ?, value FROM json_each(?)',
    ),
    removeMembers: db.prepare<[string, string]>(
      'DELETE FROM group_members WHERE group_id = ? AND user_id IN (SELECT value FROM json_each(?))',
    ),
    usersAfter: db.prepare<[string, number]>(
      `SELECT ${USER_COLS} FROM users WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    groupsAfter: db.prepare<[string, number]>(
      `SELECT ${GROUP_COLS} FROM groups WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    counts: db.prepare<[]>(
      'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM groups) AS groups',
    ),
  };
}

/** A migrated Local directory. Build it with openLocalStore; it owns its handle until close(). */
export class LocalStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #dryRun: boolean;
  readonly #sql: ReturnType<typeof prepareStatements>;
  /** One transaction function for every write (a SAVEPOINT when a group transaction is open). */
  readonly #tx: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #group: { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement };

  constructor(db: Database.Database, path: string, now: () => Date, dryRun = false) {
    this.#db = db;
    this.path = path;
    this.#now = now;
    this.#dryRun = dryRun;
    this.#sql = prepareStatements(db);
    this.#tx = db.transaction((fn: () => unknown) => fn());
    this.#group = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  /**
   * Group commit (group-commit.ts): one transaction around many commands' writes, each of which
   * then runs in a SAVEPOINT of it. IMMEDIATE, so the read-then-write checks cannot race another
   * process, as for a single write.
   */
  beginGroup(): void {
    this.#group.begin.run();
  }

  commitGroup(): void {
    this.#group.commit.run();
  }

  /** Undoes an open group (nothing when SQLite already rolled it back). */
  rollbackGroup(): void {
    if (this.#db.inTransaction) this.#group.rollback.run();
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  /**
   * `oneChange`: fn changes the file with one statement at most, which SQLite undoes alone if it
   * fails (statement rollback), so inside a group it needs no SAVEPOINT of its own.
   */
  #write<T>(fn: () => T, oneChange = false): T {
    if (oneChange && !this.#dryRun && this.#db.inTransaction) return fn();
    if (!this.#dryRun) return this.#tx.immediate(fn) as T;
    // Dry run: the same checks and statements (so conflicts still show), then thrown out of the
    // transaction, which rolls it back; the value it would have returned is kept.
    const rollback = new Error('dry run: roll back');
    let out: T | undefined;
    try {
      this.#db
        .transaction(() => {
          out = fn();
          throw rollback;
        })
        .immediate();
    } catch (e) {
      if (e !== rollback) throw e;
    }
    return out as T;
  }

  #requireUser(id: string): LocalUser {
    const user = this.findUserById(id);
    if (!user) throw new NotFoundError(`user ${id} does not exist`);
    return user;
  }

  #requireGroup(id: string): LocalGroup {
    const group = this.findGroup({ id });
    if (!group) throw new NotFoundError(`group ${id} does not exist`);
    return group;
  }

  #checkUsernameFree(username: string, exceptId: string): void {
    const other = this.#sql.otherUserByName.get(username, exceptId);
    if (other !== undefined) {
      const { id } = parse(idRow, other, 'user');
      throw new ConflictError(`username "${username}" is already taken by user ${id}`);
    }
  }

  findUserById(id: string): LocalUser | null {
    const row = this.#sql.userById.get(id);
    return row === undefined ? null : parse(userRow, row, 'user');
  }

  /** Case-insensitive (ASCII letters only: SQLite's NOCASE). */
  findUserByUsername(username: string): LocalUser | null {
    const row = this.#sql.userByName.get(username);
    return row === undefined ? null : parse(userRow, row, 'user');
  }

  /** Every account with this email, case-insensitively (ASCII), oldest first. */
  findUsersByEmail(email: string): LocalUser[] {
    return this.#sql.usersByEmail.all(email).map((row) => parse(userRow, row, 'user'));
  }

  createUser(input: NewLocalUser): LocalUser {
    return this.#write(() => {
      const id = randomUUID();
      const at = this.#stamp();
      const attrs = JSON.stringify(input.attributes);
      try {
        this.#sql.insertUser.run(id, input.username, input.email, input.active ? 1 : 0, attrs, at, at);
      } catch (e) {
        // The unique username index refused it: say who holds the name (a ConflictError).
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          this.#checkUsernameFree(input.username, id);
        }
        throw e;
      }
      // The row as it now reads back (attributes through their stored JSON), without reading it.
      const { username, email, active } = input;
      const attributes = JSON.parse(attrs) as Record<string, unknown>;
      return { id, username, email, active, attributes, created: at, modified: at };
    }, true);
  }

  /** Writes only what differs; `modified` moves only when something did. */
  updateUser(id: string, changes: LocalUserChanges): LocalUser {
    return this.#write(() => {
      const user = this.#requireUser(id);
      let changed = false;
      let { username, email } = user;
      if (changes.username !== undefined && changes.username !== username) {
        this.#checkUsernameFree(changes.username, id);
        username = changes.username;
        changed = true;
      }
      if (changes.email !== undefined && changes.email !== email) {
        email = changes.email;
        changed = true;
      }
      // A Map, not object assignment: a key such as `__proto__` must stay a plain key.
      const attrs = new Map(Object.entries(user.attributes));
      for (const [key, value] of Object.entries(changes.attributes ?? {})) {
        if (value === null) {
          changed = attrs.delete(key) || changed;
        } else if (!attrs.has(key) || !isDeepStrictEqual(attrs.get(key), value)) {
          attrs.set(key, value);
          changed = true;
        }
      }
      if (!changed) return user;
      const json = JSON.stringify(Object.fromEntries(attrs));
      this.#sql.updateUser.run(username, email, json, this.#stamp(), id);
      return this.#requireUser(id);
    });
  }

  setActive(id: string, active: boolean): LocalUser {
    return this.#write(() => {
      const user = this.#requireUser(id);
      if (user.active === active) return user;
      this.#sql.setActive.run(active ? 1 : 0, this.#stamp(), id);
      return this.#requireUser(id);
    });
  }

  /** Memberships go with the user (ON DELETE CASCADE). */
  deleteUser(id: string): void {
    this.#write(() => {
      if (this.#sql.deleteUser.run(id).changes === 0) throw new NotFoundError(`user ${id} does not exist`);
    });
  }

  /** By id (exact) or display name (case-insensitive, ASCII). */
  findGroup(key: GroupKey): LocalGroup | null {
    const row = 'id' in key ? this.#sql.groupById.get(key.id) : this.#sql.groupByName.get(key.displayName);
    return row === undefined ? null : parse(groupRow, row, 'group');
  }

  listMembers(groupId: string): LocalMember[] {
    return this.#sql.members.all(groupId).map((row) => parse(memberRow, row, 'member'));
  }

  createGroup(displayName: string, memberIds: readonly string[] = []): LocalGroup {
    return this.#write(() => {
      const other = this.findGroup({ displayName });
      if (other) throw new ConflictError(`group "${displayName}" already exists with id ${other.id}`);
      const id = randomUUID();
      const at = this.#stamp();
      this.#sql.insertGroup.run(id, displayName, at, at);
      // Inside the same transaction: unknown members roll the new group back too.
      this.#insertMembers(id, memberIds);
      return this.#requireGroup(id);
    });
  }

  /** All or nothing: one unknown user id adds none. Existing members are left as they are. */
  addMembers(groupId: string, userIds: readonly string[]): void {
    this.#write(() => {
      this.#requireGroup(groupId);
      if (this.#insertMembers(groupId, userIds)) this.#sql.touchGroup.run(this.#stamp(), groupId);
    });
  }

  /** Ids that are not members (or not users at all) are ignored. */
  removeMembers(groupId: string, userIds: readonly string[]): void {
    this.#write(() => {
      this.#requireGroup(groupId);
      if (this.#sql.removeMembers.run(groupId, JSON.stringify(userIds)).changes > 0) {
        this.#sql.touchGroup.run(this.#stamp(), groupId);
      }
    });
  }

  #insertMembers(groupId: string, userIds: readonly string[]): boolean {
    if (userIds.length === 0) return false;
    const list = JSON.stringify(userIds);
    const unknown = this.#sql.unknownUsers.all(list).map((row) => parse(idRow, row, 'member').id);
    if (unknown.length > 0) {
      throw new InvalidValueError(`cannot add members: no user has id ${unknown.join(', ')}`, {
        status: 400,
      });
    }
    return this.#sql.addMembers.run(groupId, list).changes > 0;
  }

  /** Memberships go with the group (ON DELETE CASCADE). */
  deleteGroup(id: string): void {
    this.#write(() => {
      if (this.#sql.deleteGroup.run(id).changes === 0) throw new NotFoundError(`group ${id} does not exist`);
    });
  }

  /** Up to `limit` users with an id after `after` (keyset paging, by id). */
  usersAfter(after: string, limit: number): LocalUser[] {
    return this.#sql.usersAfter.all(after, limit).map((row) => parse(userRow, row, 'user'));
  }

  /** Up to `limit` groups with an id after `after` (keyset paging, by id). */
  groupsAfter(after: string, limit: number): LocalGroup[] {
    return this.#sql.groupsAfter.all(after, limit).map((row) => parse(groupRow, row, 'group'));
  }

  counts(): { users: number; groups: number } {
    return parse(countRow, this.#sql.counts.get(), 'count');
  }

  close(): void {
    this.#db.close();
  }
}
