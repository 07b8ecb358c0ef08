// `iam batch --out FILE`: where the records go. Refused (a UsageError, before anything is sent)
// when FILE is the input, the config, the audit log or a Local store, compared by what the file IS
// (device and inode, or the real path of a file not there yet), not by how it is spelled.
// Written line by line as records finish: each coalesced chunk is one positional write; if a write
// fails or is short (disk full, file size limit), the file is cut back to its last whole line, so it
// never ends in a torn record, and the batch is told (it stops reading; see batch.ts), never the input.
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  realpathSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

export interface Output {
  write(line: string): void;
  /** Writes out what is gathered (before the summary, so records never follow it). */
  flush(): void;
  close(): void;
  /** Set when a write to FILE failed: why, and how many records are not in it. */
  readonly failure: { reason: string; lost: number } | undefined;
}

/** A file another part of the run reads or writes, which `--out` must not overwrite. */
export interface GuardedFile {
  /** What it is, as the message says it: `the input`, `the audit log`... */
  label: string;
  path?: string;
  /** An open descriptor instead of a path (stdin as the input). */
  fd?: number;
}

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';

function statOf(f: GuardedFile): Stats | undefined {
  try {
    return f.fd !== undefined ? fstatSync(f.fd) : statSync(f.path as string);
  } catch {
    return undefined;
  }
}

/** The real path of a file that may not exist yet: its directory's real path plus its name. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** The guarded file `out` is, if any. */
export function clashOf(out: string, guarded: readonly GuardedFile[]): GuardedFile | undefined {
  const outStat = statOf({ label: 'out', path: out });
  const outReal = realPath(out);
  return guarded.find((g) => {
    const st = statOf(g);
    // An existing file: same device and inode (hard links, symlinks, ./ and ../ spellings).
    if (outStat && st) return outStat.dev === st.dev && outStat.ino === st.ino && st.isFile();
    // Neither exists yet (an audit log or store created on first write): the same real path.
    return !outStat && !st && g.path !== undefined && realPath(g.path) === outReal;
  });
}

/**
 * Lines are gathered and written together once the event loop turns (or 64 KiB are waiting): a
 * record is never held back longer than that, and a fast app does not cost a write(2) per record.
 */
export function coalesced(
  sink: (text: string) => void,
  close: () => void,
  state: { failure?: { reason: string; lost: number } } = {},
): Output {
  let parts: string[] = [];
  let size = 0;
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (parts.length === 0) return;
    const text = parts.join('\n');
    parts = [];
    size = 0;
    sink(text);
  };
  return {
    write(line) {
      if (state.failure) {
        state.failure.lost += 1;
        return;
      }
      parts.push(line);
      size += line.length;
      if (size >= 64 * 1024) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
    close() {
      flush();
      close();
    },
    get failure() {
      return state.failure;
    },
  };
}

export interface OutOptions {
  guarded: readonly GuardedFile[];
  /** Called once, when a write to FILE fails (the batch stops reading). */
  onFailure: () => void;
}

/** Opens FILE for the records (truncating it, after the checks). stdout for none or `-`. */
export function openOutput(path: string | undefined, out: (text: string) => void, o: OutOptions): Output {
  if (path === undefined || path === '-') return coalesced(out, () => {});
  const clash = clashOf(path, o.guarded);
  if (clash) {
    throw new UsageError(
      `out: ${path} is ${clash.label}${clash.path && clash.path !== path ? ` (${clash.path})` : ''}: give --out another file`,
      'out',
    );
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`out: cannot write ${path} (${errnoOf(e)})`, 'out');
  }
  // A regular file is written at known offsets, so a failed chunk can be cut back to a line end.
  const regular = fstatSync(fd).isFile();
  let pos = 0;
  const state: { failure?: { reason: string; lost: number } } = {};
  // Synchronous, like stdout to a file or pipe: a slow disk slows the batch instead of filling memory.
  const sink = (text: string) => {
    const buf = Buffer.from(`${text}\n`, 'utf8');
    let off = 0;
    try {
      while (off < buf.length) {
        const n = writeSync(fd, buf, off, buf.length - off, regular ? pos + off : null);
        if (n <= 0) throw Object.assign(new Error('no progress'), { code: 'EIO' });
        off += n;
      }
      pos += buf.length;
    } catch (e) {
      // Keep every whole line written; cut the torn one off. Count the records that are not in FILE.
      const whole = buf.subarray(0, off).lastIndexOf(0x0a) + 1;
      if (regular) {
        try {
          ftruncateSync(fd, pos + whole);
        } catch {
          // The next line would show the tear; nothing more is written after a failure.
        }
      }
      pos += whole;
      const lines = (b: Buffer) => b.reduce((n, c) => (c === 0x0a ? n + 1 : n), 0);
      const lost = lines(buf) - lines(buf.subarray(0, whole));
      state.failure = { reason: errnoOf(e), lost };
      o.onFailure();
    }
  };
  return coalesced(sink, () => closeSync(fd), state);
}
