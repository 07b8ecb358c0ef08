// The SCIM gateway part of the benchmark (issue 15): `GET /Users?filter=userName eq "..."` at
// concurrency 32 (autocannon) against the gateway in its own process in front of Local, and the
// same lookup in-process through the library (client.getUser) at concurrency 32, the ceiling.
// Reports requests per second, p99 latency and the gateway process's peak RSS. Indicative: run once.
// Standalone: `node --import tsx bench/scim-gateway.ts` (BENCH_GATEWAY_USERS, BENCH_GATEWAY_SECONDS).
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createIamClient } from '../src/index.js';

const USERS = Number(process.env.BENCH_GATEWAY_USERS ?? 1000);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const CONCURRENCY = 32;

export interface GatewayFigures {
  users: number;
  gateway: { requestsPerSecond: number; p99Ms: number; peakRssMb: number; errors: number };
  library: { requestsPerSecond: number; p99Ms: number };
  /** gateway / library requests per second. */
  ratio: number;
}

const nameOf = (i: number) => `bench.user.${i}@example.com`;

async function seedStore(path: string): Promise<void> {
  const client = createIamClient({ config: { instances: { local: { brand: 'Local', path } } }, env: {} });
  for (let i = 0; i < USERS; i++) {
    const r = await client.createUser('local', {
      userProfile: { username: nameOf(i), givenname: 'B', surname: `${i}` },
    });
    if (!r.vendor.success) throw new Error(`seeding: ${r.vendor.errorMessage}`);
  }
  await client.close();
}

async function library(path: string) {
  const client = createIamClient({ config: { instances: { local: { brand: 'Local', path } } }, env: {} });
  const latencies: number[] = [];
  let next = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        const r = await client.getUser('local', { userProfile: { username: nameOf(next++ % USERS) } });
        if (!r.vendor.success) throw new Error(`library lookup failed: ${r.vendor.errorMessage}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  await client.close();
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / SECONDS,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}

async function gateway(path: string) {
  const child: ChildProcess = fork(
    join(dirname(fileURLToPath(import.meta.url)), 'scim-gateway-child.ts'),
    [path],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const [ready] = (await once(child, 'message')) as [{ url: string; token: string }];
  let next = 0;
  const filter = (i: number) => encodeURIComponent(`userName eq "${nameOf(i % USERS)}"`);
  const url = new URL(ready.url);
  const result = await autocannon({
    url: url.origin,
    connections: CONCURRENCY,
    duration: SECONDS,
    headers: { authorization: `Bearer ${ready.token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `${url.pathname}/Users?filter=${filter(next++)}` }),
      },
    ],
  });
  child.send({ type: 'stop' });
  const [stopped] = (await once(child, 'message')) as [{ peakRssMb: number }];
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    peakRssMb: Math.round(stopped.peakRssMb),
    errors: result.errors + result.non2xx,
  };
}

export async function scimGatewayBenchmark(): Promise<GatewayFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-bench-gateway-'));
  try {
    const store = join(dir, 'local.db');
    await seedStore(store);
    const lib = await library(store);
    const gw = await gateway(store);
    return { users: USERS, gateway: gw, library: lib, ratio: gw.requestsPerSecond / lib.requestsPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await scimGatewayBenchmark(), null, 2));
}
