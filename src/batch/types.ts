// The shapes of a batch: its options, what goes in (entries), and what comes out (items).
import { USER_COMMANDS, type UserCommandName } from '../commands/registry.js';
import type { UserResult } from '../core/record.js';

/** The user commands that run over a file of profiles (the registry's `batch` entries). */
export const BATCH_COMMANDS: readonly UserCommandName[] = USER_COMMANDS.filter((c) => c.batch).map(
  (c) => c.name,
);
export type BatchCommand = UserCommandName;

/** In-flight commands per instance when neither the caller nor the connector says. */
export const DEFAULT_CONCURRENCY = 8;
/** More than this only fills memory and the app's own queue. */
export const MAX_CONCURRENCY = 1024;
/** With `ordered`, input may run this many times the concurrency ahead of the oldest unfinished line. */
export const ORDER_WINDOW = 4;
/** Escrow passes after the input when neither the caller nor the CLI says (0 disables the escrow). */
export const DEFAULT_ESCROW_PASSES = 3;
export const MAX_ESCROW_PASSES = 20;
/** Wait before the first escrow pass; it doubles for each pass after. */
export const DEFAULT_ESCROW_DELAY_MS = 5_000;
/** No wait before a pass is longer than this, whatever the doubling or an app's Retry-After says. */
export const MAX_ESCROW_DELAY_MS = 300_000;

export interface BatchOptions {
  command: BatchCommand;
  /** Every profile runs on each of these instances, in this order. */
  instances: readonly string[];
  /** In-flight commands per instance; default: the connector's `capabilities.concurrency`, else 8. */
  concurrency?: number;
  /** create-user/update-user: true/false/yes/no/1/0 (default true). */
  allowEnable?: unknown;
  /**
   * true: a profile key that is neither a User Profile field nor used by the instance's mapping
   * makes that entry an error item (nothing sent for it); else a warning, once per key and instance.
   */
  strict?: unknown;
  /** Yield in input order (instances in the order given) rather than as results finish. */
  ordered?: boolean;
  /**
   * Once aborted, no more input is read (and no escrow pass starts); commands in flight finish and
   * are yielded, then the commands held in escrow, as the failures they are.
   */
  signal?: AbortSignal;
  /**
   * Commands that failed with a transient error (429, 502/503/504, no answer, after the transport's
   * own attempts) are held and run again after the input, up to this many passes (default 3; 0: they
   * are yielded as failed at once).
   */
  escrowPasses?: number;
  /** Wait before the first escrow pass, ms (default 5000); doubled for each pass after, capped at 5 min. */
  escrowDelayMs?: number;
  /** Told when an escrow pass is about to wait and then run again `commands` held commands. */
  onEscrowPass?: (pass: EscrowPass) => void;
  /** The audit's actor for every command of the batch (default: the client's). */
  actor?: string;
}

export interface EscrowPass {
  /** 1 for the first escrow pass (the commands' second run). */
  pass: number;
  /** The most passes that may run (`escrowPasses`). */
  of: number;
  commands: number;
  /** How long it waits before it starts. */
  delayMs: number;
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
  /** Which run of the command this is, when not the first: 2 for the first escrow pass, and so on. */
  pass?: number;
  /**
   * true on a failure whose cause was transient (it might succeed later): one the escrow held and
   * that is still failed after the last pass, or that was not run again (escrow off, interrupted).
   */
  retryable?: boolean;
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
