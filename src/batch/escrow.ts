// The escrow of a batch: a command whose record failed for a transient reason (429, 502/503/504,
// no answer, once the transport's own attempts ran out) is held instead of yielded, and run again
// after the input is done, in passes with a growing wait between them, so that a storm of a few
// seconds does not leave work undone. Running the whole command again is safe: it looks the account
// up first (a create that landed after all becomes an update of that account, never a duplicate).
// The escrow holds only the failed commands (their profile and last result): at most one per input
// entry and instance, so never more than the failures of the input, and it is empty at the end.
import { setTimeout as sleep } from 'node:timers/promises';
import { transientFailure } from '../core/record.js';
import type { Gate } from './gate.js';
import { type BatchItem, type BatchResult, type EscrowPass, MAX_ESCROW_DELAY_MS } from './types.js';
import { wakeup } from './wakeup.js';

/** A command held for a later pass: what is needed to run it again, and its last result. */
export interface Held {
  /** Input order (entry, then instance): `ordered` yields escrow results sorted on it. */
  seq: number;
  index: number;
  gate: Gate;
  profile: object;
  last: BatchResult;
}

/**
 * A failed record whose cause was transient: the command may succeed if it runs again later. Not
 * when the app asked for a longer wait than the escrow ever waits (a daily rate limit): no pass of
 * this run could succeed, so the record is final now and its message says when the app takes
 * requests again.
 */
export function isTransientFailure(item: BatchItem): item is BatchResult {
  if (item.kind !== 'result') return false;
  const cause = transientFailure(item.result.vendor);
  return cause !== undefined && (cause.retryAfterMs ?? 0) <= MAX_ESCROW_DELAY_MS;
}

/** The wait before escrow pass `pass` (1-based): doubling from `baseMs`, at least the app's Retry-After. */
export function escrowDelay(pass: number, baseMs: number, retryAfterMs: number): number {
  return Math.min(MAX_ESCROW_DELAY_MS, Math.max(baseMs * 2 ** (pass - 1), retryAfterMs));
}

function largestRetryAfter(held: readonly Held[]): number {
  let largest = 0;
  for (const h of held) {
    largest = Math.max(largest, transientFailure(h.last.result.vendor)?.retryAfterMs ?? 0);
  }
  return largest;
}

export interface SettleOptions {
  passes: number;
  delayMs: number;
  ordered: boolean;
  signal: AbortSignal | undefined;
  /** Runs the held command again (through its instance's gate, which the escrow takes). */
  run: (h: Held) => Promise<BatchItem>;
  onPass: ((pass: EscrowPass) => void) | undefined;
}

/**
 * Runs the held commands again, pass after pass, until none is left or the passes are used up, and
 * yields each command's final item (`pass` says which run it came from). What is still held at the
 * end (last pass failed, or the signal stopped the escrow) is yielded as the failure it is, with
 * `retryable: true`: nothing is hidden. With `ordered`, the escrow's items come after all the
 * others, together, in input order.
 */
export async function* settle(held: Held[], o: SettleOptions): AsyncGenerator<BatchItem> {
  const ready: BatchItem[] = [];
  const finals: { key: Held; item: BatchItem }[] = [];
  const emit = (key: Held, item: BatchItem) => {
    if (o.ordered) finals.push({ key, item });
    else ready.push(item);
  };
  let pending = held;
  let running = 0;
  let leaving = false; // the consumer stopped early: start nothing more
  const { notify, next: nextEvent } = wakeup();
  const stopped = () => o.signal?.aborted === true;

  try {
    for (let pass = 1; pass <= o.passes && pending.length > 0 && !stopped(); pass++) {
      const delayMs = escrowDelay(pass, o.delayMs, largestRetryAfter(pending));
      o.onPass?.({ pass, of: o.passes, commands: pending.length, delayMs });
      await sleep(delayMs, undefined, o.signal ? { signal: o.signal } : {}).catch(() => {});
      if (stopped()) break;
      const now = pending;
      pending = [];
      const last = pass === o.passes;
      for (const h of now) {
        running += 1;
        void h.gate
          .run(async () => (stopped() || leaving ? undefined : o.run(h)))
          .then((item) => {
            running -= 1;
            if (item === undefined)
              pending.push(h); // not started: still held as it was
            else if (item.kind === 'error') emit(h, item);
            else {
              const again = { ...item, pass: pass + 1 };
              if (!isTransientFailure(again)) emit(h, again);
              else if (last) emit(h, { ...again, retryable: true });
              else pending.push({ ...h, last: again });
            }
            notify();
          });
      }
      while (running > 0 || ready.length > 0) {
        const item = ready.shift();
        if (item) yield item;
        else await nextEvent();
      }
    }
    for (const h of pending) emit(h, { ...h.last, retryable: true });
    pending = [];
    yield* ready.splice(0);
    if (o.ordered) {
      finals.sort((a, b) => a.key.seq - b.key.seq || a.key.index - b.key.index);
      for (const { item } of finals.splice(0)) yield item;
    }
  } finally {
    leaving = true;
    // Let what is in flight land before the caller closes the client.
    while (running > 0) await nextEvent();
  }
}
