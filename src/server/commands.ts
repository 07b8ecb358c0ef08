// One command of the registry run for a server (HTTP API or MCP): the same library call the CLI
// makes, answered with exactly the JSON record `--output json` prints, counted in the metrics.

import { groupJson, testOutput, userJson } from '../cli/output.js';
import type { IamClient } from '../client.js';
import type { CommandEntry, GroupCommandName, UserCommandName } from '../commands/registry.js';
import { UsageError } from '../core/errors.js';
import type { ServerClients } from './clients.js';
import type { Outcome, ServerMetrics } from './metrics.js';

export interface ServerContext {
  clients: ServerClients;
  metrics: ServerMetrics;
}

export interface Caller {
  /** The audit's actor: the API key's name, or `mcp`. */
  actor: string;
  /** A write command runs as a dry run (nothing sent, the record says what would have been). */
  dryRun: boolean;
}

export interface RecordText {
  /** The record as `--output json` prints it (one line). */
  json: string;
  success: boolean;
}

/** The body key a UsageError's field names (`user-profile` -> `userProfile`). */
export function bodyField(entry: CommandEntry, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const [head = '', ...rest] = field.split('.');
  const option = entry.options.find((o) => o.key && o.flags.split(' ')[0] === `--${head}`);
  const key = option?.key ?? head.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return [key, ...rest].join('.');
}

async function exec(
  client: IamClient,
  entry: CommandEntry,
  instance: string,
  input: Readonly<Record<string, unknown>>,
  actor: string,
): Promise<RecordText & { errorCode?: unknown; skipped?: boolean }> {
  const call = { actor };
  if (entry.kind === 'user') {
    if (input.userProfile === undefined && input.scim === undefined)
      throw new UsageError(`${entry.name}: userProfile is required (a JSON object)`, 'user-profile');
    // Never silently one of the two: they could name different accounts.
    if (input.userProfile !== undefined && input.scim !== undefined)
      throw new UsageError(`${entry.name}: give userProfile or scim, not both`, 'scim');
    const r = await client.user(entry.name as UserCommandName, instance, input, call);
    const v = r.vendor;
    return { json: userJson(r, false), success: v.success, errorCode: v.errorCode, skipped: v.skipped };
  }
  if (entry.kind === 'group') {
    if (input.scim === undefined)
      throw new UsageError(`${entry.name}: scim is required (a JSON object)`, 'scim');
    const rec = await client.group(entry.name as GroupCommandName, instance, input, call);
    const out = { json: groupJson(entry.recordKey, rec), success: rec.success, errorCode: rec.errorCode };
    return rec.skipped ? { ...out, skipped: true } : out;
  }
  if (entry.name === 'test') {
    const r = await client.test(instance, call);
    return { json: testOutput(r, 'json'), success: r.success };
  }
  const r = await client.mappingFields(instance);
  return { json: JSON.stringify({ [entry.recordKey]: r }), success: true };
}

/** Runs one command on one instance. Bad input throws UsageError (nothing sent), as in the CLI. */
export async function runRecord(
  ctx: ServerContext,
  entry: CommandEntry,
  instance: string,
  input: Readonly<Record<string, unknown>>,
  caller: Caller,
): Promise<RecordText> {
  const started = performance.now();
  let outcome: Outcome = 'error';
  let errorCode: unknown;
  try {
    const run = (c: IamClient) => exec(c, entry, instance, input, caller.actor);
    const r = caller.dryRun && entry.write ? await ctx.clients.dryRun(run) : await run(ctx.clients.live);
    outcome = !r.success ? 'failed' : r.skipped ? 'skipped' : 'success';
    errorCode = r.errorCode;
    return { json: r.json, success: r.success };
  } finally {
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.command(instance, entry.name, outcome, seconds, errorCode);
  }
}
