// `iam batch <command> --input FILE`: one user command over a JSON Lines or CSV file (or stdin),
// streamed through the library's runBatchEntries. stdout gets one record per line as each finishes
// (the single command's JSON form plus `"Batch":{"line":N}`, the input line it came from); stderr
// gets unreadable lines, a progress line when it is a terminal, and a summary at the end.
// Exit codes: 0 nothing failed, 1 something failed (or --out could not be written), 2 bad usage
// before anything ran, 130 interrupted (SIGINT), 143 stopped by SIGTERM.
import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { readCsv } from '../batch/csv.js';
import {
  BATCH_COMMANDS,
  type BatchCommand,
  type BatchEntry,
  type BatchItem,
  runBatchEntries,
} from '../batch/engine.js';
import { type InputOptions, readJsonLines } from '../batch/jsonl.js';
import { BatchStats, formatEscrowPass, formatProgress, formatSummary } from '../batch/stats.js';
import type { IamClient } from '../client.js';
import { USER_COMMANDS, userCommand } from '../commands/registry.js';
import { UsageError } from '../core/errors.js';
import type { CliIo } from './app.js';
import { checkCsvHeader } from './batch-header.js';
import { type GuardedFile, type Output, openOutput } from './out-file.js';
import { userJson } from './output.js';
import { type Opts, selectInstances, withClient } from './run.js';

export interface BatchOpts extends Opts {
  input?: string;
  format?: string;
  concurrency?: string;
  allowEnable?: string;
  out?: string;
  ordered?: boolean;
  escrowPasses?: string;
  /** Milliseconds. */
  escrowDelay?: string;
  /** false with --no-progress. */
  progress?: boolean;
  /** --profile-keys display: IAM.UserProfile under display names, as in the single commands. */
  profileKeys?: string;
  strict?: boolean;
}

type Format = 'jsonl' | 'csv';
const EXTENSIONS: Readonly<Record<string, Format>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
};

interface Input {
  stream: AsyncIterable<Uint8Array | string>;
  format: Format;
  /** Bytes in the file (for percent and ETA); undefined for stdin and pipes. */
  size: number | undefined;
  close(): void;
}

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'unreadable';

function openInput(opts: BatchOpts, io: CliIo): Input {
  const path = opts.input;
  if (!path)
    throw new UsageError('batch: --input is required (a .jsonl or .csv file, or - for stdin)', 'input');
  const given = opts.format as Format | undefined;
  if (path === '-') {
    const stdin = io.stdin ?? process.stdin;
    // Destroyed at the end, so a pending read (an interrupted run) does not keep the process alive.
    const close = () => (stdin as { destroy?: () => void }).destroy?.();
    return { stream: stdin, format: given ?? 'jsonl', size: undefined, close };
  }
  const format = given ?? EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new UsageError(
      `input: cannot tell the format of ${path} from its name: give --format jsonl or csv`,
      'format',
    );
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`input: cannot open ${path} (${errnoOf(e)})`, 'input');
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new UsageError(`input: ${path} is a directory, expected a file`, 'input');
  }
  const stream = createReadStream(path, { fd, highWaterMark: 64 * 1024 });
  return { stream, format, size: stat.isFile() ? stat.size : undefined, close: () => stream.destroy() };
}

function parseWhole(value: string | undefined, field = 'concurrency'): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new UsageError(`${field}: expected a whole number, got "${value}"`, field);
  }
  return Number(value);
}

/**
 * The single command's JSON line with the input line number beside `IAM` (never inside it); `pass`
 * when an escrow pass ran it, `retryable` on a failure that may succeed if run again later.
 */
export function recordLine(item: Extract<BatchItem, { kind: 'result' }>, displayKeys = false): string {
  const json = userJson(item.result, false, displayKeys);
  const pass = item.pass !== undefined && item.pass > 1 ? `,"pass":${item.pass}` : '';
  const retryable = item.retryable && !item.result.vendor.success ? ',"retryable":true' : '';
  return `${json.slice(0, -1)},"Batch":{"line":${item.line}${pass}${retryable}}}`;
}

function checkOptions(command: BatchCommand, opts: BatchOpts): void {
  if (opts.output !== undefined && opts.output !== 'json') {
    throw new UsageError('output: batch writes JSON lines only (--output json)', 'output');
  }
  if (opts.allowEnable !== undefined && !userCommand(command)?.allowEnable) {
    const takes = USER_COMMANDS.filter((c) => c.allowEnable).map((c) => c.name);
    throw new UsageError(`allow-enable: applies to ${takes.join(' and ')} only`, 'allow-enable');
  }
}

/**
 * A batch's live heap stays near 20 MB however long its input, but V8's default sizing lets garbage
 * pile up to ~190 MB over a million lines before a full collection. Favouring size over speed in
 * the GC heuristics keeps the peak near 120 MB for a few percent of CPU (BENCHMARKS.md). It changes
 * when memory is reclaimed, nothing else; this process runs one command, so nothing else sees it.
 * The library (runBatch) leaves the heap of its caller's process alone.
 */
function favourSmallHeap(): void {
  setFlagsFromString('--optimize-for-size');
}

