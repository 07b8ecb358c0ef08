// A loopback simulator of the Admin SDK Directory API (directory/v1) users, groups and members,
// behind Google's OAuth 2.0 token endpoint for service accounts (JWT bearer grant with domain-wide
// delegation), written from Google's published reference (pages listed in README.md). It is a
// simulator, not Google. It makes its own service account key: `serviceAccountKey` is the JSON a
// Google Cloud console download would give, with token_uri pointing at the simulator.
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../scim-support.js';
import {
  GoogleApiError,
  insufficientScopes,
  invalid,
  invalidCredentials,
  type Json,
  sendJson,
  userRateLimited,
} from './errors.js';
import { route, scopeFor } from './routes.js';
import { DirectoryStore } from './store.js';
import { TokenIssuer } from './token.js';

export interface GoogleRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  /** When it arrived, epoch ms. */
  at: number;
}

export interface GoogleSimulatorOptions {
  /** Token lifetime in seconds (Google: 3599). */
  expiresIn?: number;
  /** Domains the customer owns (default example.com). */
  domains?: string[];
  /** Scopes domain-wide delegation grants (default: user and group). */
  delegatedScopes?: string[];
  /** Requests a second before 403 userRateLimitExceeded (default: no limit). */
  quotaPerSecond?: number;
  /** Network and processing time of each API request, ms, waited before the token is checked. */
  latencyMs?: number;
  now?: () => number;
}

export interface GoogleSimulator {
  origin: string;
  /** The Admin SDK root (the real one is https://admin.googleapis.com). */
  baseUrl: string;
  tokenUrl: string;
  /** The service account key JSON (as Google Cloud's "Create key > JSON" gives). */
  serviceAccountKey: string;
  privateKeyPem: string;
  clientEmail: string;
  /** The admin the service account may act as. */
  admin: string;
  /** A user who is not an admin (delegation to them is refused). */
  nonAdmin: string;
  store: DirectoryStore;
  oauth: TokenIssuer;
  requests: GoogleRecordedRequest[];
  /** Requests refused with 403 userRateLimitExceeded. */
  quotaRefusals: () => number;
  reset(): void;
  close(): Promise<void>;
}

const API = '/admin/directory/v1/';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Google's HTML 404 for a URL no API serves. */
const HTML_404 =
  '<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> That\u2019s an error.';

export async function startGoogleSimulator(options: GoogleSimulatorOptions = {}): Promise<GoogleSimulator> {
  const now = options.now ?? Date.now;
  const domains = options.domains ?? ['example.com'];
  const customerId = 'C03az79cb';
  const store = new DirectoryStore(customerId, domains, now);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const clientEmail = 'iam-commands@sim-project.iam.gserviceaccount.com';
  const admin = `admin@${domains[0]}`;
  const nonAdmin = `staff@${domains[0]}`;
  const seed = () => {
    store.insertUser(
      { primaryEmail: admin, name: { givenName: 'Ada', familyName: 'Admin' }, password: 'seeded-admin-pw' },
      { isAdmin: true },
    );
    store.insertUser({
      primaryEmail: nonAdmin,
      name: { givenName: 'Sam', familyName: 'Staff' },
      password: 'seeded-staff-pw',
    });
  };
  seed();
  let origin = '';
  const oauth = new TokenIssuer({
    clientEmail,
    privateKeyPem,
    audience: () => `${origin}/token`,
    delegatedScopes: new Set(
      options.delegatedScopes ?? [
        'https://www.googleapis.com/auth/admin.directory.user',
        'https://www.googleapis.com/auth/admin.directory.group',
      ],
    ),
    canImpersonate: (sub) => {
      const u = store.findUser(sub);
      return !u || u.primaryEmail !== sub ? 'unknown' : u.isAdmin === true ? 'admin' : 'user';
    },
    expiresIn: options.expiresIn ?? 3599,
    now,
  });
  const requests: GoogleRecordedRequest[] = [];
  let refused = 0;
  let window = { second: -1, used: 0 };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    const entry: GoogleRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: text === '' ? undefined : parse(text),
      status: 0,
      at: now(),
    };
    requests.push(entry);
    const answer = (status: number, body: unknown) => {
      entry.status = status;
      sendJson(res, status, body);
    };
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(text)
        : new URLSearchParams();
      const result = await oauth.answer(form);
      return answer(result.status, result.body);
    }
    if (!url.pathname.startsWith(API)) {
      entry.status = 404;
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(HTML_404);
      return;
    }
    if (options.latencyMs) await sleep(options.latencyMs);
    const token = oauth.check(req.headers.authorization);
    if (!token) {
      const e = invalidCredentials();
      return answer(e.status, e.body());
    }
    let segments: string[];
    try {
      segments = url.pathname.slice(API.length).split('/').map(decodeURIComponent);
    } catch {
      return answer(400, invalid('Invalid Input').body());
    }
    if (options.quotaPerSecond !== undefined) {
      const second = Math.floor(now() / 1000);
      if (window.second !== second) window = { second, used: 0 };
      window.used += 1;
      if (window.used > options.quotaPerSecond) {
        refused += 1;
        const e = userRateLimited();
        return answer(e.status, e.body());
      }
    }
    if (!scopeFor(segments, entry.method).some((s) => token.scopes.has(s))) {
      const e = insufficientScopes();
      return answer(e.status, e.body());
    }
    try {
      const result = route({
        method: entry.method,
        segments,
        query: url.searchParams,
        store,
        body: () => {
          const v = parse(text);
          if (typeof v !== 'object' || v === null || Array.isArray(v))
            throw invalid('Invalid JSON payload received.');
          return v as Json;
        },
      });
      if (!result) {
        entry.status = 404;
        res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
        res.end(HTML_404);
        return;
      }
      answer(result.status, result.body);
    } catch (e) {
      if (!(e instanceof GoogleApiError)) throw e;
      answer(e.status, e.body());
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return;
      sendJson(
        res,
        500,
        new GoogleApiError(500, e instanceof Error ? e.message : 'Internal error', 'backendError').body(),
      );
    });
  });
  const listener = await listen(server);
  origin = listener.origin;
  const serviceAccountKey = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'sim-project',
      private_key_id: `${randomInt(1e9).toString(16)}abcdef`,
      private_key: privateKeyPem,
      client_email: clientEmail,
      client_id: '103015212345678901234',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: `${origin}/token`,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  );
  return {
    origin,
    baseUrl: origin,
    tokenUrl: `${origin}/token`,
    serviceAccountKey,
    privateKeyPem,
    clientEmail,
    admin,
    nonAdmin,
    store,
    oauth,
    requests,
    quotaRefusals: () => refused,
    reset: () => {
      store.reset();
      oauth.reset();
      requests.length = 0;
      refused = 0;
      window = { second: -1, used: 0 };
      seed();
    },
    close: listener.close,
  };
}
