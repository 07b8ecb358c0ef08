// The audit log: one JSON line per write command (create, update, enable, disable, create-group,
// update-group, delete-group), appended to a file opened with O_APPEND and mode 0600. Each line is
// one synchronous write(2) before the command returns (so lines from concurrent commands and
// processes never interleave, and a killed process loses none), then fdatasync'ed: in the
// background, coalesced (one sync in flight covers every line written before it started), and once
// more, synchronously, at close. A sync per line would cost 0.3-5 ms of blocked event loop each,
// capping a 10,000-user batch at a few hundred writes a second.
// The file is opened before the first write command sends anything: if it cannot be opened, the
// command fails with a ConfigError (exit 2) and nothing is changed. Reads are never audited.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { redact, redactText } from '../core/secrets.js';
import type { AuditEntry } from './entry.js';

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
  /** Secret values scrubbed from every line, as a last guard (entries hold no values anyway). */
  secrets?: readonly string[];
  onWarning?: (message: string) => void;
  /** false: no fdatasync at all (throw-away logs); default true. */
  sync?: boolean;
}

export class AuditLog {
  readonly path: string;
  readonly #opts: AuditLogOptions;
  #fd: number | undefined;
  /** A background fdatasync is running; `#dirty`: lines were written after it started. */
  #syncing = false;
  #dirty = false;

  constructor(path: string, opts: AuditLogOptions = {}) {
    this.path = path;
    this.#opts = opts;
  }

  /** Opens (creating with mode 0600) once; ConfigError naming the file when it cannot. */
  open(): void {
    if (this.#fd !== undefined) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, 'a', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(
        `audit log ${this.path}: cannot open it for appending (${code}); set --audit-log, IAM_AUDIT_LOG or auditLog to a writable file`,
        { cause: e },
      );
    }
    const mode = fstatSync(this.#fd).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(3, '0');
      this.#opts.onWarning?.(
        `audit log ${this.path} is readable by group/others (mode ${octal}): run chmod 600 ${this.path}`,
      );
    }
  }

  /** Appends one line and flushes it to disk. A failure is a warning: the change already happened. */
  append(entry: AuditEntry): void {
    const secrets = this.#opts.secrets ?? [];
    const line = `${redactText(JSON.stringify(redact(entry, secrets)), secrets)}\n`;
    try {
      this.open();
      const fd = this.#fd as number;
      writeSync(fd, line);
      this.#dirty = true;
      this.#syncSoon(fd);
    } catch (e) {
      const why = e instanceof ConfigError ? e.message : `${(e as NodeJS.ErrnoException).code ?? 'error'}`;
      this.#opts.onWarning?.(
        `audit log ${this.path}: could not record ${entry.command} on instance "${entry.instance}" (${why})`,
      );
    }
  }

  #syncSoon(fd: number): void {
    if (this.#syncing || this.#opts.sync === false) return;
    this.#syncing = true;
    this.#dirty = false;
    fdatasync(fd, () => {
      this.#syncing = false;
      if (this.#dirty && this.#fd === fd) this.#syncSoon(fd);
    });
  }

  /** Flushes to disk and closes. */
  close(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return;
    try {
      if (this.#opts.sync !== false) fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
