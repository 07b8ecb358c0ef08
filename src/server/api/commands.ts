// The command routes, generated from the registry (never written twice):
//   POST /v1/instances/{instance}/{command}  one record, exactly what `--output json` prints (200
//                                            whatever its `success`);
//   POST /v1/{command}                       `instances: [...]`: a JSON array, one record per instance
//                                            (an instance that could not run: a problem document).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommandEntry } from '../../commands/registry.js';
import { UsageError } from '../../core/errors.js';
import { bodyField, runRecord, type ServerContext } from '../commands.js';
import type { Guard } from './guard.js';
import { problemOf, problemSchema, sendProblem, sendRaw } from './problem.js';
import { commandBody, fanOutBody, instanceParams, recordSchema } from './schemas.js';

export interface CommandRoutesOptions {
  ctx: ServerContext;
  commands: readonly CommandEntry[];
  guard: Guard;
}

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

export function commandRoutes(app: FastifyInstance, { ctx, commands, guard }: CommandRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const redact = (t: string) => ctx.clients.live.redactText(t);
  for (const entry of commands) {
    const scope = entry.write ? 'write' : 'read';
    const field = (f: string | undefined) => bodyField(entry, f);
    const split = (body: Record<string, unknown> | undefined) => {
      const { dryRun, instances: _i, ...input } = body ?? {};
      return { input, dryRun: dryRun === true };
    };
    // A command with no input (test, get-mapping-fields) may be posted with no body at all.
    const body = Object.keys(entry.input).length === 0 ? commandBody(entry).nullish() : commandBody(entry);
    api.post(
      `/v1/instances/:instance/${entry.name}`,
      {
        onRequest: guard.hook(scope),
        schema: {
          summary: entry.about,
          tags: ['commands'],
          security: [{ apiKey: [] }],
          params: instanceParams,
          body,
          response: { 200: recordSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { instance } = request.params;
        const key = guard.keyOf(request);
        const { input, dryRun } = split(request.body as Record<string, unknown> | undefined);
        try {
          const r = await runRecord(ctx, entry, instance, input, { actor: key.name, dryRun });
          return sendRaw(reply, 'application/json', r.json);
        } catch (e) {
          return sendProblem(reply, problemOf(e, redact, field));
        }
      },
    );
    api.post(
      `/v1/${entry.name}`,
      {
        onRequest: guard.hook(scope),
        schema: {
          summary: `${entry.about} On several instances: one record each, in the order given.`,
          tags: ['commands'],
          security: [{ apiKey: [] }],
          body: fanOutBody(entry),
          response: { 200: z.array(recordSchema), ...errors },
        },
      },
      async (request, reply) => {
        const instances = [...new Set(request.body.instances as string[])];
        if (!guard.instances(request, reply, instances)) return reply;
        const key = guard.keyOf(request);
        const { input, dryRun } = split(request.body);
        const caller = { actor: key.name, dryRun };
        const settled = await Promise.allSettled(
          instances.map((i) => runRecord(ctx, entry, i, input, caller)),
        );
        // The same bad input fails on every instance: one 400, as for a single instance.
        const first = settled[0];
        if (
          first?.status === 'rejected' &&
          settled.every((s) => s.status === 'rejected' && s.reason instanceof UsageError)
        )
          return sendProblem(reply, problemOf(first.reason, redact, field));
        const items = settled.map((s, i) =>
          s.status === 'fulfilled'
            ? s.value.json
            : JSON.stringify({ ...problemOf(s.reason, redact, field), instance: instances[i] }),
        );
        return sendRaw(reply, 'application/json', `[${items.join(',')}]`);
      },
    );
  }
}
