// POST /v1/batch/{command}?instances=a,b: JSON Lines in (one User Profile a line), records out as
// JSON Lines as each finishes: the batch engine (src/batch/engine.ts) with its limits (1 MiB a
// line, bounded concurrency, input read only when there is room, transient failures run again),
// so a body of a million lines is never held. Each record line is what `iam batch` prints (the
// record plus "Batch":{"line":N}); a line that could not be run is {"Batch":{"line":N,"error":"..."}}.
// A client that hangs up stops the input; what is in flight lands and is audited.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type BatchItem, runBatchEntries } from '../../batch/engine.js';
import { readJsonLines } from '../../batch/jsonl.js';
import { recordLine } from '../../cli/batch.js';
import type { IamClient } from '../../client.js';
import { USER_COMMANDS, type UserCommandEntry, type UserCommandName } from '../../commands/registry.js';
import { UsageError } from '../../core/errors.js';
import type { ServerContext } from '../commands.js';
import type { Guard } from './guard.js';
import { problemOf, problemSchema, sendProblem, sendRaw } from './problem.js';
import { batchQuery } from './schemas.js';

export const JSON_LINES_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

function itemLine(item: BatchItem, redact: (t: string) => string): string {
  if (item.kind === 'result') return recordLine(item);
  const instance = item.instance === null ? {} : { instance: item.instance };
  return JSON.stringify({ Batch: { line: item.line, ...instance, error: redact(item.message) } });
}

export function batchRoutes(app: FastifyInstance, ctx: ServerContext, guard: Guard): void {
  // The body is handed over as the request stream, read line by line by the engine.
  app.addContentTypeParser(JSON_LINES_TYPES, (_req, payload, done) => done(null, payload));
  const api = app.withTypeProvider<ZodTypeProvider>();
  const redact = (t: string) => ctx.clients.live.redactText(t);
  for (const entry of USER_COMMANDS.filter((c) => c.batch) as readonly UserCommandEntry[]) {
    api.post(
      `/v1/batch/${entry.name}`,
      {
        onRequest: guard.hook(entry.write ? 'write' : 'read'),
        schema: {
          summary: `${entry.about} For every line of a JSON Lines body (Content-Type: application/x-ndjson), streamed.`,
          tags: ['batch'],
          security: [{ apiKey: [] }],
          querystring: batchQuery,
          response: { 400: problemSchema, 401: problemSchema, 403: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        const q = request.query;
        if (!guard.instances(request, reply, q.instances)) return reply;
        const key = guard.keyOf(request);
        const body = request.body as unknown;
        if (!(body instanceof Readable))
          return sendProblem(reply, {
            ...problemOf(
              new UsageError('body: expected JSON Lines (Content-Type: application/x-ndjson)'),
              redact,
            ),
            status: 415,
            title: 'Unsupported Media Type',
          });
        const stop = new AbortController();
        reply.raw.on('close', () => stop.abort());
        const options = {
          command: entry.name as UserCommandName,
          instances: q.instances,
          actor: key.name,
          signal: stop.signal,
          ...(q.concurrency !== undefined ? { concurrency: q.concurrency } : {}),
          ...(q.ordered !== undefined ? { ordered: q.ordered } : {}),
          ...(q.allowEnable !== undefined ? { allowEnable: q.allowEnable } : {}),
          ...(q.escrowPasses !== undefined ? { escrowPasses: q.escrowPasses } : {}),
          ...(q.escrowDelay !== undefined ? { escrowDelayMs: q.escrowDelay } : {}),
        };
        let client: IamClient;
        try {
          // A dry run gets a client of its own (it reads the data as it is now), closed at the end.
          client = q.dryRun === true ? ctx.clients.openDryRun() : ctx.clients.live;
        } catch (e) {
          return sendProblem(reply, problemOf(e, redact));
        }
        const done = () => {
          if (client !== ctx.clients.live) void client.close();
        };
        const it = (async function* () {
          try {
            // Options are checked here, before the first line is read (a 400 is still possible).
            for await (const item of runBatchEntries(client, options, readJsonLines(body)))
              yield `${itemLine(item, redact)}\n`;
          } finally {
            done();
          }
        })();
        let head: IteratorResult<string>;
        try {
          head = await it.next();
        } catch (e) {
          return sendProblem(reply, problemOf(e, redact));
        }
        const rest = async function* () {
          if (!head.done) yield head.value;
          yield* { [Symbol.asyncIterator]: () => it };
        };
        return sendRaw(reply, 'application/x-ndjson', Readable.from(rest()));
      },
    );
  }
}
