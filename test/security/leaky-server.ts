// A SCIM app that leaks: the loopback SCIM server (scimmy) behind middleware that echoes the bearer
// token it was sent back to the client, in response headers (plain, base64, in a Set-Cookie), in
// every error body's detail and in every JSON success body. A client that prints anything an app
// says without scrubbing known secrets shows the token. Also rejects POST /Users whose userName
// starts with "reject" (400), so a write can fail on demand. It echoes the token in other encodings too
// (Basic base64 of "iam:" + token, hex in both cases, lowercase and uppercase percent-encoding),
// the request URL (with any `?api_key=`) and, when it is used as a forward proxy (an absolute-URI
// request), the `user:password` of the Proxy-Authorization it was sent.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createScimApp, type RecordedRequest } from '../servers/scim-server.js';
import { isRecord, listen, recordRequests, scimErrors, sendScimError } from '../servers/scim-support.js';

export interface LeakyServer {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** How many answers carried an echo of the token (to show the test had something to catch). */
  echoes: number;
  users(): Record<string, unknown>[];
  groups(): Record<string, unknown>[];
  reset(): void;
  close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const lowerPct = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** The token as other apps echo it: inside a Basic credential, as hex, percent-encoded. */
function otherForms(sent: string): string {
  return `basic ${b64(`iam:${sent}`)}, hex ${hex(sent)}, HEX ${hex(sent).toUpperCase()}, pct ${lowerPct(sent)}, PCT ${encodeURIComponent(sent)}`;
}

export async function startLeakyServer(token: string): Promise<LeakyServer> {
  const requests: RecordedRequest[] = [];
  let url = '';
  const state = { echoes: 0 };
  const scim = createScimApp({ token, patch: true, url: () => url });
  const app = express();
  app.use(recordRequests(requests));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const sent = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim() ?? '';
    if (!sent) return next();
    state.echoes += 1;
    const proxied = /^Basic\s+(.+)$/i.exec(req.get('proxy-authorization') ?? '')?.[1] ?? '';
    const proxy = proxied ? ` proxy ${Buffer.from(proxied, 'base64').toString('utf8')}` : '';
    const also = `${otherForms(sent)}, url ${req.originalUrl}${proxy}`;
    res.set('X-Echo-Token', sent);
    res.set('X-Echo-Base64', b64(sent));
    res.set('X-Echo-Basic', b64(`iam:${sent}`));
    res.set('X-Echo-Hex', hex(sent));
    res.set('X-Echo-Url', req.originalUrl);
    if (proxied) res.set('X-Echo-Proxy', proxied);
    res.set('Set-Cookie', `session=${sent}; HttpOnly`);
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      if (typeof body !== 'string' || !body.startsWith('{')) return send(body);
      const json = JSON.parse(body) as unknown;
      if (!isRecord(json)) return send(body);
      if (res.statusCode >= 400) {
        json.detail = `${String(json.detail)} (token ${sent}, base64 ${b64(sent)}) (${also})`;
      } else {
        json.echo = `you sent ${sent}`;
        json.echoAlso = also;
      }
      return send(JSON.stringify(json));
    }) as Response['send'];
    const userName = isRecord(req.body) ? req.body.userName : undefined;
    if (req.method === 'POST' && typeof userName === 'string' && userName.startsWith('reject')) {
      return sendScimError(res, 400, `userName ${userName} refused`, 'invalidValue');
    }
    next();
  });
  app.use('/scim/v2', scim.app);
  app.use(scimErrors);
  const server = await listen(app);
  url = `${server.origin}/scim/v2`;
  return {
    url,
    token,
    requests,
    get echoes() {
      return state.echoes;
    },
    users: scim.users,
    groups: scim.groups,
    reset: () => {
      scim.reset();
      requests.length = 0;
    },
    close: server.close,
  };
}

export const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout lines that are JSON objects. */
  lines: Record<string, unknown>[];
}

/**
 * Runs the built `iam` with a clean environment rooted in `home` (data directory under it).
 * Asynchronous: the loopback servers live in this process and must keep answering meanwhile.
 */
export function runIam(args: string[], home: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data'), ...env },
        cwd: home,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const lines = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        done({ code, stdout, stderr, lines });
      },
    );
  });
}

/** stderr lines that are JSON log lines. */
export function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
