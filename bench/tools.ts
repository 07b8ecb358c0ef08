// Helpers shared by the benchmarks: the SCIM server child, spawning the built CLI with its peak
// RSS, input files, and small statistics. Nothing here asserts speed: bench/ only reports it.
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServerCommand, ServerMessage } from './scim-server-child.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist/cli/main.js');
const RSS_WRAPPER = join(ROOT, 'bench/rss-wrapper.mjs');

export function tempDir(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'iam-bench-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ScimChild {
  url: string;
  origin: string;
  basePath: string;
  token: string;
  reset(): Promise<void>;
  count(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts test/servers/scim-server.ts in its own process (with tsx) and waits for its URL. */
export async function startScimChild(): Promise<ScimChild> {
  const child: ChildProcess = fork(join(ROOT, 'bench/scim-server-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async <T extends ServerMessage['type']>(type: T) => {
    for (;;) {
      const [m] = (await once(child, 'message')) as [ServerMessage];
      if (m.type === type) return m as Extract<ServerMessage, { type: T }>;
    }
  };
  const ask = (c: ServerCommand) => child.send(c);
  const ready = await next('ready');
  const url = new URL(ready.url);
  return {
    url: ready.url,
    origin: url.origin,
    basePath: url.pathname,
    token: ready.token,
    async reset() {
      ask({ type: 'reset' });
      await next('reset-done');
    },
    async count() {
      ask({ type: 'count' });
      return (await next('count')).users;
    },
    async stop() {
      ask({ type: 'stop' });
      await once(child, 'exit');
    },
  };
}

export interface CliRun {
  code: number | null;
  wallMs: number;
  /** Peak resident set size of the CLI process, MB. */
  peakRssMb: number;
  stderr: string;
}

/**
 * Runs the built CLI and measures it from spawn to exit. Its peak RSS is getrusage's maxRSS of that
 * same process (bench/rss-wrapper.mjs reports it on fd 3 as the process exits).
 */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  cli: string = CLI,
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [RSS_WRAPPER, cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, XDG_DATA_HOME: join(cwd, 'data'), ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let rss = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const fd3 = child.stdio[3];
  if (fd3 && 'setEncoding' in fd3) {
    fd3.setEncoding('utf8');
    fd3.on('data', (s: string) => {
      rss += s;
    });
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - started;
  return { code, wallMs, peakRssMb: Number(rss.trim()) / 1024, stderr };
}

/** Median wall time (ms) of `runs` spawns of `argv`. */
export function medianSpawnMs(argv: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  }
  return percentile(times, 0.5);
}

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Writes `count` JSON lines made by `line(i)` without holding them all in memory. */
export async function writeLines(path: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The CLI's summary line: `... latency p50 1.23 ms, p99 4.56 ms`. */
export function summaryOf(stderr: string): {
  done: number;
  failed: number;
  opsPerSecond: number;
  p50: number;
  p99: number;
} {
  const m =
    /batch done: (\d+) done: \d+ succeeded, \d+ skipped, (\d+) failed;.* (\d+) ops\/s; latency p50 ([\d.]+) ms, p99 ([\d.]+) ms/.exec(
      stderr,
    );
  if (!m) throw new Error(`no summary in the CLI's stderr:\n${stderr.slice(-2000)}`);
  const [done, failed, opsPerSecond, p50, p99] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { done, failed, opsPerSecond, p50, p99 };
}

export const profileOf = (name: string) => ({
  username: name,
  email: `${name}@example.com`,
  givenname: 'Jane',
  surname: `Doe ${name}`,
});

/** The SCIM User our default mapping sends for profileOf(name) (checked against the wire in main.ts). */
export const scimUserOf = (name: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: name,
  emails: [{ type: 'work', primary: true, value: `${name}@example.com` }],
  name: { givenName: 'Jane', familyName: `Doe ${name}` },
  displayName: `Jane Doe ${name}`,
  active: true,
});
