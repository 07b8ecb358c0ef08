// A real SCIM 2.0 service provider (RFC 7643/7644) for tests: scimmy + scimmy-routers on express,
// with an in-memory store per server instance, listening on 127.0.0.1 port 0.
//
// scimmy keeps resource declarations and its Config in module-global state, so the resource
// handlers are declared and one SCIMMYRouters built once per process; every request carries its
// own server's store through scimmy's `context` hook (a WeakMap keyed by the request). Things that
// must differ per server (auth token, PATCH support, ServiceProviderConfig, locations) are handled
// in express middleware in front of the shared router. Work-arounds for scimmy 1.3 behaviour:
// - express 5 re-parses req.query on every read, so scimmy-routers' string-to-number cast of
//   startIndex/count is lost; the app gets a query parser that casts them (paging works);
// - filters: see scim-filter.ts (escaped quotes, caseExact, missing attributes, extensions);
// - ListResponse reports itemsPerPage = count asked, not the page size; meta.location comes from a
//   basepath that is global and rewritten per request; both are fixed on the way out;
// - the store (scim-store.ts) does what scimmy leaves to handlers: uniqueness, members, User.groups.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { FilterSyntaxError, maskLiterals } from './scim-filter.js';
import { type Kind, Store, scimError } from './scim-store.js';
import {
  hasBearer,
  isRecord,
  listen,
  recordRequests,
  scimErrors,
  sendScimError,
  storeHandle,
} from './scim-support.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
}

export interface ScimTestServer {
  /** Base URL of the SCIM root, ending WITHOUT a slash, e.g. http://127.0.0.1:40123/scim/v2 */
  url: string;
  token: string;
  /** Every request the server saw, in order, with the status it answered (for wire assertions). */
  requests: RecordedRequest[];
  /** Direct read access to the store for assertions (raw SCIM JSON as the server would return it). */
  users(): Record<string, unknown>[];
  groups(): Record<string, unknown>[];
  /** Empties store and request log. */
  reset(): void;
  close(): Promise<void>;
}

class RequestContext {
  constructor(
    readonly store: Store,
    readonly literals: string[],
  ) {}
}
type Json = Record<string, unknown>;
const contexts = new WeakMap<Request, RequestContext>();

function contextOf(ctx: unknown): RequestContext {
  if (ctx instanceof RequestContext) return ctx;
  throw scimError(500, '', 'SCIM handler called without a server context');
}

let sharedRouter: RequestHandler | undefined;

/** Declares User (with the enterprise extension) and Group once, then builds the shared router. */
function scimRouter(): RequestHandler {
  if (sharedRouter) return sharedRouter;
  // scimmy's handler typings want the schema's exact shape back; the store returns plain JSON.
  const handlers = (kind: Kind) => ({
    ingress: (r: { id?: string }, instance: unknown, ctx: unknown) =>
      contextOf(ctx).store.write(kind, r.id, instance) as never,
    egress: (r: InstanceType<typeof SCIMMY.Types.Resource>, ctx: unknown) =>
      contextOf(ctx).store.read(kind, r, contextOf(ctx).literals) as never,
    degress: (r: { id?: string }, ctx: unknown) => contextOf(ctx).store.remove(kind, r.id),
  });
  const users = handlers('Users');
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .extend(SCIMMY.Schemas.EnterpriseUser, false)
    .ingress(users.ingress)
    .egress(users.egress)
    .degress(users.degress);
  const groups = handlers('Groups');
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress(groups.ingress)
    .egress(groups.egress)
    .degress(groups.degress);
  sharedRouter = new SCIMMYRouters({
    type: 'bearer',
    handler: () => 'scim-test-client', // the per-server middleware has already checked the token
    context: (req) => contexts.get(req),
  });
  return sharedRouter;
}

function parseQuery(query: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    out[key] = (key === 'startIndex' || key === 'count') && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/**
 * Rewrites bodies on the way out: a page past the end is empty (scimmy repeats the first page),
 * itemsPerPage is the page size, meta.location is absolute, 201 carries Location, and error
 * details show the filter literals rather than their placeholders.
 */
function fixResponses(res: Response, url: () => string, literals: string[]): void {
  const relocate = (resource: unknown): string | undefined => {
    if (!isRecord(resource) || !isRecord(resource.meta) || typeof resource.id !== 'string') return undefined;
    const type = resource.meta.resourceType;
    if (type !== 'User' && type !== 'Group') return undefined;
    const location = `${url()}/${type}s/${resource.id}`;
    resource.meta.location = location;
    return location;
  };
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    const fixed: unknown = body === undefined ? body : JSON.parse(JSON.stringify(body));
    if (isRecord(fixed) && Array.isArray(fixed.Resources)) {
      if (Number(fixed.startIndex) > Number(fixed.totalResults)) fixed.Resources = [];
      fixed.itemsPerPage = (fixed.Resources as unknown[]).length;
      (fixed.Resources as unknown[]).forEach(relocate);
    } else if (isRecord(fixed) && typeof fixed.detail === 'string') {
      fixed.detail = fixed.detail.replace(/"__scimlit(\d+)__"/g, (_, n) =>
        JSON.stringify(literals[Number(n)]),
      );
    } else {
      const location = relocate(fixed);
      if (location && res.statusCode === 201) res.location(location);
    }
    return json(fixed);
  };
}

