// A loopback simulator of Okta's Users and Groups API (v1) with its two ways in: an SSWS API
// token, and a service app's OAuth 2.0 client credentials with private_key_jwt. Written from
// Okta's published reference (pages listed in README.md). It is a simulator, not Okta.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../scim-support.js';
import { forbidden, invalidToken, OktaApiError, rateLimited } from './errors.js';
import { OktaOAuth } from './oauth.js';
import { type BucketLimits, OktaRateLimiter, WORKFORCE_LIMITS } from './rate-limit.js';
import { type Answer, route } from './routes.js';
import { OktaStore } from './store.js';

export interface OktaRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  /** When it arrived (the simulator's clock, ms). */
  at: number;
}

export interface OktaSimulatorOptions {
  apiToken?: string;
  clientId?: string;
  /** Scopes granted to the service app (default okta.users.manage okta.groups.manage). */
  granted?: string[];
  /** Access token lifetime, seconds (Okta: 3600). */
  expiresIn?: number;
  /** Per-window limits per bucket, or false (default) for none. */
  rateLimits?: BucketLimits | false;
  /** Rate-limit window, ms (Okta: one minute). */
  windowMs?: number;
  loginPattern?: 'email' | 'any';
  now?: () => number;
  /** Processing time of each /api/v1 request, ms, waited before the token is checked. */
  latencyMs?: number;
}

export interface OktaSimulator {
  /** The org URL (the connector's `orgUrl`). */
  orgUrl: string;
  apiUrl: string;
  tokenUrl: string;
  apiToken: string;
  clientId: string;
  /** The service app's private key, PKCS#8 PEM (its public key is registered here). */
  privateKeyPem: string;
  store: OktaStore;
  oauth: OktaOAuth;
  rateLimiter: OktaRateLimiter;
  requests: OktaRecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export { WORKFORCE_LIMITS };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
) {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined || status === 204) {
    res.statusCode = status;
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.statusCode = status;
  res.end(JSON.stringify(body));
}

export async function startOktaSimulator(options: OktaSimulatorOptions = {}): Promise<OktaSimulator> {
  const now = options.now ?? Date.now;
  const apiToken = options.apiToken ?? '00QCjAl4MlV-WPXM-sim-api-token-0123456789abcdef';
  const clientId = options.clientId ?? '0oa1sim2service3app4';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const store = new OktaStore(now, { loginPattern: options.loginPattern ?? 'email' });
  const rateLimiter = new OktaRateLimiter(options.rateLimits ?? false, options.windowMs ?? 60_000, now);
  const requests: OktaRecordedRequest[] = [];
  let origin = '';
  const oauth = new OktaOAuth({
    clientId,
    publicKey: publicKey as KeyObject,
    granted: options.granted ?? ['okta.users.manage', 'okta.groups.manage'],
    expiresIn: options.expiresIn ?? 3600,
    tokenUrl: '',
    now,
  });

  /** The scopes the Authorization header grants, 'admin' for the API token, or undefined. */
  const authorize = (header: string | undefined): string[] | 'admin' | undefined => {
    const [scheme, value] = (header ?? '').split(' ', 2);
    if (scheme === 'SSWS' && value === apiToken) return 'admin';
    if (scheme === 'Bearer' && value) return oauth.scopesOf(value);
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const entry: OktaRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      status: 0,
      at: now(),
    };
    requests.push(entry);
    const answer = (a: Answer) => {
      entry.status = a.status;
      send(res, a.status, a.body, a.headers);
    };
    const fail = (e: OktaApiError, extra: Record<string, string> = {}) =>
      answer({ status: e.status, body: e.body(), headers: { ...e.headers, ...extra } });

    if (url.pathname === '/oauth2/v1/token') {
      if (req.method !== 'POST') return answer({ status: 405, body: { error: 'invalid_request' } });
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const result = await oauth.answer(new URLSearchParams(isForm ? text : ''));
      return answer(result);
    }
    if (!url.pathname.startsWith('/api/v1/')) return answer({ status: 404, body: { message: 'Not Found' } });
    if (options.latencyMs) await sleep(options.latencyMs);
    const rights = authorize(req.headers.authorization);
    if (!rights) return fail(invalidToken());
    let segments: string[];
    try {
      segments = url.pathname.slice('/api/v1/'.length).split('/').map(decodeURIComponent);
    } catch {
      return answer({ status: 404, body: { message: 'Not Found' } });
    }
    const apiUrl = `${origin}/api/v1`;
    const r = route(store, apiUrl, { method: entry.method, segments, query: url.searchParams, body });
    if (!r)
      return fail(
        new OktaApiError(404, 'E0000022', 'The endpoint does not support the provided HTTP method'),
      );
    const decision = rateLimiter.take(r.bucket);
    if (!decision.allowed) return fail(rateLimited(), decision.headers);
    const family = r.scope.replace(/\.(read|manage)$/, '');
    if (rights !== 'admin' && !rights.includes(r.scope) && !rights.includes(`${family}.manage`))
      return fail(forbidden(r.scope), decision.headers);
    try {
      const a = r.handle();
      answer({ ...a, headers: { ...decision.headers, ...a.headers } });
    } catch (e) {
      if (!(e instanceof OktaApiError)) throw e;
      fail(e, decision.headers);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { errorCode: 'E0000009', errorSummary: String(e) });
    });
  });
  const listener = await listen(server);
  origin = listener.origin;
  oauth.config.tokenUrl = `${origin}/oauth2/v1/token`;
  return {
    orgUrl: origin,
    apiUrl: `${origin}/api/v1`,
    tokenUrl: `${origin}/oauth2/v1/token`,
    apiToken,
    clientId,
    privateKeyPem,
    store,
    oauth,
    rateLimiter,
    requests,
    reset: () => {
      store.reset();
      rateLimiter.reset();
      requests.length = 0;
    },
    close: listener.close,
  };
}
