// better-sqlite3 (a native module), loaded when a Local store is first opened rather than at every
// start: a command on another brand never pays for it. Types come from 'better-sqlite3' as usual.
import { createRequire } from 'node:module';
import type DatabaseClass from 'better-sqlite3';

const load = createRequire(import.meta.url);
let lib: typeof DatabaseClass | undefined;

/** A new connection to `path` (a file, `:memory:`, or a serialized database's bytes). */
export function openDatabase(path: string | Buffer, options?: DatabaseClass.Options): DatabaseClass.Database {
  lib ??= load('better-sqlite3') as typeof DatabaseClass;
  return new lib(path, options);
}
