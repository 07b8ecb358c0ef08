// A simulator of GitHub Enterprise Managed Users' SCIM API, from GitHub's published REST reference
// (README.md names the page each behaviour follows): the test SCIM service (scim-server.ts) mounted at
// /scim/v2/enterprises/<enterprise> behind GitHub's rules: its required headers (refused the way
// GitHub refuses them), Bearer token, `externalId` required and unique, filters on a few attributes,
// and its primary (per hour, `x-ratelimit-*`) and secondary (content-generating requests per minute,
// `retry-after`) rate limits, both answered 403.
import express, { type NextFunction, type Request, type Response } from 'express';
import { createScimApp, type RecordedRequest, type ScimTestServer } from '../scim-server.js';
import {
  ERROR_SCHEMA,
  hasBearer,
  isRecord,
  listen,
  recordRequests,
  scimErrors,
  storeHandle,
} from '../scim-support.js';

const DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/enterprise-admin/scim';
export const API_VERSIONS = ['2022-11-28'];

/** GitHub's REST error body: `message` and `documentation_url`, with SCIM's fields on SCIM answers. */
function githubError(res: Response, status: number, message: string, scim = true, scimType?: string): void {
  const body: Record<string, unknown> = { message, documentation_url: DOCS };
  if (scim) Object.assign(body, { schemas: [ERROR_SCHEMA], status: String(status), detail: message });
  if (scimType) body.scimType = scimType;
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/** "Requests with no User-Agent header will be rejected" (Getting started with the REST API). */
const NO_USER_AGENT =
  'Request forbidden by administrative rules. Please make sure your request has a User-Agent header ' +
  '(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). ' +
  'Check https://developer.github.com for other possible causes.';

/** Null when the request carries what GitHub requires; else the refusal was sent. */
function headersRefused(req: Request, res: Response): boolean {
  if (!req.get('user-agent')) {
    res.status(403).type('text/plain').send(NO_USER_AGENT);
    return true;
  }
  const version = req.get('x-github-api-version');
  if (version === undefined || !API_VERSIONS.includes(version)) {
    // GitHub: an unknown version is a 400; a missing one, the simulator refuses too (stricter).
    githubError(res, 400, `Invalid API version provided: '${version ?? ''}'`, false);
    return true;
  }
  if (!/application\/scim\+json/i.test(req.get('accept') ?? '')) {
    githubError(res, 415, "Unsupported 'Accept' header: SCIM endpoints answer application/scim+json", false);
    return true;
  }
  return false;
}

const FILTERABLE: Record<string, string[]> = {
  users: ['userName', 'externalId', 'id', 'displayName'],
  groups: ['displayName', 'externalId', 'id'],
};

function filterProblem(filter: string, allowed: string[]): string | null {
  const m = /^\s*([A-Za-z][\w.]*)\s+(\S+)\s+"(?:[^"\\]|\\.)*"\s*$/.exec(filter);
  if (!m || (m[2] ?? '').toLowerCase() !== 'eq') return `Unsupported filter: ${filter}`;
  if (!allowed.some((a) => a.toLowerCase() === (m[1] ?? '').toLowerCase()))
    return `Filtering on ${m[1]} is not supported`;
  return null;
}

export interface GithubLimits {
  /** Primary: requests an hour (PAT: 5,000). */
  perHour: number;
  /** Secondary: content-generating (POST, PUT, PATCH, DELETE) requests a minute (80). */
  writesPerMinute: number;
  /** Windows run this many times faster (limits per window unchanged), so tests need not wait. */
  scale: number;
}

export interface GithubSimulator extends ScimTestServer {
  enterprise: string;
  /** The REST root, as the brand's `baseUrl`. */
  baseUrl: string;
  /** Rate-limit refusals (403) so far. */
  throttled(): number;
}

