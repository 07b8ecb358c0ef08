// Reading the small files a setting names (config, mapping, ${file:} secret, caFile) with a bound:
// only a regular file is read, and at most `cap` bytes of it. `--config /dev/zero` or a FIFO would
// otherwise be read without end (memory grows until the machine gives out) or block forever.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The most read from each kind of file (README "Configuration" lists them). */
export const FILE_CAPS = {
  config: MiB,
  mapping: MiB,
  secret: 64 * KiB,
  caFile: MiB,
} as const;

/** `1 MiB`, `64 KiB`: a cap as people say it. */
export const formatBytes = (n: number): string =>
  n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : n >= KiB && n % KiB === 0 ? `${n / KiB} KiB` : `${n} bytes`;

/** Why a file was not read; `code` is an errno code or a short phrase, fit to go in parentheses. */
export class CappedReadError extends Error {
  readonly code: string;
  constructor(code: string, options?: { cause?: unknown }) {
    super(code, options);
    this.code = code;
  }
}

/**
 * The UTF-8 text of the regular file at `path`, at most `cap` bytes. Opened non-blocking (a FIFO
 * with no writer would hang the open), then checked with fstat on the opened descriptor (no race
 * with a rename between a stat and the open). Throws CappedReadError: an errno code (ENOENT,
 * EACCES...), `not a regular file` or `larger than <cap>`.
 */
export function readCappedFile(path: string, cap: number): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    // ENXIO: a socket (a piped /dev/stdin) or a device with nothing behind it.
    throw new CappedReadError(code === 'ENXIO' ? 'not a regular file' : code, { cause: e });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new CappedReadError('not a regular file');
    // cap + 1 bytes: one more than allowed tells "too large" from "exactly the cap".
    const buf = Buffer.alloc(cap + 1);
    let size = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, size, buf.length - size, null);
      } catch (e) {
        throw new CappedReadError((e as NodeJS.ErrnoException).code ?? 'unreadable', { cause: e });
      }
      if (n === 0) break;
      size += n;
      if (size > cap) throw new CappedReadError(`larger than ${formatBytes(cap)}`);
    }
    return buf.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
}
