// `iam mappings import FILE [--out FILE]`: a Cortex XSOAR mapper export (JSON) to our mapping YAML
// (core/mapping/import-soar.ts). The YAML goes to --out (else stdout); what could not be translated
// is listed on stderr, one line each, and in the file as comments. Exit codes: 0 all translated,
// 1 some fields were not, 2 the input is unreadable or not a mapper export.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, isMap, isSeq, visit } from 'yaml';
import { importSoarMapper, NotAMapperError, type SoarImport } from '../core/mapping/import-soar.js';
import { CappedReadError, FILE_CAPS, readCappedFile } from '../core/read-capped.js';
import type { CliIo } from './app.js';
import { clashOf } from './out-file.js';

/** The imported mapping as YAML: one rule per line (flow maps), the untranslated fields as comments. */
export function mappingYaml(result: SoarImport, source: string): string {
  const body: Record<string, unknown> = {};
  if (result.outgoing) body.outgoing = result.outgoing;
  if (result.incoming) body.incoming = result.incoming;
  const doc = new Document(body);
  visit(doc, {
    Seq(_key, node) {
      for (const item of node.items) if (isMap(item)) item.flow = true;
    },
  });
  for (const node of [doc.contents]) if (isSeq(node)) node.flow = false;
  const lines = [
    `# Imported from ${source} by iam mappings import.`,
    ...result.untranslated.map((u) => `# NOT TRANSLATED: ${u.field}: ${u.why}`),
    ...result.notes.map((n) => `# note: ${n.field}: ${n.why}`),
  ].map((l) => l.replace(/[\r\n]+/g, ' '));
  return `${lines.join('\n')}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
}

export async function runMappingsImport(file: string, opts: { out?: string }, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, file);
  let input: unknown;
  try {
    input = JSON.parse(readCappedFile(path, FILE_CAPS.mapping));
  } catch (e) {
    const why =
      e instanceof SyntaxError
        ? 'not JSON'
        : e instanceof CappedReadError
          ? e.code
          : ((e as NodeJS.ErrnoException).code ?? 'error');
    io.err(`iam: error: cannot read the mapper export ${path} (${why})`);
    return 2;
  }
  let result: SoarImport;
  try {
    result = importSoarMapper(input);
  } catch (e) {
    if (!(e instanceof NotAMapperError)) throw e;
    io.err(`iam: error: ${path}: ${e.message}`);
    return 2;
  }
  const yaml = mappingYaml(result, file);
  if (opts.out) {
    const out = resolve(io.cwd, opts.out);
    if (clashOf(out, [{ label: 'the input', path }])) {
      io.err(`iam: error: --out ${opts.out} is the input file: give another file`);
      return 2;
    }
    try {
      writeFileSync(out, yaml);
    } catch (e) {
      io.err(`iam: error: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return 2;
    }
  } else io.out(yaml.replace(/\n$/, ''));
  for (const n of result.notes) io.err(`iam: note: ${n.field}: ${n.why}`);
  for (const u of result.untranslated) io.err(`iam: not translated: ${u.field}: ${u.why}`);
  return result.untranslated.length ? 1 : 0;
}
