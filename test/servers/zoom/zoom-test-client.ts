// Plain-fetch helpers for the Zoom simulator's own tests: the token grant and API calls, as a client
// of the real Zoom API would send them.
import type { Json } from './errors.js';
import type { ZoomSimulator } from './server.js';

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined for an empty body (204). */
  body: Json | undefined;
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Json) : undefined,
  };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export interface TokenRequest {
  secret?: string;
  accountId?: string;
  grantType?: string;
  /** 'query' as the reference shows it; 'form' as Zoom's SDK sends it. */
  via?: 'query' | 'form';
}

/** POST /oauth/token?grant_type=account_credentials&account_id=... with Basic client credentials. */
export async function requestToken(sim: ZoomSimulator, request: TokenRequest = {}): Promise<Reply> {
  const params = new URLSearchParams({
    grant_type: request.grantType ?? 'account_credentials',
    account_id: request.accountId ?? sim.credentials.accountId,
  });
  const authorization = basic(sim.credentials.clientId, request.secret ?? sim.credentials.clientSecret);
  if (request.via === 'form') {
    return reply(
      await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      }),
    );
  }
  return reply(await fetch(`${sim.tokenUrl}?${params}`, { method: 'POST', headers: { authorization } }));
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string;
  contentType?: string;
}

/** One API call under /v2 with a bearer token (a fresh one unless given; null sends none). */
export async function call(
  sim: ZoomSimulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const token = options.token === undefined ? sim.issueToken() : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  return reply(await fetch(`${sim.url}${path}`, { method, headers, body }));
}

/** Creates a user through the API and returns its id. */
export async function createUser(
  sim: ZoomSimulator,
  email: string,
  action = 'autoCreate',
  extra: Json = {},
): Promise<string> {
  const created = await call(sim, 'POST', '/users', {
    body: { action, user_info: { email, type: 1, first_name: 'First', last_name: 'Last', ...extra } },
  });
  if (created.status !== 201)
    throw new Error(`create ${email}: ${created.status} ${JSON.stringify(created.body)}`);
  return String(created.body?.id);
}

/** The array under `key` in a reply body (users, members, groups), or [] when absent. */
export function items<T = Json>(reply: Reply, key: string): T[] {
  const value = reply.body?.[key];
  return Array.isArray(value) ? (value as T[]) : [];
}
