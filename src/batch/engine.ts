// Bulk runs: one user command over a stream of User Profiles, on one or several instances, with a
// bounded number of commands in flight per instance. Input is pulled only when there is room, so a
// 1,000,000-line file is never held in memory, and each result is yielded as it finishes (or, with
// `ordered`, in input order through a reorder window that is bounded too). Nothing is dropped: every
// input entry ends as exactly one item per instance, or one error item when it could not be run.
// A command that failed for a transient reason is held in escrow and run again after the input
// (escrow.ts); its item is yielded when final.
import { performance } from 'node:perf_hooks';
import type { IamClient } from '../client.js';
import type { Connector } from '../core/connector.js';
import { UsageError } from '../core/errors.js';
import { parseBoolean, parseJsonObject } from '../core/profile.js';
import type { UserResult } from '../core/record.js';
import { type Held, isTransientFailure, settle } from './escrow.js';
import { Gate } from './gate.js';
import {
  BATCH_COMMANDS,
  type BatchCommand,
  type BatchEntry,
  type BatchItem,
  type BatchOptions,
  DEFAULT_CONCURRENCY,
  DEFAULT_ESCROW_DELAY_MS,
  DEFAULT_ESCROW_PASSES,
  type EscrowPass,
  MAX_CONCURRENCY,
  MAX_ESCROW_DELAY_MS,
  MAX_ESCROW_PASSES,
  ORDER_WINDOW,
} from './types.js';

export {
  BATCH_COMMANDS,
  type BatchCommand,
  type BatchEntry,
  type BatchError,
  type BatchItem,
  type BatchOptions,
  type BatchResult,
  DEFAULT_CONCURRENCY,
  DEFAULT_ESCROW_DELAY_MS,
  DEFAULT_ESCROW_PASSES,
  type EscrowPass,
  MAX_CONCURRENCY,
  MAX_ESCROW_DELAY_MS,
  MAX_ESCROW_PASSES,
} from './types.js';

import { wakeup } from './wakeup.js';

interface Plan {
  command: BatchCommand;
  instances: readonly { name: string; gate: Gate }[];
  /** Connectors that can commit many commands at once: on for the run (core/connector.ts). */
  grouped: readonly Connector[];
  allowEnable: boolean;
  strict: boolean;
  /** Most lines admitted and not yet done (unordered) or not yet yielded (ordered). */
  window: number;
  ordered: boolean;
  signal: AbortSignal | undefined;
  escrowPasses: number;
  escrowDelayMs: number;
  onEscrowPass: ((pass: EscrowPass) => void) | undefined;
  actor: string | undefined;
}

const isCommand = (c: unknown): c is BatchCommand => (BATCH_COMMANDS as readonly unknown[]).includes(c);

/** A whole number from 0 to `max`, or the default when not given; else UsageError naming `field`. */
function wholeNumber(value: unknown, field: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  throw new UsageError(`${field}: expected a whole number from 0 to ${max}, got ${String(value)}`, field);
}

