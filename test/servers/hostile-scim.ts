// A misbehaving SCIM peer for tests: a plain node:http server on 127.0.0.1 port 0 whose every
// answer is chosen by the test (`reply`), so a client can be fed truncated JSON, wrong types, HTML
// error pages, bodies far over its cap, silence, or a connection reset halfway through a body.
// It never checks auth and keeps no store: it only answers what it is told, and logs what it saw.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One answer. Every kind but `hang` and `reset` ends the response normally. */
export type HostileReply =
  /** A JSON value, serialised, with the given status and content type (default 200, SCIM JSON). */
  | { kind: 'json'; body: unknown; status?: number; contentType?: string }
  /** Exactly these bytes (truncated JSON, an HTML page, an empty body...). No content type unless given. */
  | { kind: 'text'; text: string; status?: number; contentType?: string }
  /**
   * `bytes` of valid-looking JSON, streamed with backpressure so the server side never holds more
   * than one chunk. `declareLength`: send Content-Length (else chunked, so only a reader's own cap
   * can stop it).
   */
  | { kind: 'huge'; bytes: number; declareLength: boolean }
  /** Accepts the request and never answers (until the server closes). */
  | { kind: 'hang' }
  /** Sends the status line, headers and the first half of a JSON body, then resets the connection. */
  | { kind: 'reset'; body: unknown };

export interface HostileRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
}

export interface HostileServer {
  /** Base URL of the fake SCIM root, without a trailing slash. */
  url: string;
  /** What to answer; replace it between cases. Receives the request with its path below the root. */
  reply: (req: HostileRequest) => HostileReply;
  requests: HostileRequest[];
  /** Bytes of body written by `huge` replies so far (to show a client stopped reading early). */
  hugeBytesSent: number;
  close(): Promise<void>;
}

const ROOT = '/scim/v2';
const CHUNK = Buffer.alloc(64 * 1024, 'a');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** Writes `total` bytes shaped like `{"Resources":[],"x":"aaaa...` without buffering them. */
function streamHuge(res: ServerResponse, total: number, onWrite: (n: number) => void): void {
  const head = Buffer.from('{"schemas":[],"Resources":[],"padding":"');
  let left = total - head.length;
  res.write(head);
  onWrite(head.length);
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      onWrite(n);
      const more = res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
      if (!more) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}

export async function startHostileServer(
  reply: HostileServer['reply'] = () => ({ kind: 'json', body: {} }),
): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const state: HostileServer = {
    url: '',
    reply,
    requests: [],
    hugeBytesSent: 0,
    close: async () => {},
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const entry: HostileRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.startsWith(ROOT) ? url.pathname.slice(ROOT.length + 1) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: await readBody(req),
    };
    state.requests.push(entry);
    const r = state.reply(entry);
    switch (r.kind) {
      case 'json': {
        const text = JSON.stringify(r.body) ?? '';
        res.writeHead(r.status ?? 200, { 'content-type': r.contentType ?? 'application/scim+json' });
        res.end(text);
        return;
      }
      case 'text':
        res.writeHead(r.status ?? 200, r.contentType ? { 'content-type': r.contentType } : {});
        res.end(r.text);
        return;
      case 'huge':
        res.writeHead(200, {
          'content-type': 'application/scim+json',
          ...(r.declareLength ? { 'content-length': String(r.bytes) } : {}),
        });
        streamHuge(res, r.bytes, (n) => {
          state.hugeBytesSent += n;
        });
        return;
      case 'hang':
        return;
      case 'reset': {
        const text = JSON.stringify(r.body) ?? '';
        res.writeHead(200, {
          'content-type': 'application/scim+json',
          'content-length': String(Buffer.byteLength(text)),
        });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => {
          // A TCP RST, not a clean FIN: what a crashed peer or a middlebox looks like.
          req.socket.resetAndDestroy();
        });
        return;
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}${ROOT}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