export async function startGithubSimulator(
  opts: { enterprise?: string; token?: string; rateLimits?: false | Partial<GithubLimits> } = {},
): Promise<GithubSimulator> {
  const enterprise = opts.enterprise ?? 'octo-corp';
  const token = opts.token ?? 'ghp_scimTestToken0000000000000000000000';
  const root = `/scim/v2/enterprises/${enterprise}`;
  const limits: GithubLimits | undefined =
    opts.rateLimits === false
      ? undefined
      : { perHour: 5000, writesPerMinute: 80, scale: 1, ...opts.rateLimits };
  const requests: RecordedRequest[] = [];
  let origin = '';
  let throttled = 0;
  let hour = { start: 0, used: 0 };
  let minute = { start: 0, used: 0 };
  const scim = createScimApp({ token, patch: true, url: () => `${origin}${root}` });
  // externalId -> user id, kept from the answers to user writes (a scan of every user per create
  // would make a 2,000-user batch quadratic).
  const externalIds = new Map<string, string>();
  const forget = (userId: string | undefined) => {
    for (const [ext, owner] of externalIds) if (owner === userId) externalIds.delete(ext);
  };
  const trackExternalIds = (res: Response, method: string, userId: string | undefined) => {
    if (method === 'DELETE') {
      res.on('finish', () => res.statusCode < 300 && forget(userId));
      return;
    }
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (res.statusCode < 300 && isRecord(body) && typeof body.id === 'string') {
        forget(body.id);
        if (typeof body.externalId === 'string') externalIds.set(body.externalId, body.id);
      }
      return json(body);
    };
  };
  const app = express();
  app.use(recordRequests(requests));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (headersRefused(req, res)) return;
    if (!hasBearer(req.get('authorization'), token)) return githubError(res, 401, 'Bad credentials', false);
    if (!limits) return next();
    const now = Date.now();
    const hourMs = 3_600_000 / limits.scale;
    if (now - hour.start >= hourMs) hour = { start: now, used: 0 };
    const reset = Math.ceil((hour.start + hourMs) / 1000);
    const left = limits.perHour - hour.used;
    res.set({
      'x-ratelimit-limit': String(limits.perHour),
      'x-ratelimit-resource': 'core',
      'x-ratelimit-reset': String(reset),
    });
    if (left <= 0) {
      throttled += 1;
      res.set({ 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(hour.used) });
      return githubError(res, 403, 'API rate limit exceeded for user ID 1.', false);
    }
    hour.used += 1;
    res.set({ 'x-ratelimit-remaining': String(left - 1), 'x-ratelimit-used': String(hour.used) });
    if (req.method !== 'GET') {
      const minuteMs = 60_000 / limits.scale;
      if (now - minute.start >= minuteMs) minute = { start: now, used: 0 };
      if (minute.used >= limits.writesPerMinute) {
        throttled += 1;
        res.set('retry-after', String(Math.max(1, Math.ceil((minute.start + minuteMs - now) / 1000))));
        return githubError(
          res,
          403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          false,
        );
      }
      minute.used += 1;
    }
    next();
  });
  app.use(root, (req: Request, res: Response, next: NextFunction) => {
    const [collection = '', id] = req.path.split('/').filter(Boolean);
    const resource = collection.toLowerCase();
    const filter = new URL(req.url, 'http://loopback').searchParams.get('filter');
    const allowed = FILTERABLE[resource];
    if (filter !== null && allowed && req.method === 'GET' && id === undefined) {
      const problem = filterProblem(filter, allowed);
      if (problem) return githubError(res, 400, problem, true, 'invalidFilter');
    }
    if (resource === 'users' && (req.method === 'POST' || req.method === 'PUT')) {
      const body = isRecord(req.body) ? req.body : {};
      const externalId = typeof body.externalId === 'string' ? body.externalId : '';
      if (externalId === '') return githubError(res, 400, 'externalId is required', true, 'invalidValue');
      const owner = externalIds.get(externalId);
      if (owner !== undefined && owner !== id)
        return githubError(res, 409, `externalId ${externalId} is already taken`, true, 'uniqueness');
    }
    if (resource === 'users' && req.method !== 'GET') trackExternalIds(res, req.method, id);
    next();
  });
  app.use(root, scim.app);
  // Another enterprise, or a path outside SCIM: GitHub's plain not-found body.
  app.use((_req: Request, res: Response) => githubError(res, 404, 'Not Found', false));
  app.use(scimErrors);
  const server = await listen(app);
  origin = server.origin;
  const handle = storeHandle(scim, requests, server.close);
  return {
    enterprise,
    baseUrl: origin,
    url: `${origin}${root}`,
    token,
    ...handle,
    reset: () => {
      handle.reset();
      hour = { start: 0, used: 0 };
      minute = { start: 0, used: 0 };
      throttled = 0;
      externalIds.clear();
    },
    throttled: () => throttled,
  };
}
