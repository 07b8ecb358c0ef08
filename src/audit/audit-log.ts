// The audit log: JSON lines appended to a file opened with O_APPEND and mode 0600. Every write is
// there twice: an `intent` line before the request is sent (written by the write observer, see
// trail.ts) and an `outcome` line when the command ends. Each line is ONE write(2) of the whole
// line, which completes before the request goes out: a killed process (kill -9) loses no line, and
// lines from concurrent commands and processes never interleave. A store that commits many
// commands in one transaction (group commit) has the group's intent lines written in one write
// before its commit, and the outcome lines of the commands it releases in one write after it.
// Whole or absent: a short or failed write (disk full, file size limit) is cut back off with
// ftruncate, so no half line remains; an intent that cannot be written refuses its write (nothing
// is sent). A file that does not end with a newline (a torn line from an older crash) gets one
// before the first line, so the next line is never glued onto it.
// Durability: lines are fdatasync'ed in the background, coalesced (one sync in flight covers every
// line written before it started), and once more, synchronously, at close. A sync per line would
// cost 0.3-5 ms of blocked event loop each, capping a 10,000-user batch at a few hundred writes a
// second. A FIFO, terminal or pipe (`--audit-log /dev/stderr`) is written the same way, never
// synced or truncated; a target that cannot be opened for writing stops the command at start.
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { redactedJson } from '../core/redact.js';
import type { AuditLine } from './entry.js';

export const AUDIT_FILE_NAME = 'audit.log';

/** `<data directory>/audit.log`: the CLI's default, beside the Local brand's default store. */
export const defaultAuditPath = (dataDir: string): string => join(dataDir, AUDIT_FILE_NAME);

