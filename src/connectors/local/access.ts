// How the Local connector reaches its store: the handle (opened on first use, dropped on close),
// reads and writes with the store's errors turned into IamErrors, and group commit while a batch
// runs (group-commit.ts; never in a dry run, which rolls every write back anyway).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConnectorContext } from '../../core/connector.js';
import type { WriteDescription } from '../../core/dry-run.js';
import { AppError, ConfigError, IamError } from '../../core/errors.js';
import { GroupCommit } from './group-commit.js';
import { type LocalStore, openLocalStore } from './store.js';

/** Anything the store throws that is not already an IamError (disk full, busy) becomes an AppError. */
function asIamError(e: unknown): IamError {
  if (e instanceof IamError) return e;
  const code = (e as { code?: unknown }).code;
  return new AppError(`Local directory error: ${e instanceof Error ? e.message : String(e)}`, {
    ...(typeof code === 'string' ? { vendorCode: code } : {}),
    cause: e,
  });
}

export interface LocalAccess {
  /** A read; `ids`: the users it returned, so an open group knows whether it saw its writes. */
  run<T>(fn: (s: LocalStore) => T, ids?: (value: T) => readonly string[]): Promise<T>;
  /**
   * Reports a write (the audit's field names; what a dry run shows), then runs it: committed at
   * once, or in the open group and settled after its commit. `createdId`: the user a create made.
   */
  write<T>(
    w: WriteDescription | null,
    fn: (s: LocalStore) => T,
    createdId?: (value: T) => string,
  ): Promise<T>;
  groupCommit(on: boolean): Promise<void>;
  close(): Promise<void>;
}

/** `path`: the store's file, or `:memory:`. `groupWrites`: most writes one group commit holds. */
export function localAccess(path: string, ctx: ConnectorContext, groupWrites: number): LocalAccess {
  const dryRun = ctx.dryRun === true;
  let store: LocalStore | undefined;

  const open = (): LocalStore => {
    if (store) return store;
    // A dry run creates nothing, not even the folder: it reads an in-memory copy (store.ts).
    if (path !== ':memory:' && !dryRun) {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (e) {
        throw new ConfigError(`cannot create the directory of ${path}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
    store = openLocalStore(path, { dryRun });
    return store;
  };

  let batches = 0; // batches running with group commit on (a library may run two at once)
  let groups: GroupCommit | undefined;
  const audit = ctx.writeGroup;
  const hooks = {
    beforeCommit: () => audit?.writeIntents(),
    afterCommit: () => audit?.gatherOutcomes(),
  };
  const endGroups = () => {
    const g = groups;
    groups = undefined;
    g?.commit();
  };

  return {
    run: async (fn, ids) => {
      try {
        const value = fn(open());
        return await (groups ? groups.read(value, ids ? ids(value) : null) : value);
      } catch (e) {
        throw asIamError(e);
      }
    },

    write: async (w, fn, createdId) => {
      try {
        if (batches === 0 || dryRun) {
          if (w) ctx.onWrite?.(w);
          return fn(open());
        }
        const s = open();
        groups ??= new GroupCommit(s, hooks, groupWrites);
        // The intent is kept with the group's, all written before it commits (without the audit's
        // group side, written now, as for a single write: ahead of the change either way).
        if (w) {
          if (audit) audit.queue(w);
          else ctx.onWrite?.(w);
        }
        return await groups.write(() => fn(s), createdId);
      } catch (e) {
        throw asIamError(e);
      }
    },

    groupCommit: async (on) => {
      endGroups();
      batches = Math.max(0, batches + (on ? 1 : -1));
    },

    close: async () => {
      endGroups();
      const s = store;
      store = undefined;
      s?.close();
    },
  };
}
