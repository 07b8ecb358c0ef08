// `npm run bench` part `serve` (issue 15): the HTTP API answering get-user on a Local instance at
// concurrency 32 (autocannon, keep-alive, the same users round-robin) against the ceiling: the same
// command run in-process through the library by 32 concurrent callers. Both read the same seeded
// Local file. Peak RSS of the `iam serve` process (getrusage maxRSS, reported by rss-wrapper.mjs
// as it exits after SIGTERM). Shared machine: the figures are indicative.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createIamClient } from '../src/index.js';
import type { Measured } from './ceiling.js';
import { CLI, percentile } from './tools.js';

const RSS_WRAPPER = join(import.meta.dirname, 'rss-wrapper.mjs');
const USERS = Number(process.env.BENCH_SERVE_USERS ?? 1000);
const COUNT = Number(process.env.BENCH_SERVE_REQUESTS ?? 20_000);
const CONCURRENCY = 32;
const KEY = 'bench-key-0123456789abcdef0123456789';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** COUNT get-user calls through the library, CONCURRENCY at a time. */
async function libraryCeiling(config: string, names: readonly string[]): Promise<Measured> {
  const client = createIamClient({ configPath: config, auditLog: false });
  try {
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < COUNT) {
        const username = names[next++ % names.length];
        const t = performance.now();
        const r = await client.getUser('local', { userProfile: { username } });
        latencies.push(performance.now() - t);
        if (!r.vendor.success) throw new Error(`library get-user ${username}: ${r.vendor.errorMessage}`);
      }
    };
    await worker(); // warm-up of one call path (the store opens)
    next = 0;
    latencies.length = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wallMs = performance.now() - started;
    return {
      ops: latencies.length,
      wallMs,
      opsPerSecond: (latencies.length * 1000) / wallMs,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  } finally {
    await client.close();
  }
}

async function httpRun(url: string, names: readonly string[], amount: number): Promise<Measured> {
  let next = 0;
  let answered = 0;
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    amount,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/v1/instances/local/get-user',
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ userProfile: { username: names[next++ % names.length] } }),
        }),
        onResponse: () => {
          answered = performance.now();
        },
      },
    ],
  });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0)
    throw new Error(
      `serve get-user: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  const wallMs = answered - started;
  return {
    ops: result.requests.total,
    wallMs,
    opsPerSecond: (result.requests.total * 1000) / wallMs,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

export async function serveBenchmark(dir: string): Promise<string[]> {
  const config = join(dir, 'serve.yaml');
  writeFileSync(
    config,
    `instances:\n  local:\n    brand: Local\n    path: ${join(dir, 'serve.db')}\nserver:\n  apiKeys:\n    - name: bench\n      key: ${KEY}\n      scopes: [read]\n`,
    { mode: 0o600 },
  );
  process.stderr.write(`serve: seeding ${USERS} Local users...\n`);
  const names = Array.from({ length: USERS }, (_, i) => `serve${i}`);
  const seeder = createIamClient({ configPath: config, auditLog: false });
  for (const username of names) await seeder.createUser('local', { userProfile: { username } });
  await seeder.close();

  const child = spawn(
    process.execPath,
    [
      RSS_WRAPPER,
      CLI,
      'serve',
      '--config',
      config,
      '--port',
      '0',
      '--audit-log',
      join(dir, 'serve-audit.log'),
    ],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_DATA_HOME: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
    },
  );
  let rss = '';
  const fd3 = child.stdio[3];
  if (fd3 && 'setEncoding' in fd3) fd3.setEncoding('utf8').on('data', (s: string) => (rss += s));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`iam serve exited ${code}`)));
  });
  try {
    process.stderr.write('serve: warming up...\n');
    await httpRun(url, names, 2000);
    await libraryCeiling(config, names);
    // Alternated, best of each kept: a busy moment on a shared machine cannot favour one side.
    const lib: Measured[] = [];
    const http: Measured[] = [];
    for (let round = 1; round <= 3; round++) {
      process.stderr.write(`serve: round ${round}/3...\n`);
      lib.push(await libraryCeiling(config, names));
      http.push(await httpRun(url, names, COUNT));
    }
    const best = (runs: Measured[]) => runs.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
    const l = best(lib);
    const h = best(http);
    child.kill('SIGTERM');
    await once(child, 'exit');
    const peak = Number(rss.trim()) / 1024;
    const ratio = (h.opsPerSecond / l.opsPerSecond) * 100;
    return [
      `| get-user on Local, concurrency ${CONCURRENCY}, ${fmt(COUNT)} requests | library ops/s (ceiling) | iam serve req/s | ratio | library p50 / p99 ms | serve p50 / p99 ms | iam serve peak RSS MB |`,
      '|---|---|---|---|---|---|---|',
      `| HTTP API \`POST /v1/instances/local/get-user\` | ${fmt(l.opsPerSecond)} | ${fmt(h.opsPerSecond)} | **${fmt(ratio, 1)}%** (target ≥ 80%${ratio >= 80 ? '' : ', MISSED'}) | ${fmt(l.p50Ms, 1)} / ${fmt(l.p99Ms, 1)} | ${fmt(h.p50Ms, 1)} / ${fmt(h.p99Ms, 1)} | ${fmt(peak)} |`,
    ];
  } finally {
    child.kill('SIGKILL');
  }
}
