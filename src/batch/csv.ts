// CSV input (RFC 4180, UTF-8): a header row of User Profile field names, then one profile per
// record, read by csv-parse as a stream. Quoted fields may hold commas, doubled quotes and line
// breaks; a UTF-8 BOM is dropped. A record with the wrong number of fields, or with bytes that are
// not UTF-8, becomes an error entry with its line number and the run goes on (bad bytes are never
// replaced by U+FFFD: `caf\uFFFD` would be created as a new account). A quoting error ends the input there (reported with
// its line): past it, nobody can tell where records begin, so nothing after it is guessed at.
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import { type CsvError, type Info, parse } from 'csv-parse';
import { UsageError } from '../core/errors.js';
import { type InputOptions, MAX_LINE_BYTES } from './jsonl.js';
import type { BatchEntry } from './types.js';

/** A header name `olduserdata.<field>` fills the nested previous-values profile (a rename). */
const OLD = 'olduserdata.';

interface Column {
  name: string;
  old: boolean;
}

function readHeader(fields: readonly string[]): Column[] {
  const seen = new Set<string>();
  return fields.map((raw, i) => {
    const name = raw.trim();
    if (name === '') throw new UsageError(`input: CSV header (line 1): column ${i + 1} has no name`, 'input');
    const key = name.toLowerCase();
    if (seen.has(key)) throw new UsageError(`input: CSV header (line 1): "${name}" appears twice`, 'input');
    seen.add(key);
    const old = key.startsWith(OLD) && key.length > OLD.length;
    return { name: old ? name.slice(OLD.length) : name, old };
  });
}

/** Empty cells are left out: in a CSV they mean "no value", not "clear this attribute". */
function toProfile(columns: readonly Column[], record: readonly string[]): Record<string, unknown> {
  const profile: Record<string, unknown> = {};
  let old: Record<string, unknown> | undefined;
  columns.forEach((col, i) => {
    const value = record[i];
    if (value === undefined || value === '') return;
    if (col.old) {
      old ??= {};
      old[col.name] = value;
    } else profile[col.name] = value;
  });
  if (old) profile.olduserdata = old;
  return profile;
}

function csvMessage(e: CsvError, max: number): string {
  switch (e.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'CSV: a closing quote must be followed by a comma or the end of the line';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'CSV: a quoted field opened in this row is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `CSV: record longer than ${max} bytes`;
    default:
      return `CSV: ${e.message.split('\n')[0] ?? e.code}`;
  }
}

const count = (text: string, what: string): number => {
  let n = 0;
  for (let i = text.indexOf(what); i !== -1; i = text.indexOf(what, i + what.length)) n += 1;
  return n;
};

/**
 * Physical line numbers from csv-parse's `info.lines` (the line a record ends on), which counts a
 * CRLF inside a quoted field as two lines: `skew` carries that surplus over from record to record.
 */
function lineCounter() {
  let skew = 0;
  return {
    /** The line the record starts on. */
    start(info: Info, record: readonly string[]): number {
      let breaks = 0;
      for (const field of record) {
        if (!field.includes('\n')) continue;
        breaks += count(field, '\n');
        skew += count(field, '\r\n');
      }
      return info.lines - skew - breaks;
    },
    /** A line csv-parse reports in an error. */
    at: (reported: number) => reported - skew,
  };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The input as bytes, without a leading UTF-8 BOM (the parser reads latin1, so it cannot see one). */
async function* bytesWithoutBom(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    if (head === undefined) {
      yield buf;
      continue;
    }
    head = Buffer.concat([head, buf]);
    if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) continue;
    yield head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
    head = undefined;
  }
  if (head?.length) yield head;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NON_ASCII = /[^\x20-\x7e\t\r\n]/;

/**
 * The parser reads bytes as latin1 (one char per byte, nothing lost; every CSV syntax byte is
 * ASCII), so each field is decoded here, strictly: undefined when a field is not valid UTF-8.
 */
function decodeRecord(record: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const field of record) {
    if (!NON_ASCII.test(field)) {
      out.push(field);
      continue;
    }
    try {
      out.push(utf8.decode(Buffer.from(field, 'latin1')));
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Reads CSV records from a byte stream; throws UsageError when the header row is unusable. */
export async function* readCsv(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  opts: InputOptions = {},
): AsyncGenerator<BatchEntry> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const counter = opts.counter ?? { bytes: 0 };
  const parser = parse({
    encoding: 'latin1', // decoded per field (decodeRecord), so bad bytes are seen, not replaced
    info: true,
    relax_column_count: true, // counted here, so a short row is an error entry, not the end
    // Either line ending ends a row, even mixed in one file (a CRLF header over LF rows, files
    // joined from two systems): guessed from the first row, a lone LF later stayed inside a field.
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: max,
  });
  // A parse error arrives as an event, possibly ahead of the records before it: held until they
  // are yielded. Only the first counts: what csv-parse reads after it is unreliable. It is named on
  // the line its row starts on: the line after the last record before it (csv-parse's `records`
  // count), past any empty lines. csv-parse's own line is where it gave up (for a quote never
  // closed, the end of the input) and counts each CRLF inside open quotes twice.
  const lines = lineCounter();
  let fatal: { before: number; empty: number; line?: number; error: string } | undefined;
  let consumed = { records: 0, lines: 0, empty: 0 };
  const place = () => {
    if (fatal?.line === undefined && fatal?.before === consumed.records)
      fatal.line = lines.at(consumed.lines + 1 + (fatal.empty - consumed.empty));
  };
  parser.on('skip', (e: CsvError) => {
    if (fatal) return;
    const error = `${csvMessage(e, max)}; the rest of the input was not read`;
    fatal = { before: Number(e.records) || 0, empty: Number(e.empty_lines) || 0, error };
    place();
  });
  const feeding = pipeline(bytesWithoutBom(input), parser);
  // Awaited at the end; until then a failed input shows up as the parser's own error.
  feeding.catch(() => {});
  let columns: Column[] | undefined;
  try {
    for await (const { record: raw, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      counter.bytes = info.bytes;
      const line = lines.start(info, raw);
      if (fatal?.line !== undefined && fatal.line < line) break;
      consumed = { records: info.records, lines: info.lines, empty: info.empty_lines };
      place();
      const record = decodeRecord(raw);
      if (!columns) {
        if (!record) throw new UsageError('input: CSV header (line 1): not valid UTF-8', 'input');
        columns = readHeader(record);
        opts.onHeader?.(columns.map((c) => (c.old ? `${OLD}${c.name}` : c.name)));
        continue;
      }
      if (!record) yield { line, error: 'CSV: not valid UTF-8' };
      else if (record.length !== columns.length) {
        yield {
          line,
          error: `CSV: expected ${columns.length} fields (as in the header), got ${record.length}`,
        };
      } else yield { line, profile: toProfile(columns, record) };
    }
    if (fatal) {
      yield { line: fatal.line ?? 0, error: fatal.error };
      return;
    }
    await feeding;
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}
