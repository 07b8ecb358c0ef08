// The SCIM 2.0 gateway (RFC 7643/7644) for one `server.scim` entry: a fastify plugin mounted at
// `/scim/<path>/v2`, in front of the entry's instance, through the library client:
//
//   app.register(scimGateway, { prefix: `/scim/${entry.path}/v2`, entry, client });
//
// Options: `entry` ({ path, instance, token }: the token a secret, compared in constant time and
// never logged) and `client` (an IamClient built from the same config, whose instance it uses).
// Encapsulated: its content-type parser, error and not-found handlers apply under its prefix only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IamClient } from '../../client.js';
import { IamError, UsageError } from '../../core/errors.js';
import { unsafeJson } from '../../core/profile.js';
import type { GatewayContext } from './context.js';
import { errorBody, ScimHttpError } from './errors.js';
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from './groups.js';
import { type ListQuery, listGroups, listUsers } from './list.js';
import { attributeList, etagOf, metaOf, project } from './resource.js';
import { resourceTypes, SCHEMAS, schemaDocs, serviceProviderConfig } from './schema.js';
import { createUser, deleteUser, getUser, patchUser, replaceUser } from './users.js';

export interface ScimGatewayOptions {
  entry: { path: string; instance: string; token: string };
  client: IamClient;
  /** The audit's actor for this entry's commands (`scim:<path>`). */
  actor?: string;
}

const CONTENT_TYPE = 'application/scim+json; charset=utf-8';
type Obj = Record<string, unknown>;
type Query = ListQuery & Record<string, unknown>;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Bearer token check in constant time (digests of equal length, whatever was sent). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  const sent = m?.[1]?.trim() ?? '';
  return timingSafeEqual(digest(sent), digest(token)) && sent.length > 0;
}

function send(reply: FastifyReply, status: number, body: Obj): FastifyReply {
  const meta = body.meta as Obj | undefined;
  const etag = meta ? etagOf(metaOf(body)) : undefined;
  if (etag) reply.header('etag', etag);
  if (status === 201 && typeof meta?.location === 'string') reply.header('location', meta.location);
  return reply.code(status).type(CONTENT_TYPE).send(body);
}

function sendError(reply: FastifyReply, status: number, detail: string, scimType?: string): FastifyReply {
  return reply
    .code(status)
    .type(CONTENT_TYPE)
    .send(errorBody(status, detail, scimType as Parameters<typeof errorBody>[2]));
}

/** One resource, cut to `attributes` / without `excludedAttributes`. */
function shaped(resource: Obj, q: Query): Obj {
  return project(
    resource,
    attributeList(q.attributes, 'attributes'),
    attributeList(q.excludedAttributes, 'excludedAttributes'),
  );
}

