// Group commit for the Local store: while a batch runs, its commands' writes share one SQLite
// transaction (a group), each command's statements in a SAVEPOINT of it (store.ts), so a command
// that fails rolls back alone. The group commits after `maxWrites` writes, or as soon as the event
// loop has run everything queued (setImmediate: no timer, so a lone command or an idle input never
// waits). Nothing is acknowledged before it is durable: a write settles only after its group's
// COMMIT, and so does a read that may have seen a row the group changed (a record built on it is
// printed only once that row is in the file). The group's intent lines are written (one write)
// before its COMMIT; when they cannot be, the whole group is rolled back and each of its commands
// fails with that error. After the COMMIT, the outcome lines of the released commands are gathered
// into one write.
import type { LocalStore } from './store.js';

/** What the audit does around a group's commit (see WriteGroupAudit in core/connector.ts). */
export interface GroupHooks {
  /** Before COMMIT: writes the group's intent lines; throws when it cannot (the group is undone). */
  beforeCommit(): void;
  /** After COMMIT, before the writes settle. */
  afterCommit(): void;
}

interface Group {
  writes: number;
  /** Users the group created: a read that returns one of them waits for the commit. */
  created: Set<string>;
  /** The group holds a write other than a user create: every read waits for the commit. */
  changed: boolean;
  committed: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

type Outcome<T> = { value: T } | { error: unknown };

/** Groups open in this process, by file: two handles on one file must not both hold one open. */
const openGroups = new Set<GroupCommit>();

export class GroupCommit {
  readonly #store: LocalStore;
  readonly #hooks: GroupHooks;
  readonly #maxWrites: number;
  #group: Group | undefined;

  constructor(store: LocalStore, hooks: GroupHooks, maxWrites: number) {
    this.#store = store;
    this.#hooks = hooks;
    this.#maxWrites = Math.max(1, maxWrites);
  }

  /** Writes made in the open group so far (0: none open). */
  get pending(): number {
    return this.#group?.writes ?? 0;
  }

  #open(): Group {
    if (this.#group) return this.#group;
    // Another handle of this process on the same file would wait on our lock while blocking the
    // event loop our commit needs: commit its group first.
    for (const other of openGroups) {
      if (other !== this && other.#store.path === this.#store.path && this.#store.path !== ':memory:') {
        other.commit();
      }
    }
    this.#store.beginGroup();
    let resolve = () => {};
    let reject: (e: unknown) => void = () => {};
    const committed = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const group: Group = { writes: 0, created: new Set(), changed: false, committed, resolve, reject };
    this.#group = group;
    openGroups.add(this);
    setImmediate(() => {
      if (this.#group === group) this.commit();
    });
    return group;
  }

  /**
   * Runs one command's write in the open group (opening one if none is) and settles after the
   * group's commit: with its value, or its own error (its statements were rolled back alone).
   * `createdId`: the user the write created, when it is a user create.
   */
  write<T>(fn: () => T, createdId?: (value: T) => string): Promise<T> {
    const group = this.#open();
    let out: Outcome<T>;
    try {
      const value = fn();
      out = { value };
      if (createdId) group.created.add(createdId(value));
      else group.changed = true;
    } catch (error) {
      out = { error };
    }
    group.writes += 1;
    const settled = group.committed.then(
      () => {
        if ('error' in out) throw out.error;
        return out.value;
      },
      (failed: unknown) => {
        throw 'error' in out ? out.error : failed;
      },
    );
    if (group.writes >= this.#maxWrites) this.commit();
    return settled;
  }

  /**
   * A read's value, released at once when it cannot have seen the open group's writes, else at the
   * group's commit. `ids`: the users it returned (null: anything, e.g. a group or a page).
   */
  read<T>(value: T, ids: readonly string[] | null): T | Promise<T> {
    const group = this.#group;
    if (!group) return value;
    if (ids !== null && !group.changed && !ids.some((id) => group.created.has(id))) return value;
    return group.committed.then(() => value);
  }

  /** Commits the open group (if any) now, then settles its writes. */
  commit(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    openGroups.delete(this);
    try {
      this.#hooks.beforeCommit();
      this.#store.commitGroup();
    } catch (e) {
      try {
        this.#store.rollbackGroup();
      } catch {
        // The handle is unusable; the error below is what each command reports.
      }
      group.reject(e);
      return;
    }
    this.#hooks.afterCommit();
    group.resolve();
  }
}
