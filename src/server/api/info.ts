// What is configured and how the server is doing: GET /v1/instances (the instances this key may
// use, as `iam instances --output json` lists them), GET /v1/brands (as `iam brands --output json`),
// GET /healthz (no key: for a load balancer), GET /metrics (Prometheus text; a key with read).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { builtInConnectors } from '../../connectors/registry.js';
import { describeSettings } from '../../core/settings-doc.js';
import { mayUse } from '../auth.js';
import type { ServerContext } from '../commands.js';
import type { Guard } from './guard.js';
import { problemSchema } from './problem.js';

const refused = { 401: problemSchema, 403: problemSchema };

export function infoRoutes(app: FastifyInstance, ctx: ServerContext, guard: Guard): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/v1/instances',
    {
      onRequest: guard.hook('read'),
      schema: {
        summary: 'The instances this key may use: name, brand, flags.',
        tags: ['info'],
        security: [{ apiKey: [] }],
        response: { 200: z.array(z.record(z.string(), z.unknown())), ...refused },
      },
    },
    async (request, _reply) => {
      const key = guard.keyOf(request);
      return ctx.clients.live.instances().filter((i) => mayUse(key, i.name)) as unknown as Record<
        string,
        unknown
      >[];
    },
  );
  api.get(
    '/v1/brands',
    {
      onRequest: guard.hook('read'),
      schema: {
        summary: 'The brands this build knows, with their settings (type, default, description).',
        tags: ['info'],
        security: [{ apiKey: [] }],
        response: { 200: z.array(z.record(z.string(), z.unknown())), ...refused },
      },
    },
    async () => {
      return builtInConnectors.map((d) => ({
        brand: d.brand,
        description: d.description,
        settings: describeSettings(d.settings),
      }));
    },
  );
  api.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: 200 while the server accepts requests (no key needed).',
        tags: ['info'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  api.get(
    '/metrics',
    {
      onRequest: guard.hook('read'),
      schema: {
        summary: 'Prometheus text: commands by instance, command and outcome; latency; retries; 429s.',
        tags: ['info'],
        security: [{ apiKey: [] }],
        response: { 200: z.string(), ...refused },
      },
    },
    async (_request, reply) => {
      return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
    },
  );
}