/** The OS user running the command (the audit's actor). */
export function osActor(env: Readonly<Record<string, string | undefined>> = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

export interface AuditLogOptions {
  /** Secret values scrubbed from every line, as a last guard (entries hold no values anyway); read live. */
  secrets?: readonly string[];
  onWarning?: (message: string) => void;
  /** false: no fdatasync at all (throw-away logs); default true. */
  sync?: boolean;
  /** One write(2); tests inject short writes and ENOSPC here. Default: fs.writeSync. */
  write?: (fd: number, data: Uint8Array) => number;
  /** The background sync; tests count calls here. Default: fs.fdatasync. */
  fdatasync?: (fd: number, done: (e: NodeJS.ErrnoException | null) => void) => void;
  /**
   * Lines written within this many ms share one background sync (default SYNC_INTERVAL_MS): a
   * sync costs ~0.14 ms of CPU here, which was one per command under load.
   */
  syncIntervalMs?: number;
}

/**
 * How long written lines may wait for their background fdatasync. A power cut loses at most the
 * lines of this window and of the sync under way; a killed process loses none (each line is in the
 * OS before its request is sent), and close() syncs whatever is left.
 */
export const SYNC_INTERVAL_MS = 20;

/** fsync errors that only mean "this kind of file cannot be synced" (a pipe, a terminal). */
const UNSYNCABLE = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EROFS', 'EBADF']);

/** Names of the process's own stdout and stderr. */
const STD_FDS: Readonly<Record<string, number>> = {
  '/dev/stdout': 1,
  '/dev/stderr': 2,
  '/dev/fd/1': 1,
  '/dev/fd/2': 2,
  '/proc/self/fd/1': 1,
  '/proc/self/fd/2': 2,
};

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'error';

export class AuditLog {
  readonly path: string;
  readonly #opts: AuditLogOptions;
  #fd: number | undefined;
  /** A regular file: synced, and truncated back after a short write. */
  #regular = false;
  /** The process's own stdout or stderr: written, never closed. */
  #borrowed = false;
  /** A background fdatasync is waiting or running; `#dirty`: lines were written after it started. */
  #syncing = false;
  #dirty = false;
  /** Group commit: intents kept until writeQueued(); outcomes gathered until the loop turns. */
  readonly #queued: Buffer[] = [];
  #gathered: { entry: AuditLine; line: Buffer }[] | undefined;

  constructor(path: string, opts: AuditLogOptions = {}) {
    this.path = path;
    this.#opts = opts;
  }

  /** Opens (creating with mode 0600) once; ConfigError naming the file when it cannot. */
  open(): void {
    if (this.#fd !== undefined) return;
    let fd: number;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      fd = openSync(this.path, 'a', 0o600);
    } catch (e) {
      // stdout/stderr that is a socket (a service manager's, node's own pipes) cannot be reopened
      // by name (ENXIO): write to the process's own descriptor instead, and never close it.
      const std = STD_FDS[this.path];
      if (std !== undefined && errno(e) === 'ENXIO') {
        this.#fd = std;
        this.#borrowed = true;
        return;
      }
      throw new ConfigError(
        `audit log ${this.path}: cannot open it for appending (${errno(e)}); set --audit-log, IAM_AUDIT_LOG or auditLog to a writable file`,
        { cause: e },
      );
    }
    const stat = fstatSync(fd);
    this.#regular = stat.isFile();
    if (stat.isDirectory()) {
      closeSync(fd);
      throw new ConfigError(`audit log ${this.path}: is a directory; set --audit-log to a file`);
    }
    this.#fd = fd;
    if (!this.#regular) return;
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const octal = (stat.mode & 0o777).toString(8).padStart(3, '0');
      this.#opts.onWarning?.(
        `audit log ${this.path} is readable by group/others (mode ${octal}): run chmod 600 ${this.path}`,
      );
    }
    if (stat.size > 0 && !this.#endsWithNewline(stat.size)) {
      // A torn line from an older crash: end it, so the next line starts on a line of its own.
      try {
        this.#writeWhole(fd, Buffer.from('\n'));
      } catch (e) {
        this.#fd = undefined;
        closeSync(fd);
        throw new ConfigError(
          `audit log ${this.path}: cannot end its torn last line (${errno(e)}); nothing was sent`,
          { cause: e },
        );
      }
    }
  }

  #endsWithNewline(size: number): boolean {
    const last = Buffer.alloc(1);
    try {
      // The 'a' flag opens write-only: read the last byte through a second, read-only descriptor.
      const rfd = openSync(this.path, 'r');
      try {
        readSync(rfd, last, 0, 1, size - 1);
      } finally {
        closeSync(rfd);
      }
    } catch {
      return true; // unreadable (write-only permission): nothing to repair we can see
    }
    return last[0] === 0x0a;
  }

  /**
   * Writes `buf` with one write call. A failed write(2) writes nothing; a short one (the disk filled
   * up mid-line) is cut back off with ftruncate (O_APPEND put its bytes at the end), so the file
   * holds the whole line or none of it; both throw.
   */
  #writeWhole(fd: number, buf: Buffer): void {
    const write = this.#opts.write ?? ((f: number, d: Uint8Array) => writeSync(f, d));
    const written = this.#regular ? write(fd, buf) : writeAll(fd, buf, write);
    if (written !== buf.length) {
      this.#cutBack(fd, written);
      const e: NodeJS.ErrnoException = new Error(`short write (${written} of ${buf.length} bytes)`);
      e.code = 'ENOSPC';
      throw e;
    }
    this.#dirty = true;
    this.#syncSoon(fd);
  }

  /** Removes the `written` bytes of a torn line from the end of the file. */
  #cutBack(fd: number, written: number): void {
    if (!this.#regular || written <= 0) return;
    try {
      const size = fstatSync(fd).size;
      if (size >= written) ftruncateSync(fd, size - written);
    } catch {
      // Nothing more can be done; the next open starts on a new line anyway.
    }
  }

  #line(entry: AuditLine): Buffer {
    const secrets = this.#opts.secrets ?? [];
    return Buffer.from(`${redactedJson(entry, secrets)}\n`, 'utf8');
  }

  /**
   * An intent, before its write is sent: throws a ConfigError when the line cannot be written
   * whole, so the write is refused (the caller sends nothing).
   */
  appendRequired(entry: AuditLine): void {
    try {
      this.open();
      this.#writeWhole(this.#fd as number, this.#line(entry));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(
        `audit log ${this.path}: cannot record the write before sending it (${errno(e)}); nothing was sent`,
        { cause: e },
      );
    }
  }

  /** An outcome: the change already happened, so a failure is a warning (its intent stays unanswered). */
  append(entry: AuditLine): void {
    if (this.#gathered) {
      this.#gathered.push({ entry, line: this.#line(entry) });
      return;
    }
    this.#appendLines([{ entry, line: this.#line(entry) }]);
  }

  #appendLines(lines: readonly { entry: AuditLine; line: Buffer }[]): void {
    if (lines.length === 0) return;
    try {
      this.open();
      this.#writeWhole(this.#fd as number, Buffer.concat(lines.map((l) => l.line)));
    } catch (e) {
      const why = e instanceof ConfigError ? e.message : errno(e);
      for (const { entry } of lines) {
        this.#opts.onWarning?.(
          `audit log ${this.path}: could not record ${entry.command} on instance "${entry.instance}" (${why})`,
        );
      }
    }
  }

  /**
   * Group commit: an intent kept (redacted now) until `writeQueued`, which must succeed before the
   * writes it announces are committed.
   */
  queueRequired(entry: AuditLine): void {
    this.#queued.push(this.#line(entry));
  }

  /** Writes the kept intents whole, in one write; throws like appendRequired (commit nothing then). */
  writeQueued(): void {
    const lines = this.#queued.splice(0);
    if (lines.length === 0) return;
    try {
      this.open();
      this.#writeWhole(this.#fd as number, Buffer.concat(lines));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(
        `audit log ${this.path}: cannot record the write before sending it (${errno(e)}); nothing was sent`,
        { cause: e },
      );
    }
  }

  /**
   * Outcome lines appended from now until the event loop's next turn go out in one write (the
   * commands a group commit released all end within that turn). close() writes them too.
   */
  gather(): void {
    if (this.#gathered) return;
    const gathered: { entry: AuditLine; line: Buffer }[] = [];
    this.#gathered = gathered;
    setImmediate(() => {
      if (this.#gathered === gathered) this.#flushGathered();
    });
  }

  #flushGathered(): void {
    const lines = this.#gathered ?? [];
    this.#gathered = undefined;
    this.#appendLines(lines);
  }

  /** One background sync for the lines of the next SYNC_INTERVAL_MS (unref'd: close() syncs too). */
  #syncSoon(fd: number): void {
    if (this.#syncing || this.#opts.sync === false || !this.#regular) return;
    this.#syncing = true;
    const sync = this.#opts.fdatasync ?? fdatasync;
    setTimeout(() => {
      if (this.#fd !== fd) {
        // Closed (and synced) meanwhile; lines written to a file opened since get their own sync.
        this.#syncing = false;
        if (this.#fd !== undefined && this.#dirty) this.#syncSoon(this.#fd);
        return;
      }
      this.#dirty = false;
      sync(fd, () => {
        this.#syncing = false;
        if (this.#dirty && this.#fd === fd) this.#syncSoon(fd);
      });
    }, this.#opts.syncIntervalMs ?? SYNC_INTERVAL_MS).unref();
  }

  /** Flushes to disk and closes. A file that cannot be synced (a pipe, a terminal) is not an error. */
  close(): void {
    this.#flushGathered();
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return;
    try {
      if (this.#opts.sync !== false && this.#regular) fdatasyncSync(fd);
    } catch (e) {
      if (!UNSYNCABLE.has(errno(e)))
        this.#opts.onWarning?.(`audit log ${this.path}: could not flush it to disk (${errno(e)})`);
    } finally {
      if (!this.#borrowed) closeSync(fd);
    }
  }
}

/**
 * A pipe, socket or terminal: nothing can be cut back there, so a short write is finished, and a
 * full non-blocking pipe (EAGAIN) is waited out for up to a second.
 */
function writeAll(fd: number, buf: Buffer, write: (fd: number, data: Uint8Array) => number): number {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let off = 0;
  for (let waited = 0; off < buf.length; ) {
    try {
      off += write(fd, buf.subarray(off));
    } catch (e) {
      if (errno(e) !== 'EAGAIN' || waited >= 1000) throw e;
      Atomics.wait(pause, 0, 0, 1);
      waited += 1;
    }
  }
  return off;
}
