// The HTTP server of `iam serve`: a fastify instance built from a loaded config and its clients.
// Routes are generated from the command registry (api/commands.ts, api/batch.ts); bodies are
// validated by zod schemas built from the registry's input description, which also make
// /openapi.json (OpenAPI 3.1). Errors are RFC 9457 problem documents with one line. Fastify's own
// logger is off: no request line (with its Authorization header) is ever written.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { COMMANDS, type CommandEntry } from '../commands/registry.js';
import { UsageError } from '../core/errors.js';
import { unsafeJson } from '../core/profile.js';
import { batchRoutes } from './api/batch.js';
import { commandRoutes } from './api/commands.js';
import { guard } from './api/guard.js';
import { infoRoutes } from './api/info.js';
import { problem, problemOf, sendProblem } from './api/problem.js';
import { keyRing } from './auth.js';
import type { ServerClients } from './clients.js';
import type { ServerMetrics } from './metrics.js';
import { scimGateway } from './scim/plugin.js';

/** Largest JSON body accepted (a User Profile is a few KiB); a batch body is streamed instead. */
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  clients: ServerClients;
  metrics: ServerMetrics;
  /** Default: the registry's (a test may add an entry to see a route appear). */
  commands?: readonly CommandEntry[];
  bodyLimit?: number;
  version?: string;
  /** Told of every route as it is added (a test checks /openapi.json covers them all). */
  onRoute?: (route: { method: string; url: string }) => void;
}

/** One line for a request the framework refused before a handler ran. */
function frameworkProblem(e: FastifyError) {
  if (hasZodFastifySchemaValidationErrors(e)) {
    // A misspelt key (`user_profile`) is the cause of the "userProfile is required" beside it.
    const issue = e.validation.find((i) => i.keyword === 'unrecognized_keys') ?? e.validation[0];
    const where = e.validationContext ?? 'body';
    const path = (issue?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const field = path ? `${where}.${path}` : where;
    const said = (issue?.message ?? 'invalid').replace(/\s+/g, ' ');
    // zod says "expected nonoptional, received undefined" for a missing key.
    const message = /received undefined$/.test(said) ? 'is required' : said;
    const unknown = (issue?.params as { keys?: unknown } | undefined)?.keys;
    const extra = Array.isArray(unknown) && typeof unknown[0] === 'string' ? unknown[0] : undefined;
    const name =
      (path && extra ? `${path}.${extra}` : path || extra) || (where === 'body' ? undefined : where);
    return problem(400, `${field}: ${message}`, name ? { field: name } : {});
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'body: not valid JSON (expected a JSON object)');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, `body: larger than ${BODY_LIMIT} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'body: expected Content-Type: application/json');
    default:
      // Any other refusal of the framework's own (a 4xx) keeps its status, in one line.
      return e.statusCode && e.statusCode >= 400 && e.statusCode < 500
        ? problem(e.statusCode, e.message)
        : undefined;
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { clients, metrics } = opts;
  const config = clients.live.config;
  if (config.server?.unresolved) throw config.server.unresolved;
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? BODY_LIMIT,
    // A stopping server answers 503 to a request on a kept-alive connection instead of hanging it.
    return503OnClosing: true,
  });
  const { onRoute } = opts;
  if (onRoute)
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) onRoute({ method, url: r.url });
    });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON bodies: parsed, then refused (400, naming where) when a key would reach Object.prototype
  // or the nesting is deeper than the core walks: the CLI's own check on its JSON arguments.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    let value: unknown;
    try {
      value = JSON.parse(String(text));
    } catch {
      done(new UsageError('body: not valid JSON (expected a JSON object)', 'body'), undefined);
      return;
    }
    const unsafe = unsafeJson(value);
    done(unsafe ? new UsageError(`body: not accepted: ${unsafe}`, 'body') : null, value);
  });
  const redact = (t: string) => clients.live.redactText(t);
  app.setErrorHandler((e: FastifyError, _request, reply) => {
    sendProblem(reply, frameworkProblem(e) ?? problemOf(e, redact));
  });
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, problem(404, `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'iam-commands HTTP API',
        description: 'The IAM commands of iam-commands over HTTP (generated from the command registry).',
        version: opts.version ?? '0.0.0',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key of server.apiKeys' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  const ctx = { clients, metrics };
  const check = guard(keyRing(config.server?.apiKeys ?? []), new Set(config.instances.keys()));
  commandRoutes(app, { ctx, commands: opts.commands ?? COMMANDS, guard: check });
  batchRoutes(app, ctx, check);
  infoRoutes(app, ctx, check);
  app.get('/openapi.json', { schema: { summary: 'This API, as OpenAPI 3.1.', tags: ['info'] } }, async () =>
    app.swagger(),
  );
  // The SCIM 2.0 gateway (src/server/scim/plugin.ts), one per `server.scim` entry, at /scim/<path>/v2:
  // encapsulated (its own parser, error and not-found handlers), outside the API keys' guard.
  for (const e of config.server?.scim ?? []) {
    await app.register(scimGateway, {
      prefix: `/scim/${e.path}/v2`,
      entry: { path: e.path, instance: e.instance, token: e.token.reveal() },
      client: clients.live,
      actor: `scim:${e.path}`,
    });
  }
  return app;
}
