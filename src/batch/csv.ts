// CSV input (RFC 4180, UTF-8): a header row of User Profile field names, then one profile per
// record, read by csv-parse as a stream. Quoted fields may hold commas, doubled quotes and line
// breaks; a UTF-8 BOM is dropped. A record with the wrong number of fields becomes an error entry
// with its line number and the run goes on. A quoting error ends the input there (reported with
// its line): past it, nobody can tell where records begin, so nothing after it is guessed at.
import { pipeline } from 'node:stream/promises';
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
      return 'CSV: a quoted field is never closed';
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

/** Reads CSV records from a byte stream; throws UsageError when the header row is unusable. */
export async function* readCsv(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  opts: InputOptions = {},
): AsyncGenerator<BatchEntry> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const counter = opts.counter ?? { bytes: 0 };
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true, // counted here, so a short row is an error entry, not the end
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: max,
  });
  // A parse error arrives as an event, possibly ahead of the records before it: held until they
  // are yielded. Only the first counts: what csv-parse reads after it is unreliable.
  let fatal: { line: number; error: string } | undefined;
  const lines = lineCounter();
  parser.on('skip', (e: CsvError) => {
    const line = typeof e.lines === 'number' ? lines.at(e.lines) : 0;
    fatal ??= { line, error: `${csvMessage(e, max)}; the rest of the input was not read` };
  });
  const feeding = pipeline(input, parser);
  // Awaited at the end; until then a failed input shows up as the parser's own error.
  feeding.catch(() => {});
  let columns: Column[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      counter.bytes = info.bytes;
      const line = lines.start(info, record);
      if (fatal && fatal.line < line) break;
      if (!columns) {
        columns = readHeader(record);
        continue;
      }
      if (record.length !== columns.length) {
        yield {
          line,
          error: `CSV: expected ${columns.length} fields (as in the header), got ${record.length}`,
        };
      } else yield { line, profile: toProfile(columns, record) };
    }
    if (fatal) {
      yield fatal;
      return;
    }
    await feeding;
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}
