// `iam fields`: the User Profile's fields (core/profile-fields.ts), with the display name the
// original design's records use and the type. JSON: one `{"Field": {...}}` per line.
import { PROFILE_FIELDS } from '../core/profile-fields.js';
import type { CliIo } from './app.js';
import type { OutputFormat } from './output.js';

export function runFields(opts: { output?: OutputFormat }, io: CliIo): number {
  const format = opts.output ?? (io.isTTY ? 'table' : 'json');
  if (format === 'json') {
    for (const f of PROFILE_FIELDS) io.out(JSON.stringify({ Field: f }));
    return 0;
  }
  const width = Math.max(...PROFILE_FIELDS.map((f) => f.name.length));
  const dwidth = Math.max(...PROFILE_FIELDS.map((f) => f.display.length));
  io.out(`${'field'.padEnd(width)}  ${'display name'.padEnd(dwidth)}  type     description`);
  for (const f of PROFILE_FIELDS) {
    io.out(`${f.name.padEnd(width)}  ${f.display.padEnd(dwidth)}  ${f.type.padEnd(7)}  ${f.description}`);
  }
  return 0;
}
