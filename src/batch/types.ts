// The shapes of a batch: its options, what goes in (entries), and what comes out (items).
import type { UserResult } from '../core/record.js';

export const BATCH_COMMANDS = [
  'get-user',
  'create-user',
  'update-user',
  'enable-user',
  'disable-user',
] as const;
export type BatchCommand = (typeof BATCH_COMMANDS)[number];

/** In-flight commands per instance when neither the caller nor the connector says. */
export const DEFAULT_CONCURRENCY = 8;
/** More than this only fills memory and the app's own queue. */
export const MAX_CONCURRENCY = 1024;
/** With `ordered`, input may run this many times the concurrency ahead of the oldest unfinished line. */
export const ORDER_WINDOW = 4;

export interface BatchOptions {
  command: BatchCommand;
  /** Every profile runs on each of these instances, in this order. */
  instances: readonly string[];
  /** In-flight commands per instance; default: the connector's `capabilities.concurrency`, else 8. */
  concurrency?: number;
  /** create-user/update-user: true/false/yes/no/1/0 (default true). */
  allowEnable?: unknown;
  /** Yield in input order (instances in the order given) rather than as results finish. */
  ordered?: boolean;
  /** Once aborted, no more input is read; commands in flight finish and are yielded. */
  signal?: AbortSignal;
}

/** One input entry: a profile (object or JSON text) or a line that could not be read, by its position. */
export type BatchEntry = { line: number; profile: unknown } | { line: number; error: string };

/** A command ran: `result` is exactly what the single command returns. */
export interface BatchResult {
  kind: 'result';
  line: number;
  instance: string;
  result: UserResult;
  /** Retries the command needed (the record's `details.retries`, 0 when absent). */
  retries: number;
  /** From the command's start (after waiting for a free slot) to its result. */
  durationMs: number;
}

/** Nothing could be run for this entry (unreadable line, not a JSON object): counts as a failure. */
export interface BatchError {
  kind: 'error';
  line: number;
  /** null when the entry was rejected before any instance was tried. */
  instance: string | null;
  message: string;
}

export type BatchItem = BatchResult | BatchError;
