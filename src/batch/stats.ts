// Counting a batch as it runs: outcomes, retries, rate, and latency percentiles from a fixed-size
// log histogram (1% resolution), so a million results cost the same memory as ten.
import type { BatchItem, EscrowPass } from './types.js';

export interface BatchSummary {
  /** Results and error items so far (one per input entry and instance; one per unreadable entry). */
  done: number;
  succeeded: number;
  /** success: true, skipped: true (flag off, user missing, already in that state). */
  skipped: number;
  /** success: false records plus entries that could not be run. */
  failed: number;
  /** Sum of the records' `details.retries`. */
  retried: number;
  /** Escrow passes that ran (commands that failed for a transient reason, run again after the input). */
  escrowPasses: number;
  /** Failures with a transient cause still failed at the end (after the last pass, or not run again). */
  stillFailed: number;
  elapsedMs: number;
  opsPerSecond: number;
  /** Per-command latency percentiles, ms; null before the first result. */
  p50Ms: number | null;
  p99Ms: number | null;
}

const LOWEST_MS = 0.01;
const STEP = 1.02;
const BUCKETS = 1200; // 0.01 ms * 1.02^1200 is far beyond any timeout

export class BatchStats {
  readonly #now: () => number;
  readonly #started: number;
  readonly #histogram = new Uint32Array(BUCKETS);
  #timed = 0;
  #done = 0;
  #succeeded = 0;
  #skipped = 0;
  #failed = 0;
  #retried = 0;
  #lastPass = 1;
  #stillFailed = 0;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#started = now();
  }

  add(item: BatchItem): void {
    this.#done += 1;
    if (item.kind === 'error') {
      this.#failed += 1;
      return;
    }
    const v = item.result.vendor;
    if (!v.success) this.#failed += 1;
    else if (v.skipped) this.#skipped += 1;
    else this.#succeeded += 1;
    this.#retried += item.retries;
    this.#lastPass = Math.max(this.#lastPass, item.pass ?? 1);
    if (!v.success && item.retryable) this.#stillFailed += 1;
    const ms = Math.max(item.durationMs, LOWEST_MS);
    const bucket = Math.min(BUCKETS - 1, Math.floor(Math.log(ms / LOWEST_MS) / Math.log(STEP)));
    this.#histogram[bucket] = (this.#histogram[bucket] ?? 0) + 1;
    this.#timed += 1;
  }

  /** The q-quantile (0..1) of command latency in ms, to within 1%. */
  #quantile(q: number): number | null {
    if (this.#timed === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.#timed));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#histogram[b] ?? 0;
      if (seen >= rank) return LOWEST_MS * STEP ** (b + 0.5);
    }
    return null;
  }

  summary(): BatchSummary {
    const elapsedMs = this.#now() - this.#started;
    return {
      done: this.#done,
      succeeded: this.#succeeded,
      skipped: this.#skipped,
      failed: this.#failed,
      retried: this.#retried,
      escrowPasses: this.#lastPass - 1,
      stillFailed: this.#stillFailed,
      elapsedMs,
      opsPerSecond: elapsedMs > 0 ? (this.#done * 1000) / elapsedMs : 0,
      p50Ms: this.#quantile(0.5),
      p99Ms: this.#quantile(0.99),
    };
  }
}

const ms = (v: number | null) => (v === null ? '-' : v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;

/**
 * One line for stderr, e.g. `10000 done: 9990 succeeded, 4 skipped, 6 failed; 2 retried; ...`, with
 * `escrow: 2 passes, 1 still failed; ` after `retried` when a transient failure was seen.
 */
export function formatSummary(s: BatchSummary): string {
  const escrow =
    s.escrowPasses > 0 || s.stillFailed > 0
      ? `escrow: ${plural(s.escrowPasses, 'pass')}, ${s.stillFailed} still failed; `
      : '';
  return (
    `${s.done} done: ${s.succeeded} succeeded, ${s.skipped} skipped, ${s.failed} failed; ` +
    `${s.retried} retried; ${escrow}${(s.elapsedMs / 1000).toFixed(1)} s, ${Math.round(s.opsPerSecond)} ops/s; ` +
    `latency p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}`
  );
}

/** Said before an escrow pass waits, e.g. `escrow pass 1 of 3: 12 commands failed for a transient reason; again in 5.0 s`. */
export function formatEscrowPass(e: EscrowPass): string {
  const what = e.commands === 1 ? '1 command' : `${e.commands} commands`;
  return `escrow pass ${e.pass} of ${e.of}: ${what} failed for a transient reason; again in ${(e.delayMs / 1000).toFixed(1)} s`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * A progress line: a bar, percent and ETA when the input's size is known (estimated from bytes
 * read, since the number of lines is not), else just the count and rate.
 */
export function formatProgress(s: BatchSummary, bytes: number, totalBytes: number | undefined): string {
  const rate = `${Math.round(s.opsPerSecond)} ops/s`;
  const counts = `${s.done} done, ${s.failed} failed`;
  if (!totalBytes || totalBytes <= 0) return `${counts}  ${rate}`;
  const share = Math.min(1, bytes / totalBytes);
  const width = 24;
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const eta = share > 0 ? clock(((s.elapsedMs / 1000) * (1 - share)) / share) : '?';
  return `${bar} ${Math.floor(share * 100)}%  ${counts}  ${rate}  ETA ${eta}`;
}