export function runBatchCommand(command: string, opts: BatchOpts, io: CliIo): Promise<number> {
  favourSmallHeap();
  return withClient(opts, io, async (client) => {
    if (!(BATCH_COMMANDS as readonly string[]).includes(command)) {
      throw new UsageError(`batch: unknown command "${command}" (one of ${BATCH_COMMANDS.join(', ')})`);
    }
    const cmd = command as BatchCommand;
    checkOptions(cmd, opts);
    const instances = selectInstances(client, opts);
    const abort = new AbortController();
    const counter = { bytes: 0 };
    const input = openInput(opts, io);
    try {
      const items = runBatchEntries(
        client,
        {
          command: cmd,
          instances,
          concurrency: parseWhole(opts.concurrency),
          allowEnable: opts.allowEnable,
          strict: opts.strict === true,
          ordered: opts.ordered === true,
          signal: abort.signal,
          escrowPasses: parseWhole(opts.escrowPasses, 'escrow-passes'),
          escrowDelayMs: parseWhole(opts.escrowDelay, 'escrow-delay'),
          onEscrowPass: (e) => {
            if (opts.quiet === true) return; // a notice, not an error
            if (opts.progress !== false) io.progress?.('');
            io.err(`iam: ${formatEscrowPass(e)}`);
          },
        },
        read(input, {
          counter,
          onHeader: (columns) => checkCsvHeader(client, instances, columns, opts.strict === true),
        }),
      );
      const output = openOutput(opts.out, io.out, {
        guarded: guardedFiles(client, opts),
        onFailure: () => abort.abort(),
      });
      try {
        return await drain(client, items, output, io, {
          abort,
          counter,
          size: input.size,
          // --quiet: no progress line either.
          progress: opts.progress !== false && opts.quiet !== true,
          quiet: opts.quiet === true,
          displayKeys: opts.profileKeys === 'display',
        });
      } finally {
        output.close();
      }
    } finally {
      input.close();
    }
  });
}

/** What `--out` must never overwrite: the input, the config, the audit log, every Local store. */
function guardedFiles(client: IamClient, opts: BatchOpts): GuardedFile[] {
  const files: GuardedFile[] = [
    opts.input === '-' ? { label: 'the input (stdin)', fd: 0 } : { label: 'the input', path: opts.input },
    ...client.localFiles().map((path) => ({ label: 'a Local store', path })),
  ];
  const source = client.config.source;
  if (isAbsolute(source)) files.push({ label: 'the config file', path: source });
  const audit = client.auditLogPath;
  if (audit) files.push({ label: 'the audit log', path: audit });
  return files;
}

function read(input: Input, opts: InputOptions): AsyncIterable<BatchEntry> {
  return input.format === 'csv' ? readCsv(input.stream, opts) : readJsonLines(input.stream, opts);
}

interface DrainOptions {
  abort: AbortController;
  counter: { bytes: number };
  size: number | undefined;
  progress: boolean;
  /** Failed records and error lines only (the summary only when something failed). */
  quiet: boolean;
  displayKeys: boolean;
}

/** Prints every item as it comes, keeps the counts, and picks the exit code. */
async function drain(
  client: IamClient,
  items: AsyncIterable<BatchItem>,
  output: Output,
  io: CliIo,
  o: DrainOptions,
): Promise<number> {
  const stats = new BatchStats();
  const draw = o.progress ? io.progress : undefined;
  const say = (line: string) => {
    draw?.('');
    io.err(line);
  };
  const ticker =
    draw && setInterval(() => draw(formatProgress(stats.summary(), o.counter.bytes, o.size)), 200);
  // First Ctrl-C (or SIGTERM, as a service manager stops us): read no more, let what is in flight
  // land and be printed. A second signal kills. Exit 130 after SIGINT, 143 after SIGTERM.
  let interrupted: NodeJS.Signals | undefined;
  const onInterrupt = (signal: NodeJS.Signals) => {
    interrupted = signal;
    o.abort.abort();
    const by = signal === 'SIGTERM' ? ' by SIGTERM' : '';
    say(`iam: interrupted${by}: finishing the commands in flight (Ctrl-C again to kill)`);
    stopListening();
  };
  const stopListening = () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  let readFailure: unknown;
  try {
    for await (const item of items) {
      stats.add(item);
      if (item.kind === 'result') {
        if (!o.quiet || !item.result.vendor.success) output.write(recordLine(item, o.displayKeys));
      } else {
        const where = item.instance === null ? '' : ` (${item.instance})`;
        say(`iam: line ${item.line}${where}: ${client.redactText(item.message)}`);
      }
    }
  } catch (e) {
    // Nothing ran yet and the input itself is unusable (e.g. its CSV header): a usage error.
    if (e instanceof UsageError && stats.summary().done === 0) throw e;
    readFailure = e;
  } finally {
    stopListening();
    if (ticker) clearInterval(ticker);
    draw?.('');
    output.flush();
  }
  const summary = stats.summary();
  if (draw) {
    // The last state stays on screen: 100% when the whole input was read and every record is out.
    const whole = readFailure === undefined && !interrupted && !output.failure;
    const bytes = whole && o.size !== undefined ? o.size : o.counter.bytes;
    draw(formatProgress(summary, bytes, o.size));
    io.err('');
  }
  if (readFailure !== undefined) {
    const msg = readFailure instanceof Error ? readFailure.message : String(readFailure);
    io.err(`iam: error: input stopped being readable: ${client.redactText(msg.split('\n')[0] ?? '')}`);
  }
  const outFailure = output.failure;
  if (outFailure) {
    // The output failed, not the input: reading stopped; what ran is in the audit log.
    io.err(
      `iam: error: out: cannot write the records (${outFailure.reason}): stopped reading; ${outFailure.lost} records are not in the file (it ends with whole lines; the audit log has every write)`,
    );
  }
  const failed = summary.failed > 0 || readFailure !== undefined || outFailure !== undefined;
  if (!o.quiet || failed || interrupted)
    io.err(`iam: batch ${interrupted ? 'interrupted' : 'done'}: ${formatSummary(summary)}`);
  if (interrupted) return interrupted === 'SIGTERM' ? 143 : 130;
  return failed ? 1 : 0;
}