export async function scimGateway(app: FastifyInstance, opts: ScimGatewayOptions): Promise<void> {
  const { entry, client } = opts;
  if (!client.instances().some((i) => i.name === entry.instance)) {
    throw new Error(`server.scim path "${entry.path}": instance "${entry.instance}" is not configured`);
  }
  const prefix = app.prefix;
  const context = (req: FastifyRequest): GatewayContext => ({
    client,
    instance: entry.instance,
    base: `${req.protocol}://${req.host}${prefix}`,
    ifMatch: req.headers['if-match'],
    call: opts.actor === undefined ? {} : { actor: opts.actor },
  });

  // As the API's JSON parser: a key that would reach Object.prototype, or nesting deeper than the
  // core's walks (they would overflow the stack: a 500), is refused here with where it is.
  app.addContentTypeParser(['application/scim+json'], { parseAs: 'string' }, (_req, body, done) => {
    let value: unknown;
    try {
      value = body === '' ? undefined : JSON.parse(body as string);
    } catch {
      done(new ScimHttpError(400, 'body: not valid JSON', 'invalidSyntax'));
      return;
    }
    const unsafe = unsafeJson(value);
    done(unsafe ? new ScimHttpError(400, `body: not accepted: ${unsafe}`, 'invalidSyntax') : null, value);
  });

  app.addHook('onRequest', async (req, reply) => {
    if (tokenMatches(req.headers.authorization, entry.token)) return;
    reply.header('www-authenticate', 'Bearer realm="scim"');
    return sendError(
      reply,
      401,
      'Authentication required: send this gateway entry\'s token as "Authorization: Bearer <token>"',
    );
  });

  app.setErrorHandler((error, _req, reply) => {
    if (error instanceof ScimHttpError)
      return sendError(reply, error.status, client.redactText(error.message), error.scimType);
    if (error instanceof UsageError)
      return sendError(reply, 400, client.redactText(error.message), 'invalidValue');
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const syntax = status === 400 ? 'invalidSyntax' : undefined;
      return sendError(reply, status, client.redactText((error as Error).message), syntax);
    }
    const message = error instanceof IamError ? error.message : 'Internal error in the SCIM gateway';
    return sendError(reply, 500, client.redactText(message));
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, `Endpoint not found: ${req.method} ${req.url.split('?')[0]}`),
  );

  const discovery = (path: string, build: (base: string) => Obj) =>
    app.get(path, async (req, reply) => send(reply, 200, build(context(req).base)));
  const config = (base: string) => serviceProviderConfig(base);
  discovery('/ServiceProviderConfig', config);
  // Microsoft's validator asks a non-standard path for the same document.
  discovery('/serviceConfiguration', config);
  const listOf = (resources: Obj[]): Obj => ({
    schemas: [SCHEMAS.list],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });
  discovery('/ResourceTypes', (base) => listOf(resourceTypes(base)));
  discovery('/Schemas', (base) => listOf(schemaDocs(base)));
  const findOne = (list: Obj[], id: string) => {
    const found = list.find((r) => String(r.id).toLowerCase() === id.toLowerCase());
    if (!found) throw new ScimHttpError(404, `No such ${id}`);
    return found;
  };
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (req, reply) =>
    send(reply, 200, findOne(resourceTypes(context(req).base), req.params.id)),
  );
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (req, reply) =>
    send(reply, 200, findOne(schemaDocs(context(req).base), req.params.id)),
  );

  // Resource endpoints answer in either case (Microsoft's validator asks `/users`).
  for (const U of ['/Users', '/users']) userRoutes(app, U, context);
  for (const G of ['/Groups', '/groups']) groupRoutes(app, G, context);
}

type Context = (req: FastifyRequest) => GatewayContext;
type ById = { Params: { id: string }; Querystring: Query };

function userRoutes(app: FastifyInstance, U: string, context: Context): void {
  for (const path of [U, `${U}/`]) {
    app.get<{ Querystring: Query }>(path, async (req, reply) =>
      send(reply, 200, await listUsers(context(req), req.query)),
    );
    app.post(path, async (req, reply) => send(reply, 201, await createUser(context(req), req.body)));
  }
  app.get<ById>(`${U}/:id`, async (req, reply) =>
    send(reply, 200, shaped(await getUser(context(req), req.params.id), req.query)),
  );
  app.put<ById>(`${U}/:id`, async (req, reply) =>
    send(reply, 200, shaped(await replaceUser(context(req), req.params.id, req.body), req.query)),
  );
  app.patch<ById>(`${U}/:id`, async (req, reply) =>
    send(reply, 200, shaped(await patchUser(context(req), req.params.id, req.body), req.query)),
  );
  app.delete<ById>(`${U}/:id`, async (req, reply) => {
    await deleteUser(context(req), req.params.id);
    return reply.code(204).send();
  });
}

const membersWanted = (q: Query) =>
  !attributeList(q.excludedAttributes, 'excludedAttributes')?.some((p) => p[0] === 'members');

function groupRoutes(app: FastifyInstance, G: string, context: Context): void {
  for (const path of [G, `${G}/`]) {
    app.get<{ Querystring: Query }>(path, async (req, reply) =>
      send(reply, 200, await listGroups(context(req), req.query)),
    );
    app.post(path, async (req, reply) => send(reply, 201, await createGroup(context(req), req.body)));
  }
  app.get<ById>(`${G}/:id`, async (req, reply) => {
    const group = await getGroup(context(req), req.params.id, membersWanted(req.query));
    return send(reply, 200, shaped(group, req.query));
  });
  app.put<ById>(`${G}/:id`, async (req, reply) =>
    send(reply, 200, shaped(await replaceGroup(context(req), req.params.id, req.body), req.query)),
  );
  app.patch<ById>(`${G}/:id`, async (req, reply) => {
    await patchGroup(context(req), req.params.id, req.body);
    return reply.code(204).send();
  });
  app.delete<ById>(`${G}/:id`, async (req, reply) => {
    await deleteGroup(context(req), req.params.id);
    return reply.code(204).send();
  });
}