/** Checks everything that can be checked before the first command; throws UsageError. */
function plan(client: IamClient, options: BatchOptions): Plan {
  if (!isCommand(options.command)) {
    throw new UsageError(
      `batch: unknown command "${String(options.command)}" (one of ${BATCH_COMMANDS.join(', ')})`,
      'command',
    );
  }
  const names = [...new Set(options.instances)];
  if (names.length === 0) throw new UsageError('batch: no instance to run on', 'instance');
  const c = options.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1 && c <= MAX_CONCURRENCY)) {
    throw new UsageError(
      `concurrency: expected a whole number from 1 to ${MAX_CONCURRENCY}, got ${String(c)}`,
      'concurrency',
    );
  }
  const instances = names.map((name) => {
    const declared = client.runtime(name).capabilities.concurrency;
    return { name, gate: new Gate(c ?? declared ?? DEFAULT_CONCURRENCY) };
  });
  const grouped = names.map((name) => client.runtime(name).connector).filter((c) => c.groupCommit);
  const widest = Math.max(...instances.map((i) => i.gate.limit));
  const ordered = options.ordered === true;
  return {
    command: options.command,
    instances,
    grouped,
    allowEnable: parseBoolean(options.allowEnable, 'allow-enable', true),
    strict: parseBoolean(options.strict, 'strict', false),
    window: ordered ? widest * ORDER_WINDOW : widest,
    ordered,
    signal: options.signal,
    escrowPasses: wholeNumber(
      options.escrowPasses,
      'escrow-passes',
      MAX_ESCROW_PASSES,
      DEFAULT_ESCROW_PASSES,
    ),
    escrowDelayMs: wholeNumber(
      options.escrowDelayMs,
      'escrow-delay',
      MAX_ESCROW_DELAY_MS,
      DEFAULT_ESCROW_DELAY_MS,
    ),
    onEscrowPass: options.onEscrowPass,
    actor: options.actor,
  };
}

/**
 * Runs `options.command` for every entry of `entries` on every instance. Options are checked (and
 * UsageError thrown) before anything is read or sent. An error thrown by the source ends the input;
 * what is in flight finishes and is yielded, then the error is thrown.
 */
export function runBatchEntries(
  client: IamClient,
  options: BatchOptions,
  entries: AsyncIterable<BatchEntry> | Iterable<BatchEntry>,
): AsyncIterable<BatchItem> {
  return execute(client, plan(client, options), entries);
}

