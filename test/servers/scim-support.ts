// HTTP helpers shared by the loopback SCIM servers: SCIM error bodies, bearer checks, the request
// recorder, the last-resort error handler and a listener on 127.0.0.1 port 0.
import { createServer, type Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { RecordedRequest, ScimApp, ScimTestServer } from './scim-server.js';

type Json = Record<string, unknown>;

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sends an RFC 7644 3.12 error body (status as a string, per the RFC's examples). */
export function sendScimError(res: Response, status: number, detail: string, scimType?: string): void {
  const body: Json = { schemas: [ERROR_SCHEMA], status: String(status), detail };
  if (scimType) body.scimType = scimType;
  res.status(status).type('application/scim+json').send(JSON.stringify(body));
}

/** True when the request carries exactly `Authorization: Bearer <token>`. */
export function hasBearer(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim() === token;
}

/** Last-resort handler: malformed JSON bodies and anything thrown outside scimmy's own handler. */
export function scimErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  const status = isRecord(error) && typeof error.status === 'number' ? error.status : 500;
  const detail = error instanceof Error ? error.message : 'Internal server error';
  sendScimError(res, status, detail, status === 400 ? 'invalidSyntax' : undefined);
}

/** Logs each request (as the client sent it) and, once answered, its status. Parses JSON bodies. */
export function recordRequests(log: RecordedRequest[]): RequestHandler[] {
  const entries = new WeakMap<Request, RecordedRequest>();
  const start: RequestHandler = (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://loopback');
    const query = Object.fromEntries(url.searchParams);
    const entry: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      query,
      headers: { ...req.headers },
      body: undefined,
      status: 0,
    };
    log.push(entry);
    entries.set(req, entry);
    // Set the status when headers go out, so it is there before the client can see the answer.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = typeof args[0] === 'number' ? args[0] : res.statusCode;
      return writeHead(...args);
    }) as unknown as Response['writeHead'];
    next();
  };
  const json = express.json({ type: ['application/scim+json', 'application/json'], limit: '10mb' });
  const capture: RequestHandler = (req, _res, next) => {
    const entry = entries.get(req);
    if (entry) entry.body = req.body;
    next();
  };
  return [start, json, capture];
}

/**
 * Listens on 127.0.0.1, port 0; close() also drops keep-alive connections so tests can exit.
 * Takes an express app (served over HTTP) or a server already built (e.g. HTTPS).
 */
export async function listen(
  target: express.Express | Server | HttpsServer,
): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  // An express app is a request handler (a function); a server is not.
  const server = typeof target === 'function' ? createServer(target) : target;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };
  const scheme = server instanceof HttpsServer ? 'https' : 'http';
  return { origin: `${scheme}://127.0.0.1:${port}`, port, close };
}

/** The parts of a ScimTestServer every loopback SCIM peer shares: its store, log, reset and close. */
export function storeHandle(
  scim: ScimApp,
  requests: RecordedRequest[],
  close: () => Promise<void>,
): Pick<ScimTestServer, 'requests' | 'users' | 'groups' | 'reset' | 'close'> {
  return {
    requests,
    users: scim.users,
    groups: scim.groups,
    reset: () => {
      scim.reset();
      requests.length = 0;
    },
    close,
  };
}
