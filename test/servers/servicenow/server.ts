// A loopback simulator of ServiceNow's Table API (`/api/now/table/{tableName}`) on sys_user,
// sys_user_group and sys_user_grmember, with HTTP Basic and OAuth (`/oauth_token.do`), written from
// ServiceNow's published reference (pages listed in README.md). It is a simulator, not ServiceNow.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../scim-support.js';
import { select } from './encoded-query.js';
import { COLUMNS, HIDDEN, NO_RECORD, NOT_AUTHENTICATED, REFERENCES, type TableName } from './fixtures.js';
import { OAuthIssuer } from './oauth.js';
import { type SnowRateLimit, SnowRateLimiter } from './rate-limit.js';
import { type Record_, SnowApiError, SnowStore } from './store.js';

export interface SnowRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
}

export interface SnowSimulatorOptions {
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  /** Access token lifetime in seconds (an instance's default is 1800). */
  expiresIn?: number;
  /** A rate limit rule on every request (per hour on an instance); off when absent. */
  rateLimit?: SnowRateLimit;
  /** glide.invalid_query.returns_no_rows (default false: an invalid part of a query is ignored). */
  invalidQueryReturnsNoRows?: boolean;
  now?: () => number;
}

export interface SnowSimulator {
  /** The instance URL (https://<instance>.service-now.com on the internet). */
  url: string;
  credentials: { username: string; password: string; clientId: string; clientSecret: string };
  store: SnowStore;
  oauth: OAuthIssuer;
  rateLimiter: SnowRateLimiter;
  requests: SnowRecordedRequest[];
  /** The Table API requests only (token requests left out). */
  api(): SnowRecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const TABLE_API = '/api/now/table/';
/** The reference: sysparm_limit defaults to 10,000. */
const DEFAULT_LIMIT = 10_000;

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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** A row as a read returns it: sysparm_fields (else every column), references as sys_ids or `{link, value}`. */
function shape(origin: string, table: TableName, row: Record_, q: URLSearchParams): Record<string, unknown> {
  const asked = (q.get('sysparm_fields') ?? '').split(',').filter(Boolean);
  const fields = asked.length ? asked : COLUMNS[table];
  const plainRefs = q.get('sysparm_exclude_reference_link') === 'true';
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!(f in row) || HIDDEN.has(f)) continue;
    const target = REFERENCES[`${table}.${f}`];
    const v = row[f] ?? '';
    out[f] = target && v && !plainRefs ? { link: `${origin}${TABLE_API}${target}/${v}`, value: v } : v;
  }
  return out;
}

function int(v: string | null, fallback: number): number {
  return v !== null && /^\d+$/.test(v) ? Number(v) : fallback;
}