/** `runBatchEntries` over bare profiles (objects or JSON text), numbered from 1 in `line`. */
export function runBatch(
  client: IamClient,
  options: BatchOptions,
  profiles: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncIterable<BatchItem> {
  return execute(client, plan(client, options), numbered(profiles));
}

async function* numbered(profiles: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<BatchEntry> {
  let line = 0;
  for await (const profile of profiles) {
    line += 1;
    yield { line, profile };
  }
}

function retriesOf(result: UserResult): number {
  const details = result.vendor.details;
  const n = details && typeof details === 'object' ? (details as { retries?: unknown }).retries : undefined;
  return typeof n === 'number' ? n : 0;
}

const oneLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]?.trim() || 'unknown error';

/** One admitted entry: how many of its items are still running, and (ordered) the finished ones. */
interface Slot {
  seq: number;
  remaining: number;
  items: (BatchItem | undefined)[];
}

async function* execute(
  client: IamClient,
  p: Plan,
  entries: AsyncIterable<BatchEntry> | Iterable<BatchEntry>,
): AsyncGenerator<BatchItem> {
  const source: AsyncIterator<BatchEntry> | Iterator<BatchEntry> =
    Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : entries[Symbol.iterator]();
  const ready: BatchItem[] = [];
  const held: Held[] = []; // failed for a transient reason: run again after the input (escrow.ts)
  const waiting = new Map<number, Slot>(); // ordered: finished or running lines not yet yielded
  let nextSeq = 0; // sequence number of the next admitted entry
  let nextOut = 0; // ordered: the sequence number to yield next
  let admitted = 0;
  let running = 0;
  let reading: Promise<void> | undefined; // the one read under way
  let inputDone = false;
  let readError: { error: unknown } | undefined;
  const { notify, next: nextEvent } = wakeup();
  const stopped = () => p.signal?.aborted === true;

  const release = (slot: Slot) => {
    if (!p.ordered) {
      admitted -= 1;
      return;
    }
    waiting.set(slot.seq, slot);
    for (let s = waiting.get(nextOut); s && s.remaining === 0; s = waiting.get(nextOut)) {
      for (const item of s.items) if (item) ready.push(item);
      waiting.delete(nextOut);
      nextOut += 1;
      admitted -= 1;
    }
  };

  /** `item` undefined: held in escrow, yielded later (with `ordered`, after all the others). */
  const finish = (slot: Slot, index: number, item: BatchItem | undefined) => {
    if (p.ordered) slot.items[index] = item;
    else if (item) ready.push(item);
    slot.remaining -= 1;
    if (slot.remaining === 0) release(slot);
  };

  const runOne = async (line: number, instance: string, profile: object): Promise<BatchItem> => {
    const started = performance.now();
    try {
      const result = await client.user(
        p.command,
        instance,
        { userProfile: profile, allowEnable: p.allowEnable, strict: p.strict },
        p.actor === undefined ? {} : { actor: p.actor },
      );
      const durationMs = performance.now() - started;
      return { kind: 'result', line, instance, result, retries: retriesOf(result), durationMs };
    } catch (e) {
      return { kind: 'error', line, instance, message: oneLine(e) };
    }
  };

  /** Holds a transient failure (undefined: not yielded now), or marks it when there is no escrow. */
  const escrowed = (item: BatchItem, at: Omit<Held, 'last'>): BatchItem | undefined => {
    if (!isTransientFailure(item)) return item;
    if (p.escrowPasses === 0) return { ...item, retryable: true };
    held.push({ ...at, last: item });
    return undefined;
  };

  const admit = (entry: BatchEntry) => {
    const seq = nextSeq++;
    admitted += 1;
    let profile: object | undefined;
    let rejected: string | undefined;
    if ('error' in entry) rejected = entry.error;
    else {
      try {
        profile = parseJsonObject(entry.profile, 'user-profile');
      } catch (e) {
        rejected = oneLine(e);
      }
    }
    if (profile === undefined) {
      const slot: Slot = { seq, remaining: 1, items: [] };
      finish(slot, 0, { kind: 'error', line: entry.line, instance: null, message: rejected ?? '' });
      return;
    }
    const slot: Slot = { seq, remaining: p.instances.length, items: [] };
    p.instances.forEach(({ name, gate }, index) => {
      running += 1;
      const body = profile;
      void gate
        .run(() => runOne(entry.line, name, body))
        .then((item) => {
          running -= 1;
          finish(slot, index, escrowed(item, { seq, index, gate, profile: body }));
          notify();
        });
    });
  };

  const startRead = () => {
    if (reading || inputDone || readError || stopped() || admitted >= p.window) return;
    // Through a promise, so a synchronous iterator that throws is handled like an async one.
    reading = Promise.resolve()
      .then(() => source.next())
      .then(
        (r) => {
          reading = undefined;
          if (r.done) inputDone = true;
          else if (!stopped()) admit(r.value);
          notify();
        },
        (error: unknown) => {
          reading = undefined;
          readError = { error };
          notify();
        },
      );
  };

  p.signal?.addEventListener('abort', notify);
  // Each record still comes only once its write is committed: group commit only batches commits.
  for (const c of p.grouped) await c.groupCommit?.(true);
  try {
    for (;;) {
      startRead();
      const item = ready.shift();
      if (item) {
        yield item;
        continue;
      }
      const noMoreInput = inputDone || readError !== undefined || stopped();
      if (noMoreInput && running === 0 && admitted === 0 && (!reading || stopped())) break;
      await nextEvent();
    }
    yield* settle(held.splice(0), {
      passes: p.escrowPasses,
      delayMs: p.escrowDelayMs,
      ordered: p.ordered,
      signal: p.signal,
      run: (h) => runOne(h.last.line, h.last.instance, h.profile),
      onPass: p.onEscrowPass,
    });
    if (readError) throw readError.error;
  } finally {
    p.signal?.removeEventListener('abort', notify);
    // The consumer may have left early: let what is in flight land before the client is closed.
    while (running > 0) await nextEvent();
    for (const c of p.grouped) await c.groupCommit?.(false);
    if (!inputDone && !readError) {
      const close = () =>
        Promise.resolve(source.return?.()).then(
          () => {},
          () => {},
        );
      // A read still pending (stdin with no data yet) may never end: close after it, without waiting.
      if (reading) void reading.then(close);
      else await close();
    }
  }
}
