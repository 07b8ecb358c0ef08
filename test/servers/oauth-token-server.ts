// A loopback OAuth 2.0 authorization server and API, as real ones behave: a token endpoint
// (RFC 6749 4.4 client credentials with HTTP Basic or client_secret_post, Zoom's
// account_credentials grant, RFC 7523 JWT bearer assertions verified with the account's public
// key) answering RFC 6749 5.2 errors, and an API at /api/* that accepts only a live issued token
// (401 otherwise). It counts token requests, can make tokens short-lived, slow down the token
// endpoint, revoke every token (the app rotating keys) and echo the sent credentials in its
// error description (a careless server), so tests can check nothing leaks.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, jwtVerify } from 'jose';

export interface TokenServerOptions {
  clients?: Record<string, string>;
  /** Extra form parameters the server requires, e.g. `{ account_id: 'acc-1' }`. */
  requireParams?: Record<string, string>;
  grantType?: string;
  /** Seconds; undefined: `expires_in` is omitted. */
  expiresIn?: number | undefined;
  /** Delay before each token answer, ms. */
  tokenDelayMs?: number;
  /** Put the client secret / assertion it received into error descriptions. */
  echoCredentials?: boolean;
  /** The API echoes the access token it was sent in its body and in an `x-echo` header (a careless app). */
  echoToken?: boolean;
  /** The API refuses every token (a client without the permission it needs). */
  apiRefusesAll?: boolean;
  /** For JWT bearer: the key that verifies assertions, and the issuer it accepts. */
  jwt?: { publicKey: CryptoKey; issuer: string };
}

export interface TokenServer {
  url: string;
  tokenUrl: string;
  readonly tokenRequests: number;
  readonly apiRequests: number;
  /** API requests other than GET (writes that reached the app). */
  readonly apiWrites: number;
  /** Every access token issued, in order. */
  issued: string[];
  /** Verified JWT claims of each assertion received. */
  assertions: Record<string, unknown>[];
  /** Forms received by the token endpoint (credentials included: for assertions only). */
  forms: Record<string, string>[];
  options: TokenServerOptions;
  revokeAll(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const live = new Map<string, number>();
  const state = { tokenRequests: 0, apiRequests: 0, apiWrites: 0 };
  const issued: string[] = [];
  const assertions: Record<string, unknown>[] = [];
  const forms: Record<string, string>[] = [];
  let url = '';

  const issue = (res: ServerResponse): void => {
    const token = `at-${randomBytes(12).toString('hex')}`;
    issued.push(token);
    const expiresIn = options.expiresIn;
    live.set(token, expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000);
    json(res, 200, {
      access_token: token,
      token_type: 'bearer',
      ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
      scope: 'user:read:admin',
    });
  };

  const refuse = (res: ServerResponse, status: number, error: string, description: string) =>
    json(res, status, { error, error_description: description });

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    state.tokenRequests++;
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    forms.push(form);
    if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return refuse(res, 400, 'invalid_request', 'form body expected');
    if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      if (!options.jwt) return refuse(res, 400, 'unsupported_grant_type', 'no JWT bearer here');
      try {
        const { payload } = await jwtVerify(form.assertion ?? '', options.jwt.publicKey, {
          audience: `${url}/oauth/token`,
          issuer: options.jwt.issuer,
          algorithms: ['RS256'],
          maxTokenAge: '1h',
        });
        if (
          typeof payload.exp !== 'number' ||
          typeof payload.iat !== 'number' ||
          payload.exp - payload.iat > 3600
        )
          return refuse(res, 400, 'invalid_grant', 'Invalid JWT: exp too far in the future');
        assertions.push(payload);
      } catch (e) {
        const echo = options.echoCredentials ? ` for assertion ${form.assertion}` : '';
        return refuse(res, 400, 'invalid_grant', `Invalid JWT Signature (${(e as Error).message})${echo}`);
      }
      return issue(res);
    }
    let id: string | undefined;
    let secret: string | undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const pair = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const at = pair.indexOf(':');
      id = decodeURIComponent(pair.slice(0, at).replace(/\+/g, ' '));
      secret = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    } else {
      id = form.client_id;
      secret = form.client_secret;
    }
    if (!id || options.clients?.[id] === undefined || options.clients[id] !== secret) {
      const echo = options.echoCredentials ? ` (got ${secret}, header ${auth})` : '';
      return refuse(res, 401, 'invalid_client', `Invalid client_id or client_secret${echo}`);
    }
    if (form.grant_type !== (options.grantType ?? 'client_credentials'))
      return refuse(res, 400, 'unsupported_grant_type', `unsupported grant type: ${form.grant_type}`);
    for (const [k, v] of Object.entries(options.requireParams ?? {})) {
      if (form[k] !== v) return refuse(res, 400, 'invalid_request', `${k} is missing or wrong`);
    }
    issue(res);
  };

  const api = (req: IncomingMessage, res: ServerResponse): void => {
    state.apiRequests++;
    if (req.method !== 'GET') state.apiWrites++;
    const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const until = sent === undefined ? undefined : live.get(sent);
    if (options.apiRefusesAll || until === undefined || until <= Date.now()) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      res.end(JSON.stringify({ code: 124, message: 'Invalid access token.' }));
      return;
    }
    if (options.echoToken) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': `token=${sent}` });
      res.end(JSON.stringify({ id: 'me', path: req.url, note: `you sent ${sent}` }));
      return;
    }
    json(res, 200, { id: 'me', path: req.url });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/oauth/token') {
      token(req, res).catch(() => json(res, 500, { error: 'server_error' }));
      return;
    }
    if (path?.startsWith('/api/')) return api(req, res);
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    get tokenRequests() {
      return state.tokenRequests;
    },
    get apiRequests() {
      return state.apiRequests;
    },
    get apiWrites() {
      return state.apiWrites;
    },
    issued,
    assertions,
    forms,
    options,
    revokeAll: () => live.clear(),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
