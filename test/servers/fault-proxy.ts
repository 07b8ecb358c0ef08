// A fault-injecting HTTP proxy on 127.0.0.1 port 0, in front of a loopback server (e.g. the SCIM
// server): the flaky app of the fault tests. Per request it may
// - answer 429 with a small Retry-After (0..maxRetryAfterS s) without forwarding (`throttle`);
// - answer 503 without forwarding (`unavailable`);
// - drop the connection without forwarding (`drop-before`: the write never happened);
// - forward, then drop the connection instead of answering (`drop-after`: the write landed, the
//   client never hears of it);
// - wait 0..maxDelayMs ms, then forward (`delay`);
// - or just forward (`none`).
// A `storm` overrides all that for a while: the app is down (503 to everything) for some time from
// the first request, then recovers.
// Reproducible: the fault of a request is drawn from a PRNG seeded with hash(seed, method, URL,
// body, how many times this same request was seen before), so it does not depend on the order in
// which concurrent requests arrive. Every request is logged with its fault and what the client got.
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'throttle' | 'unavailable' | 'drop-before' | 'drop-after' | 'delay';

/** Probability of each fault per request (their sum must be at most 1; the rest is `none`). */
export type FaultRates = Record<Exclude<Fault, 'none'>, number>;

export interface FaultProxyOptions {
  /** Origin of the server to forward to, e.g. `http://127.0.0.1:40123`. */
  target: string;
  seed: number;
  rates: Partial<FaultRates>;
  /** Largest Retry-After on a 429, whole seconds (default 1). */
  maxRetryAfterS?: number;
  /** Longest `delay`, ms (default 200). */
  maxDelayMs?: number;
  /**
   * Chooses the fault of a request instead of the PRNG (return undefined to let it draw):
   * `seen` is how many times this same request came before. For tests of one exact scenario.
   */
  decide?: (method: string, url: string, seen: number) => Fault | undefined;
  /**
   * For `durationMs` from the first request (Infinity: for good), faults are drawn from `faults`
   * instead of `rates`, and whatever share they leave is `unavailable` (503): with no `faults`, the
   * app answers 503 to everything. E.g. `{ none: 0.3, 'drop-after': 0.3 }`: some requests get
   * through, some writes land with their answer lost. `decide` still wins.
   */
  storm?: { durationMs: number; faults?: Partial<Record<Fault, number>> };
}

export interface FaultRecord {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  fault: Fault;
  /** What the client got: a status, or null when its connection was dropped. */
  status: number | null;
  /** What the upstream server answered, when the request was forwarded. */
  upstreamStatus: number | null;
}

export interface FaultProxy {
  /** Origin of the proxy, e.g. `http://127.0.0.1:40999`: the target's paths work under it. */
  origin: string;
  seed: number;
  log: FaultRecord[];
  /** How many requests got each fault. */
  counts(): Record<Fault, number>;
  close(): Promise<void>;
}

/** FNV-1a, 32 bits: a stable hash of the request key. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORDER: Exclude<Fault, 'none'>[] = ['throttle', 'unavailable', 'drop-before', 'drop-after', 'delay'];
/** Hop-by-hop headers, not forwarded either way. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function pick(rates: Partial<FaultRates>, r: number): Fault {
  let acc = 0;
  for (const fault of ORDER) {
    acc += rates[fault] ?? 0;
    if (r < acc) return fault;
  }
  return 'none';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function scimError(
  res: ServerResponse,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    detail,
  });
  res.writeHead(status, {
    'content-type': 'application/scim+json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const seen = new Map<string, number>();
  const log: FaultRecord[] = [];
  const maxRetryAfterS = opts.maxRetryAfterS ?? 1;
  const maxDelayMs = opts.maxDelayMs ?? 200;
  let firstRequestAt: number | undefined;
  const storming = (random: () => number): Fault | undefined => {
    if (!opts.storm) return undefined;
    firstRequestAt ??= Date.now();
    if (Date.now() - firstRequestAt >= opts.storm.durationMs) return undefined;
    const r = random();
    let acc = 0;
    for (const fault of ['none', ...ORDER] as const) {
      acc += opts.storm.faults?.[fault] ?? 0;
      if (r < acc) return fault;
    }
    return 'unavailable';
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>(
      (resolve, reject) => {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
        headers.host = target.host;
        if (body.length > 0) headers['content-length'] = String(body.length);
        const up = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const out: Record<string, string | string[]> = {};
              for (const [k, v] of Object.entries(res.headers))
                if (v !== undefined && !HOP.has(k)) out[k] = v;
              resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
            });
            res.on('error', reject);
          },
        );
        up.on('error', reject);
        up.end(body);
      },
    );

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const key = `${req.method} ${req.url}\n${body.toString('utf8')}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const random = seededRandom(hash(`${opts.seed}|${n}|${key}`));
      const drawn = pick(opts.rates, random());
      const fault = opts.decide?.(req.method ?? '', req.url ?? '', n) ?? storming(random) ?? drawn;
      const entry: FaultRecord = {
        method: req.method ?? '',
        url: req.url ?? '',
        fault,
        status: null,
        upstreamStatus: null,
      };
      log.push(entry);
      if (fault === 'throttle') {
        const seconds = Math.floor(random() * (maxRetryAfterS + 1));
        entry.status = 429;
        return scimError(res, 429, 'Too many requests', { 'retry-after': String(seconds) });
      }
      if (fault === 'unavailable') {
        entry.status = 503;
        return scimError(res, 503, 'Service unavailable');
      }
      if (fault === 'drop-before') return void req.socket.destroy();
      if (fault === 'delay') await new Promise((r) => setTimeout(r, Math.floor(random() * maxDelayMs)));
      let answer: Awaited<ReturnType<typeof forward>>;
      try {
        answer = await forward(req, body);
      } catch {
        entry.status = 502;
        return scimError(res, 502, 'Bad gateway: the server behind the proxy did not answer');
      }
      entry.upstreamStatus = answer.status;
      if (fault === 'drop-after') return void req.socket.destroy();
      entry.status = answer.status;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    seed: opts.seed,
    log,
    counts() {
      const out: Record<Fault, number> = {
        none: 0,
        throttle: 0,
        unavailable: 0,
        'drop-before': 0,
        'drop-after': 0,
        delay: 0,
      };
      for (const r of log) out[r.fault] += 1;
      return out;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
      return closing;
    },
  };
}
