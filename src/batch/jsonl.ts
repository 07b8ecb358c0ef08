// JSON Lines input (one JSON value per line, https://jsonlines.org): split on LF as bytes arrive,
// so only the current line is ever held, and a line that cannot be read becomes an error entry
// with its number instead of stopping the run. Blank lines are skipped but still counted.
import { TextDecoder } from 'node:util';
import type { BatchEntry } from './types.js';

/** Longest line (or CSV record) accepted; longer ones are reported and skipped. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface InputOptions {
  /** Longest line accepted, in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Bytes consumed so far, updated as entries are read (for a progress bar). */
  counter?: { bytes: number };
  /**
   * CSV: told the header's column names (as written, `olduserdata.<field>` included) before the
   * first record is read; it may throw (a UsageError ends the input before anything ran).
   */
  onHeader?: (columns: readonly string[]) => void;
}

type Chunk = Uint8Array | string;

function parseLine(line: number, bytes: Uint8Array, decoder: TextDecoder): BatchEntry | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, error: 'not valid UTF-8' };
  }
  text = text.trim();
  if (text === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    // A JSON string is not a profile: said here, or the engine would read its text as JSON again
    // (the library's runBatch takes profiles as JSON text) and blame the text for not being JSON.
    if (typeof value === 'string')
      return { line, error: 'user-profile: expected a JSON object, got a string' };
    return { line, profile: value };
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message.replace(/\s+/g, ' ') : 'unreadable';
    return { line, error: `invalid JSON (${why})` };
  }
}

/** Reads JSON Lines from a byte stream (a file, stdin). CRLF and a leading UTF-8 BOM are accepted. */
export async function* readJsonLines(
  input: AsyncIterable<Chunk> | Iterable<Chunk>,
  opts: InputOptions = {},
): AsyncGenerator<BatchEntry> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const counter = opts.counter ?? { bytes: 0 };
  // fatal: bad bytes are reported, not silently replaced; the BOM is dropped at a line's start.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 0;
  let parts: Uint8Array[] = [];
  let pending = 0; // bytes of the current, unfinished line (also when over the limit and dropped)

  const endLine = (last: Uint8Array): BatchEntry | undefined => {
    line += 1;
    const size = pending + last.length;
    const entry =
      size > max
        ? { line, error: `line is longer than ${max} bytes` }
        : parseLine(line, parts.length ? Buffer.concat([...parts, last]) : last, decoder);
    parts = [];
    pending = 0;
    return entry;
  };

  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const entry = endLine(buf.subarray(start, nl));
      counter.bytes += nl + 1 - start;
      start = nl + 1;
      if (entry) yield entry;
    }
    const rest = buf.subarray(start);
    counter.bytes += rest.length;
    // Past the limit the bytes are only counted, so one endless line cannot fill memory.
    if (pending + rest.length <= max) parts.push(rest);
    else parts = [];
    pending += rest.length;
  }
  if (pending > 0) {
    const entry = endLine(new Uint8Array(0));
    if (entry) yield entry;
  }
}
