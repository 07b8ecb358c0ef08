// A dry run on the Local brand writes nothing, anywhere: not the store file (no WAL switch, no
// migration of an old or empty file), no -wal/-shm beside it, no directory. It works on an
// in-memory copy of the store instead, so its checks (username taken, unknown member) still see
// the real data.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { ConfigError } from '../../core/errors.js';
import { openDatabase } from './sqlite.js';

/** The store's bytes: read through SQLite when a -wal holds changes not yet in the main file. */
function storeBytes(path: string): Buffer {
  if (existsSync(`${path}-wal`) && existsSync(`${path}-shm`)) {
    // Another process has the store open: its -wal and -shm exist, so a read-only open creates nothing.
    const ro = openDatabase(path, { readonly: true, fileMustExist: true });
    try {
      return ro.serialize();
    } finally {
      ro.close();
    }
  }
  return readFileSync(path);
}

/** An in-memory database holding a copy of the store at `path` (empty when there is no file). */
export function openDryRunCopy(path: string): Database.Database {
  if (!existsSync(path)) return openDatabase(':memory:');
  if (!statSync(path).isFile()) throw new ConfigError(`Local directory at ${path} is not a regular file`);
  const bytes = storeBytes(path);
  if (bytes.length === 0) return openDatabase(':memory:');
  // Bytes 18-19 of the header say "WAL mode" (2); an in-memory copy only opens as legacy (1).
  if (bytes.length >= 20) bytes.fill(1, 18, 20);
  return openDatabase(bytes);
}
