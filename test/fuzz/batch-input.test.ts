// Property: whatever a batch input file holds (good profiles, repeated users, junk, arrays, deep or
// tricky JSON, blank lines, CRLF, a byte-order mark, no final newline), every line that is not blank
// is accounted for exactly once: a record on stdout carrying its line number, or one error line on
// stderr naming it. The summary's counts add up to those lines, and the exit code says whether any
// failed. Runs the CLI in-process (runCli) on the Local brand.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { tempDir } from '../conformance/harness.js';
import { anyText, deepJsonText, trickyObject } from './arbitraries.js';
import { assertOneLineMessage, assertRecordLine, iamInProcess, type Outcome } from './harness.js';
import './report.js';

const RUNS = 60;
const dir = tempDir('iam-fuzz-batch-');
after(() => dir.cleanup());
process.env.XDG_DATA_HOME = dir.path;
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  loc:\n    brand: Local\n    path: ${join(dir.path, 'batch.db')}\n`);

const name = fc.constantFrom('ann', 'bob', 'cat', 'ANN', 'dan.o"hara', 'ünï');
const goodLine = fc
  .record(
    {
      username: name,
      email: name.map((n) => `${n}@example.com`),
      givenname: anyText,
      title: fc.oneof(anyText, fc.jsonValue({ maxDepth: 1 })),
    },
    { requiredKeys: ['username'] },
  )
  .map((p) => JSON.stringify(p));
const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ');
const line = fc.oneof(
  { weight: 6, arbitrary: goodLine },
  { weight: 2, arbitrary: anyText.map(oneLine) },
  { weight: 1, arbitrary: trickyObject.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepJsonText },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '   ', '\t', '{}', '[]', 'null', '{"username":""}', '{"username":"ann"'),
  },
);
const input = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 25 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  command: fc.constantFrom('create-user', 'update-user', 'get-user', 'disable-user'),
  concurrency: fc.constantFrom('1', '4', '16'),
});

const SUMMARY = /^iam: batch done: (\d+) done: (\d+) succeeded, (\d+) skipped, (\d+) failed;/;

/**
 * Every line of `lines` that is not blank (from index `first`, before `readUpTo`) accounted for
 * exactly once, no other line named, and the summary and exit code agreeing with what was printed.
 */
function assertAccounted(
  o: Outcome,
  lines: readonly string[],
  label: string,
  { first = 0, readUpTo = lines.length }: { first?: number; readUpTo?: number } = {},
): void {
  assert.ok(o.code === 0 || o.code === 1, `${label}: exit ${o.code}: ${o.err.join(' | ')}`);
  const seen = new Map<number, string>();
  const note = (lineNo: number, how: string) => {
    assert.ok(!seen.has(lineNo), `${label}: line ${lineNo} twice (${seen.get(lineNo)}, ${how})`);
    seen.set(lineNo, how);
  };
  let failedRecords = 0;
  for (const out of o.out) {
    const ok = assertRecordLine(out, label);
    const record = JSON.parse(out) as {
      IAM?: { Vendor?: { skipped?: unknown } };
      Batch?: { line?: unknown };
    };
    if (!ok && record.IAM?.Vendor?.skipped !== true) failedRecords += 1;
    assert.equal(typeof record.Batch?.line, 'number', `${label}: Batch.line in ${out.slice(0, 200)}`);
    note(record.Batch?.line as number, 'record');
  }
  let errorLines = 0;
  let summary: RegExpExecArray | null = null;
  for (const err of o.err) {
    assertOneLineMessage(err, label);
    // `iam: line N: why`, or with the instance: `iam: line N (loc): why`.
    const m = /^iam: line (\d+)(?: \([^)]*\))?: \S/.exec(err);
    if (m) {
      note(Number(m[1]), 'error');
      errorLines += 1;
    } else if (SUMMARY.test(err)) summary = SUMMARY.exec(err);
    else assert.match(err, /^iam: warning: /, `${label}: an unexpected stderr line: ${err}`);
  }
  lines.forEach((l, i) => {
    if (i < first || i >= readUpTo || l.replace(/^\ufeff/, '').trim() === '') return;
    assert.ok(seen.has(i + 1), `${label}: line ${i + 1} (${JSON.stringify(l).slice(0, 80)}) unaccounted`);
  });
  for (const lineNo of seen.keys())
    assert.ok(lineNo > first && lineNo <= lines.length, `${label}: line ${lineNo} is not a data line`);
  assert.ok(summary, `${label}: a summary line: ${o.err.join(' | ')}`);
  const [done, ok, skipped, failed] = summary.slice(1, 5).map(Number) as [number, number, number, number];
  assert.equal(done, seen.size, `${label}: "done" counts every line accounted for`);
  assert.equal(ok + skipped + failed, done, `${label}: the counts add up`);
  assert.equal(failed, failedRecords + errorLines, `${label}: failed = failed records + bad lines`);
  assert.equal(o.code, failed > 0 ? 1 : 0, `${label}: exit code`);
}

const batchArgs = (command: string, file: string, extra: string[] = []) =>
  ['batch', command, '--config', config, '--instance', 'loc', '--input', file, '--output', 'json'].concat([
    '--no-progress',
    ...extra,
  ]);

let n = 0;
describe('fuzz: batch input files', () => {
  test('JSON Lines: every non-blank line is accounted for once, a record or an error naming it', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (inp) => {
        n += 1;
        const file = join(dir.path, `in-${n}.jsonl`);
        const eol = inp.crlf ? '\r\n' : '\n';
        const text = (inp.bom ? '\ufeff' : '') + inp.lines.join(eol) + (inp.finalNewline ? eol : '');
        writeFileSync(file, text);
        const label = `${inp.command} ${JSON.stringify(text).slice(0, 300)}`;
        const args = batchArgs(inp.command, file, ['--concurrency', inp.concurrency]);
        assertAccounted(await iamInProcess(args, { cwd: dir.path }), inp.lines, label);
      }),
      { numRuns: RUNS },
    );
  });

  test('CSV: every data row is accounted for once, whatever its fields, quotes and widths', async () => {
    const cell = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('ann', 'bob', 'ann@example.com', 'Ann', '') },
      fc.string({ maxLength: 8 }).map(oneLine),
      fc.string({ maxLength: 8 }).map((c) => `"${oneLine(c).replace(/"/g, '""')}"`),
      fc.constantFrom('"a,b"', '"say ""hi"""', '"', 'x"y', ' , '),
    );
    const header = fc.constantFrom(
      'username,email,givenname',
      'email',
      'username,email',
      'UserName,EMAIL,title',
    );
    const row = fc.array(cell, { maxLength: 4 }).map((cells) => cells.join(','));
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.array(row, { minLength: 1, maxLength: 15 }),
        fc.boolean(),
        async (h, rows, crlf) => {
          n += 1;
          const file = join(dir.path, `in-${n}.csv`);
          const lines = [h, ...rows];
          writeFileSync(file, `${lines.join(crlf ? '\r\n' : '\n')}\n`);
          const label = `csv ${JSON.stringify(lines.join(' | ')).slice(0, 300)}`;
          const o = await iamInProcess(batchArgs('create-user', file), { cwd: dir.path });
          // A quoting error ends the input (past it nobody can tell where rows begin), named on the
          // line it is found on: rows from the first one holding a quote may go unread (a quoted
          // field can run on over lines), but none is named twice and no line outside the file.
          const quoted = lines.findIndex((l, i) => i > 0 && l.includes('"'));
          const readUpTo = quoted === -1 ? lines.length : quoted;
          assertAccounted(o, lines, label, { first: 1, readUpTo });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
