// A loopback simulator of Zoom API v2 (Users and Groups) behind Server-to-Server OAuth, written from
// Zoom's published reference (pages listed in README.md). It is a simulator, not Zoom.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../scim-support.js';
import {
  dailyRateLimited,
  invalidAccessToken,
  invalidJsonBody,
  type Json,
  rateLimited,
  sendJson,
  ZoomApiError,
} from './errors.js';
import { GET_USER_EXAMPLE } from './fixtures.js';
import { groupRoutes } from './groups.js';
import { TokenIssuer } from './oauth.js';
import { PAGE_TOKEN_TTL_MS, PageTokens } from './paging.js';
import { PRO_LIMITS, RateLimiter, type RateLimits } from './rate-limit.js';
import { matchRoute, type RouteContext, type RouteOptions } from './router.js';
import { type StoredUser, ZoomStore } from './store.js';
import { userRoutes } from './users.js';

export interface ZoomRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  status: number;
}

export interface ZoomSimulatorOptions {
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Token lifetime in seconds (reference: 3600). */
  expiresIn?: number;
  scope?: string;
  /** A new grant revokes earlier tokens (forum-reported; the reference says several may be live). */
  newTokenRevokesOld?: boolean;
  /** Per-second limits by category (default: the Pro plan's 30/20/10); false turns limiting off. */
  rateLimits?: RateLimits | false;
  /** next_page_token lifetime (reference: 15 minutes). */
  pageTokenTtlMs?: number;
  maxMembersPerRequest?: number;
  pendingUserShowsIdOnly?: boolean;
  /** Seed the account owner (the reference's "Get a user" example), whom `me` resolves to. Default true. */
  seedOwner?: boolean;
  /** Clock in epoch ms, for token, page-token and rate-window expiry without sleeping. */
  now?: () => number;
  /**
   * Network and processing time of each /v2 request, in ms (default 0): waited before the token is
   * checked, so a token that expires in flight is refused as expired, as on the internet.
   */
  latencyMs?: number;
}

export interface ZoomSimulator {
  origin: string;
  /** API base, ending in /v2 (the real one is https://api.zoom.us/v2). */
  url: string;
  /** Token endpoint (the real one is https://zoom.us/oauth/token). */
  tokenUrl: string;
  credentials: { accountId: string; clientId: string; clientSecret: string };
  store: ZoomStore;
  oauth: TokenIssuer;
  rateLimiter: RateLimiter;
  pages: PageTokens;
  options: RouteOptions;
  requests: ZoomRecordedRequest[];
  /** A valid bearer token, issued without a call to the token endpoint. */
  issueToken(): string;
  /** What the invitation's confirmation link does: the pending user becomes active. */
  acceptInvitation(userIdOrEmail: string): StoredUser;
  reset(): void;
  close(): Promise<void>;
}

const ROUTES = [...userRoutes, ...groupRoutes];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
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

/** The request body as a JSON object, or the reference's "Request Body should be a valid JSON object." */
function jsonObject(req: IncomingMessage, text: string): Json {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw invalidJsonBody();
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidJsonBody();
  return value as Json;
}

/** Path segments, URL-decoded; undefined when an escape is malformed (answered as an unknown path). */
function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export async function startZoomSimulator(options: ZoomSimulatorOptions = {}): Promise<ZoomSimulator> {
  const now = options.now ?? Date.now;
  const credentials = {
    accountId: options.accountId ?? 'q6gBJVO5TzexKYTb_I2rpg',
    clientId: options.clientId ?? 'sim-client-id',
    clientSecret: options.clientSecret ?? 'sim-client-secret',
  };
  const store = new ZoomStore(credentials.accountId, now);
  const pages = new PageTokens(options.pageTokenTtlMs ?? PAGE_TOKEN_TTL_MS, now);
  const rateLimiter = new RateLimiter(options.rateLimits ?? { ...PRO_LIMITS }, now);
  const routeOptions: RouteOptions = {
    maxMembersPerRequest: options.maxMembersPerRequest ?? 30,
    pendingUserShowsIdOnly: options.pendingUserShowsIdOnly ?? true,
  };
  const requests: ZoomRecordedRequest[] = [];
  const seed = () => {
    if (options.seedOwner === false) return;
    const owner = { ...GET_USER_EXAMPLE, status: 'active', group_ids: [], account_id: credentials.accountId };
    store.seedUser(owner, { owner: true });
  };
  seed();
  let origin = '';
  const oauth = new TokenIssuer({
    ...credentials,
    expiresIn: options.expiresIn ?? 3600,
    scope: options.scope ?? 'user:read:admin user:write:admin group:read:admin group:write:admin',
    apiUrl: '',
    newTokenRevokesOld: options.newTokenRevokesOld ?? false,
    now,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    const entry: ZoomRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: text === '' ? undefined : parseJson(text),
      status: 0,
    };
    requests.push(entry);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      sendJson(res, status, body, headers);
    };

    if (url.pathname === '/oauth/token') {
      if (req.method !== 'POST') {
        return answer(405, { reason: 'Method not allowed', error: 'invalid_request' });
      }
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const form = new URLSearchParams(isForm ? text : '');
      const result = oauth.answer(url.searchParams, form, req.headers.authorization);
      return answer(result.status, result.body);
    }
    if (!url.pathname.startsWith('/v2/')) return answer(404, { code: 404, message: 'Not Found' });
    if (options.latencyMs) await sleep(options.latencyMs);

    const check = oauth.check(req.headers.authorization);
    if (check !== 'valid') {
      const error = invalidAccessToken(check === 'expired');
      return answer(error.status, error.body());
    }
    const segments = decodeSegments(url.pathname.slice('/v2/'.length));
    const match = segments && matchRoute(ROUTES, entry.method, segments);
    if (!match) return answer(404, { code: 404, message: 'Not Found' });
    const decision = rateLimiter.take(match.route.category);
    if (!decision.allowed) {
      const refusal = decision.daily ? dailyRateLimited() : rateLimited();
      return answer(429, refusal.body(), decision.headers);
    }

    const ctx: RouteContext = {
      query: url.searchParams,
      store,
      pages,
      options: routeOptions,
      now,
      jsonBody: () => jsonObject(req, text),
    };
    try {
      const result = match.route.handle(ctx, match.params);
      answer(result.status, result.body, decision.headers);
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      answer(error.status, error.body(), decision.headers);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      sendJson(res, 500, { code: 500, message: error instanceof Error ? error.message : 'Internal error' });
    });
  });
  const listener = await listen(server);
  origin = listener.origin;
  oauth.config.apiUrl = origin;

  return {
    origin,
    url: `${origin}/v2`,
    tokenUrl: `${origin}/oauth/token`,
    credentials,
    store,
    oauth,
    rateLimiter,
    pages,
    options: routeOptions,
    requests,
    issueToken: () => oauth.issue().token,
    acceptInvitation: (key) => store.acceptInvitation(key),
    reset: () => {
      store.reset();
      oauth.reset();
      rateLimiter.reset();
      pages.reset();
      requests.length = 0;
      seed();
    },
    close: listener.close,
  };
}