export async function startServiceNowSimulator(options: SnowSimulatorOptions = {}): Promise<SnowSimulator> {
  const now = options.now ?? Date.now;
  const credentials = {
    username: options.username ?? 'iam.integration',
    password: options.password ?? 'Sn0w-Pa55:w0rd',
    clientId: options.clientId ?? 'be3aeb583ace210011c15b24a43e25d8',
    clientSecret: options.clientSecret ?? 'sn0w-cl1ent-s3cret',
  };
  const store = new SnowStore(now);
  const oauth = new OAuthIssuer({ ...credentials, expiresIn: options.expiresIn ?? 1800, now });
  const rateLimiter = new SnowRateLimiter(options.rateLimit, now);
  const requests: SnowRecordedRequest[] = [];
  let origin = '';

  const authenticated = (header: string | undefined): boolean => {
    if (!header) return false;
    const [scheme, value = ''] = header.split(' ');
    if (scheme?.toLowerCase() === 'bearer') return oauth.valid(value);
    if (scheme?.toLowerCase() !== 'basic') return false;
    const pair = Buffer.from(value, 'base64').toString('utf8');
    return pair === `${credentials.username}:${credentials.password}`;
  };

  function tableRoute(
    method: string,
    table: TableName,
    sysId: string | undefined,
    q: URLSearchParams,
    body: () => Record<string, unknown>,
  ) {
    const one = (row: Record_) => ({ result: shape(origin, table, row, q) });
    if (sysId === undefined) {
      if (method === 'GET') {
        const cols = store.columns.get(table) as ReadonlySet<string>;
        const all = select(
          store.rows(table),
          q.get('sysparm_query') ?? '',
          cols,
          options.invalidQueryReturnsNoRows,
        );
        const limit = Math.max(1, int(q.get('sysparm_limit'), DEFAULT_LIMIT));
        const offset = int(q.get('sysparm_offset'), 0);
        const rows = all.slice(offset, offset + limit);
        return {
          status: 200,
          body: { result: rows.map((r) => shape(origin, table, r, q)) },
          headers: paging(table, q, all.length, offset, limit),
        };
      }
      if (method === 'POST') return { status: 201, body: one(store.insert(table, body())) };
      throw new SnowApiError(405, 'Method not Supported', `${method} is not supported on a table`);
    }
    if (method === 'GET' || method === 'PATCH' || method === 'PUT' || method === 'DELETE') {
      const row = store.get(table, sysId);
      if (!row) throw new SnowApiError(404, NO_RECORD.error.message, NO_RECORD.error.detail);
      if (method === 'GET') return { status: 200, body: one(row) };
      if (method === 'DELETE') {
        store.delete(table, sysId);
        return { status: 204 };
      }
      return { status: 200, body: one(store.update(table, sysId, body()) as Record_) };
    }
    throw new SnowApiError(405, 'Method not Supported', `${method} is not supported on a record`);
  }

  /** X-Total-Count and, when there is more than one page, the Link header (first, prev, next, last). */
  function paging(table: TableName, q: URLSearchParams, total: number, offset: number, limit: number) {
    const headers: Record<string, string> = { 'x-total-count': String(total) };
    if (total <= limit && offset === 0) return headers;
    const at = (o: number) => {
      const p = new URLSearchParams(q);
      p.set('sysparm_offset', String(o));
      p.set('sysparm_limit', String(limit));
      return `${origin}${TABLE_API}${table}?${p.toString()}`;
    };
    const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
    const links = [`<${at(0)}>;rel="first"`];
    if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`);
    if (offset + limit < total) links.push(`<${at(offset + limit)}>;rel="next"`);
    links.push(`<${at(last)}>;rel="last"`);
    headers.link = links.join(',');
    return headers;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    const entry: SnowRecordedRequest = {
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
      send(res, status, body, headers);
    };
    if (url.pathname === '/oauth_token.do') {
      const r = oauth.answer(req.method ?? 'GET', req.headers['content-type'] ?? '', text);
      return answer(r.status, r.body);
    }
    if (!url.pathname.startsWith(TABLE_API)) return answer(404, '<html><title>Not Found</title></html>');
    if (!authenticated(req.headers.authorization)) return answer(401, NOT_AUTHENTICATED);
    const limit = rateLimiter.take();
    if (!limit.allowed) {
      const refusal = new SnowApiError(429, 'Rate limit exceeded', limit.detail ?? null);
      return answer(429, refusal.body(), limit.headers);
    }
    const [name = '', sysId, extra] = url.pathname.slice(TABLE_API.length).split('/');
    try {
      if (!(name in COLUMNS) || extra !== undefined)
        throw new SnowApiError(400, `Invalid table ${name}`, null);
      const body = () => {
        const v = parseJson(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) {
          throw new SnowApiError(400, 'Exception while reading request', 'The payload is not valid JSON.');
        }
        return v as Record<string, unknown>;
      };
      const r = tableRoute(entry.method, name as TableName, sysId || undefined, url.searchParams, body);
      answer(r.status, r.body, { ...limit.headers, ...('headers' in r ? r.headers : {}) });
    } catch (e) {
      if (!(e instanceof SnowApiError)) throw e;
      answer(e.status, e.body(), limit.headers);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      const message = error instanceof Error ? error.message : 'Internal error';
      send(res, 500, { error: { message, detail: null }, status: 'failure' }, {});
    });
  });
  const listener = await listen(server);
  origin = listener.origin;
  return {
    url: origin,
    credentials,
    store,
    oauth,
    rateLimiter,
    requests,
    api: () => requests.filter((r) => r.path.startsWith(TABLE_API)),
    reset: () => {
      store.reset();
      rateLimiter.reset();
      requests.length = 0;
    },
    close: listener.close,
  };
}