export interface ScimApp {
  app: express.Express;
  users(): Json[];
  groups(): Json[];
  reset(): void;
}

/** The SCIM service as an express sub-app, to mount at the SCIM root (the AWS simulator reuses it). */
/** What the server accepts instead of its Bearer token: only HTTP Basic, or only an API key header. */
export type ScimServerAuth =
  | { basic: { username: string; password: string } }
  | { apiKey: { header: string; value: string } };

function authorized(req: Request, token: string, auth: ScimServerAuth | undefined): boolean {
  if (!auth) return hasBearer(req.get('authorization'), token);
  if ('basic' in auth) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '');
    const pair = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    return pair === `${auth.basic.username}:${auth.basic.password}`;
  }
  return req.get(auth.apiKey.header) === auth.apiKey.value;
}

export function createScimApp(opts: {
  token: string;
  auth?: ScimServerAuth;
  patch: boolean;
  url: () => string;
  /** false: a member added twice is stored twice (see Store). */
  dedupeMembers?: boolean;
  /** DELETE /Users/{id} deactivates (answers 204, the user stays with `active: false`), as Slack's does. */
  deleteDeactivates?: boolean;
}): ScimApp {
  const router = scimRouter();
  const newStore = () => new Store(opts.url, opts.dedupeMembers ?? true);
  let store = newStore();
  const app = express();
  app.set('query parser', parseQuery);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!authorized(req, opts.token, opts.auth)) {
      const scheme = !opts.auth ? 'Bearer' : 'basic' in opts.auth ? 'Basic realm="scim"' : 'ApiKey';
      res.set('WWW-Authenticate', scheme);
      return sendScimError(
        res,
        401,
        opts.auth ? 'Missing or invalid credentials' : 'Missing or invalid bearer token',
      );
    }
    // RFC 7644 3.5.2: a provider without PATCH answers 501; its ServiceProviderConfig says so too.
    if (req.method === 'PATCH' && !opts.patch)
      return sendScimError(res, 501, 'PATCH is not supported; use PUT');
    if (req.path.toLowerCase() === '/bulk')
      return sendScimError(res, 501, 'Bulk operations are not supported');
    let literals: string[] = [];
    const target = new URL(req.url, 'http://loopback');
    const filter = target.searchParams.get('filter');
    if (filter !== null) {
      try {
        const masked = maskLiterals(filter);
        literals = masked.literals;
        target.searchParams.set('filter', masked.text);
        req.url = `${target.pathname}${target.search}`;
      } catch (error) {
        if (error instanceof FilterSyntaxError)
          return sendScimError(res, 400, error.message, 'invalidFilter');
        throw error;
      }
    }
    const deleted = /^\/Users\/([^/]+)$/i.exec(req.path);
    if (opts.deleteDeactivates && req.method === 'DELETE' && deleted?.[1]) {
      const id = decodeURIComponent(deleted[1]);
      if (!store.deactivate(id)) return sendScimError(res, 404, `User ${id} not found`);
      return void res.status(204).end();
    }
    contexts.set(req, new RequestContext(store, literals));
    fixResponses(res, opts.url, literals);
    if (req.method !== 'GET' || req.path.toLowerCase() !== '/serviceproviderconfig') return next();
    new SCIMMY.Resources.ServiceProviderConfig().read().then((config) => {
      const body = JSON.parse(JSON.stringify(config)) as Json;
      body.patch = { supported: opts.patch };
      body.bulk = { supported: false, maxOperations: 0, maxPayloadSize: 0 };
      body.meta = { resourceType: 'ServiceProviderConfig', location: `${opts.url()}/ServiceProviderConfig` };
      res.type('application/scim+json').json(body);
    }, next);
  });
  app.use(router);
  app.use(scimErrors);
  return {
    app,
    users: () => store.render('Users'),
    groups: () => store.render('Groups'),
    reset: () => {
      store = newStore();
    },
  };
}

export async function startScimServer(
  /** `writeDelayMs`: each POST/PUT/PATCH/DELETE waits this long before it is applied (a slow app). */
  opts: {
    token?: string;
    basePath?: string;
    patch?: boolean;
    writeDelayMs?: number;
    /** Accept only these credentials (not the Bearer token), as scimgateway's basic-only mode. */
    auth?: ScimServerAuth;
    /** DELETE /Users/{id} deactivates instead of deleting (see createScimApp). */
    deleteDeactivates?: boolean;
  } = {},
): Promise<ScimTestServer> {
  const token = opts.token ?? 'scim-test-token';
  const basePath = `/${(opts.basePath ?? '/scim/v2').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const requests: RecordedRequest[] = [];
  let url = '';
  const scim = createScimApp({
    token,
    patch: opts.patch ?? true,
    url: () => url,
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.deleteDeactivates ? { deleteDeactivates: true } : {}),
  });
  const app = express();
  app.use(recordRequests(requests));
  const writeDelay = opts.writeDelayMs ?? 0;
  if (writeDelay > 0)
    app.use((req: Request, _res: Response, next: NextFunction) =>
      req.method === 'GET' ? next() : setTimeout(next, writeDelay),
    );
  app.use(basePath || '/', scim.app);
  app.use((_req: Request, res: Response) => sendScimError(res, 404, 'Endpoint not found'));
  app.use(scimErrors);
  const server = await listen(app);
  url = `${server.origin}${basePath}`;
  return {
    url,
    token,
    ...storeHandle(scim, requests, server.close),
  };
}
