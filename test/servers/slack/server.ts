// A simulator of Slack's SCIM API v2, from Slack's published reference (README.md names the page
// each behaviour follows): the test SCIM service (scim-server.ts) mounted at /scim/v2 behind a thin
// express layer with Slack's rules: Bearer token, filters on userName / email / displayName with
// `eq` only, DELETE /Users/<id> deactivates, Slack's error body `{"Errors": {description, code}}`,
// and the per-minute rate limits with bursts, answered 429 with Retry-After.
import express, { type NextFunction, type Request, type Response } from 'express';
import { createScimApp, type RecordedRequest, type ScimTestServer } from '../scim-server.js';
import { hasBearer, isRecord, listen, recordRequests, scimErrors, storeHandle } from '../scim-support.js';
import { type MinuteLimit, MinuteLimits } from './limits.js';

/** Slack's error body (SCIM 1.1 form, also on the v2 endpoint). */
export function slackError(res: Response, code: number, description: string): void {
  res
    .status(code)
    .type('application/json')
    .send(JSON.stringify({ Errors: { description, code } }));
}

const FILTERABLE: Record<string, string[]> = {
  users: ['userName', 'email', 'id'],
  groups: ['displayName', 'id'],
};

/** The reference's tables, per minute with bursts (docs.slack.dev/reference/scim-api/rate-limits). */
export const SLACK_LIMITS = {
  writes: { perMinute: 600, burst: 180 },
  reads: { perMinute: 1000, burst: 1000 },
  getOne: { perMinute: 300, burst: 300 },
  create: { perMinute: 180, burst: 20 },
  update: { perMinute: 180, burst: 20 },
  remove: { perMinute: 180, burst: 20 },
  updateGroup: { perMinute: 180, burst: 80 },
} as const satisfies Record<string, MinuteLimit>;

/** The sets a request counts toward: its org-wide set and, for the endpoints listed, its own. */
function limitSets(
  method: string,
  resource: string,
  id: string | undefined,
  scale: number,
  L: Record<keyof typeof SLACK_LIMITS, MinuteLimit>,
) {
  const s = (l: MinuteLimit): MinuteLimit => ({ perMinute: l.perMinute * scale, burst: l.burst });
  const sets: [string, MinuteLimit][] = [method === 'GET' ? ['reads', s(L.reads)] : ['writes', s(L.writes)]];
  const own =
    method === 'GET'
      ? id === undefined
        ? undefined
        : L.getOne
      : method === 'POST'
        ? L.create
        : method === 'DELETE'
          ? L.remove
          : resource === 'groups'
            ? L.updateGroup
            : L.update;
  if (own) sets.push([`${method === 'PUT' ? 'PATCH' : method} ${resource}${id ? '/id' : ''}`, s(own)]);
  return sets;
}

/** Rewrites RFC 7644 error bodies of the SCIM layer into Slack's, on the way out. */
function slackErrorBodies(res: Response): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    if (res.statusCode < 400 || typeof body !== 'string') return send(body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(body);
    }
    if (!isRecord(parsed) || typeof parsed.detail !== 'string') return send(body);
    res.type('application/json');
    return send(JSON.stringify({ Errors: { description: parsed.detail, code: res.statusCode } }));
  }) as Response['send'];
}

/** Null when the filter is one `<attribute> eq "<value>"` on an attribute Slack filters on. */
function filterProblem(filter: string, allowed: string[]): string | null {
  const m = /^\s*([A-Za-z][\w.]*)\s+(\S+)\s+"(?:[^"\\]|\\.)*"\s*$/.exec(filter);
  if (!m) return `invalid_filter: ${filter}`;
  if ((m[2] ?? '').toLowerCase() !== 'eq') return `invalid_filter: only eq is supported`;
  if (!allowed.some((a) => a.toLowerCase() === (m[1] ?? '').toLowerCase()))
    return `invalid_filter: cannot filter on ${m[1]}`;
  return null;
}

export interface SlackSimulator extends ScimTestServer {
  /** 429 answers so far. */
  throttled(): number;
}

export async function startSlackSimulator(
  opts: {
    token?: string;
    /** false: no rate limits; a number: the reference's per-minute rates times this (bursts kept). */
    rateLimits?: false | number;
    /** Other figures than the reference's for some sets (tests that must see a 429 on a busy machine). */
    limits?: Partial<Record<keyof typeof SLACK_LIMITS, MinuteLimit>>;
    now?: () => number;
  } = {},
): Promise<SlackSimulator> {
  const token = opts.token ?? 'xoxp-slack-scim-test-token';
  const root = '/scim/v2';
  const requests: RecordedRequest[] = [];
  let origin = '';
  const limits = new MinuteLimits(opts.now);
  let throttled = 0;
  const scim = createScimApp({ token, patch: true, url: () => `${origin}${root}`, deleteDeactivates: true });
  const app = express();
  app.use(recordRequests(requests));
  app.use(root, (req: Request, res: Response, next: NextFunction) => {
    slackErrorBodies(res);
    if (!hasBearer(req.get('authorization'), token)) return slackError(res, 401, 'invalid_authentication');
    const [collection = '', id] = req.path.split('/').filter(Boolean);
    const resource = collection.toLowerCase();
    if (opts.rateLimits !== false && (resource === 'users' || resource === 'groups')) {
      const sets = limitSets(req.method, resource, id, opts.rateLimits ?? 1, {
        ...SLACK_LIMITS,
        ...opts.limits,
      });
      const wait = limits.admit(sets);
      if (wait > 0) {
        throttled += 1;
        res.set('Retry-After', String(wait));
        return slackError(res, 429, 'rate_limited');
      }
    }
    const url = new URL(req.url, 'http://loopback');
    const filter = url.searchParams.get('filter');
    const allowed = FILTERABLE[resource];
    if (filter !== null && allowed && req.method === 'GET' && id === undefined) {
      const problem = filterProblem(filter, allowed);
      if (problem) return slackError(res, 400, problem);
      // Slack's `email` is the primary email: the SCIM layer reads it as emails.value.
      url.searchParams.set('filter', filter.replace(/^\s*email\b/i, 'emails.value'));
      req.url = `${url.pathname}${url.search}`;
    }
    next();
  });
  app.use(root, scim.app);
  // Outside the SCIM root nothing SCIM answers (a plain page), so a wrong baseUrl reads as one.
  app.use((_req: Request, res: Response) => void res.status(404).type('text/plain').send('Not Found'));
  app.use(scimErrors);
  const server = await listen(app);
  origin = server.origin;
  const handle = storeHandle(scim, requests, server.close);
  return {
    url: `${origin}${root}`,
    token,
    ...handle,
    reset: () => {
      handle.reset();
      limits.reset();
      throttled = 0;
    },
    throttled: () => throttled,
  };
}
