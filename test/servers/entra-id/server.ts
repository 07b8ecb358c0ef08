// A loopback simulator of Microsoft Graph v1.0 (users and groups) behind the Microsoft identity
// platform's client credentials token endpoint, written from Microsoft's published reference (pages
// listed in README.md). It is a simulator, not Microsoft Entra ID.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../scim-support.js';
import {
  badRequest,
  emptyToken,
  expiredToken,
  GraphError,
  type Json,
  noSegment,
  sendJson,
  throttled,
  unavailable,
} from './errors.js';
import { groupRoute } from './groups.js';
import { WriteLimiter, type WriteQuota } from './rate-limit.js';
import type { Ctx, Result, RouteOptions } from './router.js';
import { Directory } from './store.js';
import { TokenEndpoint } from './token.js';
import { userRoute } from './users.js';

export interface GraphRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The raw body text (form or JSON), for leak checks. */
  text: string;
  status: number;
  /** When it arrived (the simulator's clock, ms). */
  at: number;
}

export interface EntraSimulatorOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate registered on the app (signed client assertions). */
  certificate?: string;
  /** Token lifetime in seconds (the endpoint answers 3599 in Microsoft's examples). */
  expiresIn?: number;
  /** An object just created is invisible to reads for this long (ms). Default 0. */
  replicationDelayMs?: number;
  /** Write quota (POST/PATCH/DELETE); false (default) for none. */
  writeQuota?: WriteQuota | false;
  maxMembersPerRequest?: number;
  /** Per-request processing time, ms, waited before the token is checked. */
  latencyMs?: number;
  now?: () => number;
}

export interface EntraSimulator {
  origin: string;
  /** The authority (the real one is https://login.microsoftonline.com). */
  authorityUrl: string;
  /** The Graph root (the real one is https://graph.microsoft.com); the API is under /v1.0. */
  graphUrl: string;
  tokenUrl: string;
  credentials: { tenantId: string; clientId: string; clientSecret: string };
  dir: Directory;
  tokens: TokenEndpoint;
  writes: WriteLimiter;
  options: RouteOptions;
  requests: GraphRecordedRequest[];
  /** Answers the next API requests with these statuses (429/503 with Retry-After seconds) before serving. */
  failNext(...faults: { status: 429 | 503; retryAfterS: number }[]): void;
  /** Makes `@odata.nextLink` point at another origin (a hostile or misconfigured peer). */
  nextLinkOrigin?: string;
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

export async function startEntraSimulator(options: EntraSimulatorOptions = {}): Promise<EntraSimulator> {
  const now = options.now ?? Date.now;
  const credentials = {
    tenantId: options.tenantId ?? 'aaaabbbb-0000-cccc-1111-dddd2222eeee',
    clientId: options.clientId ?? '00001111-aaaa-2222-bbbb-3333cccc4444',
    clientSecret: options.clientSecret ?? 'Aa1Bb~2Cc3.-Dd4Ee5Ff6Gg7Hh8Ii9_Jj0Kk1Ll2',
  };
  const dir = new Directory(now, options.replicationDelayMs ?? 0);
  const writes = new WriteLimiter(options.writeQuota ?? false, now);
  const routeOptions: RouteOptions = { maxMembersPerRequest: options.maxMembersPerRequest ?? 20 };
  const requests: GraphRecordedRequest[] = [];
  const faults: { status: 429 | 503; retryAfterS: number }[] = [];
  let origin = '';
  const tokens = new TokenEndpoint({
    ...credentials,
    ...(options.certificate ? { certificate: options.certificate } : {}),
    resource: () => origin,
    tokenUrl: () => `${origin}/${credentials.tenantId}/oauth2/v2.0/token`,
    expiresIn: options.expiresIn ?? 3599,
    now,
  });
  let sim: EntraSimulator;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    const entry: GraphRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: text === '' ? undefined : parseJson(text),
      text,
      status: 0,
      at: now(),
    };
    requests.push(entry);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      sendJson(res, status, body, headers);
    };
    const tokenPath = TOKEN_PATH.exec(url.pathname);
    if (tokenPath?.[1]) {
      if (req.method !== 'POST')
        return answer(405, {
          error: 'invalid_request',
          error_description: 'AADSTS900561: The endpoint only accepts POST requests.',
        });
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const result = await tokens.answer(
        decodeURIComponent(tokenPath[1]),
        new URLSearchParams(isForm ? text : ''),
      );
      return answer(result.status, result.body);
    }
    const fail = (e: GraphError) => answer(e.status, e.body(), e.headers);
    const [, version, ...segments] = url.pathname.split('/');
    if (version !== 'v1.0')
      return fail(new GraphError(400, 'BadRequest', `Invalid version: ${version ?? ''}`));
    if (options.latencyMs) await sleep(options.latencyMs);
    const check = tokens.check(req.headers.authorization);
    if (check !== 'valid') return fail(check === 'missing' ? emptyToken() : expiredToken());
    const fault = faults.shift();
    if (fault)
      return fail(fault.status === 429 ? throttled(fault.retryAfterS) : unavailable(fault.retryAfterS));
    if (entry.method !== 'GET') {
      const wait = writes.take();
      if (wait !== undefined) return fail(throttled(wait));
    }
    const base = `${origin}/v1.0`;
    const ctx: Ctx = {
      method: entry.method,
      query: url.searchParams,
      dir,
      options: routeOptions,
      base,
      nextLinkBase: () => (sim.nextLinkOrigin ? `${sim.nextLinkOrigin}/v1.0` : base),
      body: () => {
        const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        const value = type === 'application/json' ? parseJson(text) : undefined;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw badRequest(
            'Write requests (excluding DELETE) must contain the Content-Type header declaration.',
          );
        }
        return value as Json;
      },
    };
    try {
      const decoded = segments.map(decodeURIComponent);
      const [collection, ...rest] = decoded;
      let result: Result | undefined;
      if (collection === 'users') result = userRoute(ctx, rest);
      else if (collection === 'groups') result = groupRoute(ctx, rest);
      else throw noSegment(collection ?? '');
      if (!result)
        return answer(405, {
          error: {
            code: 'Request_BadRequest',
            message: 'Specified HTTP method is not allowed for the request target.',
          },
        });
      answer(result.status, result.body);
    } catch (e) {
      if (e instanceof GraphError) return fail(e);
      if (e instanceof URIError) return fail(badRequest('Bad Request - Invalid URL'));
      throw e;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'InternalServerError', message: String(e) } });
    });
  });
  const listener = await listen(server);
  origin = listener.origin;
  sim = {
    origin,
    authorityUrl: origin,
    graphUrl: origin,
    tokenUrl: `${origin}/${credentials.tenantId}/oauth2/v2.0/token`,
    credentials,
    dir,
    tokens,
    writes,
    options: routeOptions,
    requests,
    failNext: (...f) => {
      faults.push(...f);
    },
    reset: () => {
      dir.reset();
      tokens.reset();
      writes.reset();
      faults.length = 0;
      requests.length = 0;
      sim.nextLinkOrigin = undefined;
    },
    close: listener.close,
  } as EntraSimulator;
  return sim;
}
