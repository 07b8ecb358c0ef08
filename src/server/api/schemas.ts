// Request body schemas, built from the registry's input description (commands/input-schema.ts), so
// each command's body is written once: validation, handler types and /openapi.json all read it.
import { z } from 'zod';
import { inputSchema } from '../../commands/input-schema.js';
import type { CommandEntry } from '../../commands/registry.js';
import { bool } from '../../core/config-schema.js';

const dryRun = z
  .boolean()
  .optional()
  .describe('look up as usual, answer what would be sent, change nothing (write commands)');

/** The body of `POST /v1/instances/{instance}/{command}`: the command's input keys, nothing else. */
export function commandBody(entry: CommandEntry): z.ZodObject {
  const base = inputSchema(entry.input);
  return (entry.write ? base.extend({ dryRun }) : base).strict();
}

/** The body of `POST /v1/{command}`: the same plus the instances to run on. */
export function fanOutBody(entry: CommandEntry): z.ZodObject {
  return commandBody(entry)
    .extend({
      instances: z
        .array(z.string().min(1))
        .min(1, 'expected at least one instance name')
        .describe('the instances to run on, one record each'),
    })
    .strict();
}

export const instanceParams = z.object({ instance: z.string().describe('a configured instance') });

const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).optional();

/** `POST /v1/batch/{command}` query: the CLI's batch options. */
export const batchQuery = z.strictObject({
  instances: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .describe('comma-separated instance names; every line runs on each'),
  concurrency: wholeNumber.describe("commands in flight per instance (default: the connector's)"),
  ordered: bool.optional().describe('records in input order (default: as they finish)'),
  allowEnable: bool.optional().describe('create-user/update-user: enable the account (default true)'),
  dryRun: bool.optional().describe('look up as usual, change nothing'),
  escrowPasses: wholeNumber.describe('passes over transient failures after the input (default 3)'),
  escrowDelay: wholeNumber.describe('ms before the first escrow pass, doubled each pass (default 5000)'),
});

export const recordSchema = z
  .record(z.string(), z.unknown())
  .describe('the record, exactly as `iam <command> --output json` prints it');
