// Scaling curves (issue 16 item 3), printed by `npm run bench --scaling` (or BENCH_ONLY=scaling):
// - `iam batch get-user` against the bench's SCIM server child at concurrency 1, 4, 16, 32, 64, with
//   the raw ceiling (autocannon, same requests) at the same concurrency: where throughput stops
//   growing and whether that is the server (the ceiling flattens too) or us;
// - peak RSS of `iam batch create-user` on Local for 10k, 100k and 1M lines (flat is the goal);
// - start-up: spawn to exit of one command of each kind, its first (and only) record.
// The table goes to stdout (for BENCHMARKS.md) and an SVG chart of the first curve to
// BENCH_SCALING_SVG (default docs/scaling.svg) for the README. Nothing here asserts a speed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCeiling, seed } from './ceiling.js';
import { type CliRun, profileOf, runCli, startScimChild, summaryOf, writeLines } from './tools.js';

const LEVELS = [1, 4, 16, 32, 64];
const USERS = Number(process.env.BENCH_SCALING_USERS ?? 5000);
const SIZES = (process.env.BENCH_SCALING_LINES ?? '10000,100000,1000000').split(',').map(Number);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

interface Point {
  concurrency: number;
  ceiling: number;
  ceilingP99: number;
  ours: number;
  oursP99: number;
}

function checked(run: CliRun, expected: number, what: string) {
  const s = summaryOf(run.stderr);
  if (run.code !== 0 || s.done !== expected || s.failed !== 0)
    throw new Error(
      `${what}: exit ${run.code}, ${s.done} done, ${s.failed} failed\n${run.stderr.slice(-1500)}`,
    );
  return s;
}

async function concurrencyCurve(dir: string): Promise<Point[]> {
  const server = await startScimChild();
  try {
    await seed(server, 'user', USERS);
    const names = Array.from({ length: USERS }, (_, i) => `user${i}`);
    const input = join(dir, 'scaling-get.jsonl');
    await writeLines(input, USERS, (i) => JSON.stringify({ username: names[i] }));
    const config = join(dir, 'scaling.yaml');
    writeFileSync(
      config,
      `instances:\n  bench:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:T}\n`,
    );
    const env = { IAM_CONFIG: config, T: server.token };
    await getCeiling(server, names, Math.min(USERS, 2000), 32); // warm-up
    const points: Point[] = [];
    for (const c of LEVELS) {
      process.stderr.write(`scaling: concurrency ${c}...\n`);
      const ceiling = await getCeiling(server, names, USERS, c);
      const args = ['batch', 'get-user', '--input', input, '--instance', 'bench', '--concurrency', String(c)];
      const run = await runCli([...args, '--out', join(dir, 'scaling.out')], env, dir);
      const s = checked(run, USERS, `get-user at concurrency ${c}`);
      points.push({
        concurrency: c,
        ceiling: ceiling.opsPerSecond,
        ceilingP99: ceiling.p99Ms,
        ours: (s.done * 1000) / run.wallMs,
        oursP99: s.p99,
      });
    }
    return points;
  } finally {
    await server.stop();
  }
}

async function memoryCurve(dir: string): Promise<string[]> {
  const rows: string[] = [];
  for (const lines of SIZES) {
    process.stderr.write(`scaling: Local create-user, ${fmt(lines)} lines...\n`);
    const input = join(dir, `scaling-local-${lines}.jsonl`);
    await writeLines(input, lines, (i) => JSON.stringify(profileOf(`s${i}`)));
    const config = join(dir, `scaling-local-${lines}.yaml`);
    writeFileSync(
      config,
      `instances:\n  local:\n    brand: Local\n    path: ${join(dir, `scaling-${lines}.db`)}\n`,
    );
    const run = await runCli(
      ['batch', 'create-user', '--input', input, '--instance', 'local', '--out', '/dev/null'],
      { IAM_CONFIG: config },
      dir,
    );
    checked(run, lines, `Local create-user of ${lines} lines`);
    rows.push(`| ${fmt(lines)} | ${fmt(run.peakRssMb)} MB | ${fmt((lines * 1000) / run.wallMs)} ops/s |`);
  }
  return rows;
}

async function startupRows(dir: string): Promise<string[]> {
  const server = await startScimChild();
  try {
    await seed(server, 'user', 64);
    const config = join(dir, 'scaling-one.yaml');
    writeFileSync(
      config,
      `instances:\n  bench:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:T}\n    allowDelete: true\n`,
    );
    const env = { IAM_CONFIG: config, T: server.token };
    const p = (o: object) => JSON.stringify(o);
    const commands: [string, (i: number) => string[]][] = [
      ['get-user', () => ['get-user', '--user-profile', p({ username: 'user1' })]],
      ['create-user', () => ['create-user', '--user-profile', p(profileOf('one'))]],
      ['update-user', () => ['update-user', '--user-profile', p({ username: 'one', title: 'CTO' })]],
      ['disable-user', () => ['disable-user', '--user-profile', p({ username: 'one' })]],
      ['enable-user', () => ['enable-user', '--user-profile', p({ username: 'one' })]],
      ['delete-user', () => ['delete-user', '--user-profile', p({ username: 'one' })]],
      ['create-group', (i) => ['create-group', '--scim', p({ displayName: `scaling${i}` })]],
      ['get-group', (i) => ['get-group', '--scim', p({ displayName: `scaling${i}` })]],
    ];
    const rows: string[] = [];
    for (const [name, argv] of commands) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const run = await runCli([...argv(i), '--instance', 'bench', '--output', 'json'], env, dir);
        if (run.code !== 0 && name !== 'create-user' && name !== 'delete-user')
          throw new Error(`${name}: exit ${run.code}\n${run.stderr.slice(-800)}`);
        times.push(run.wallMs);
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${name} | ${fmt(times[2] ?? Number.NaN, 1)} ms |`);
    }
    return rows;
  } finally {
    await server.stop();
  }
}

/** A small line chart (ops/s by concurrency, ours and the ceiling) as standalone SVG. */
export function scalingSvg(points: readonly Point[]): string {
  const W = 560;
  const H = 300;
  const m = { l: 60, r: 20, t: 30, b: 45 };
  const max = Math.max(...points.flatMap((p) => [p.ours, p.ceiling])) * 1.1;
  const x = (i: number) => m.l + (i * (W - m.l - m.r)) / Math.max(1, points.length - 1);
  const y = (v: number) => H - m.b - (v / max) * (H - m.t - m.b);
  const line = (pick: (p: Point) => number) =>
    points.map((p, i) => `${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = (max / 1.1) * f;
    return `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`;
  });
  const labels = points.map(
    (p, i) => `<text x="${x(i)}" y="${H - m.b + 18}" text-anchor="middle">${p.concurrency}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">batch get-user, ops/s by concurrency (SCIM server on loopback)</text>`,
    ...ticks,
    ...labels,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">concurrency</text>`,
    `<polyline fill="none" stroke="#999" stroke-width="2" stroke-dasharray="5,4" points="${line((p) => p.ceiling)}"/>`,
    `<polyline fill="none" stroke="#1f6feb" stroke-width="2.5" points="${line((p) => p.ours)}"/>`,
    `<text x="${m.l + 10}" y="${m.t + 10}" fill="#1f6feb">iam (spawn to exit)</text>`,
    `<text x="${m.l + 10}" y="${m.t + 26}" fill="#777">raw HTTP ceiling (autocannon)</text>`,
    '</svg>',
    '',
  ].join('\n');
}

export async function scalingBenchmark(dir: string, svgPath: string): Promise<string[]> {
  const points = await concurrencyCurve(dir);
  writeFileSync(svgPath, scalingSvg(points));
  const memory = await memoryCurve(dir);
  const startup = await startupRows(dir);
  return [
    `Scaling, \`batch get-user\` of ${fmt(USERS)} users (chart: ${svgPath.split('/').slice(-2).join('/')}):`,
    '',
    '| concurrency | ceiling ops/s | ceiling p99 ms | iam ops/s (spawn to exit) | iam p99 ms | ratio |',
    '|---|---|---|---|---|---|',
    ...points.map(
      (p) =>
        `| ${p.concurrency} | ${fmt(p.ceiling)} | ${fmt(p.ceilingP99, 1)} | ${fmt(p.ours)} | ${fmt(p.oursP99, 1)} | ${fmt((p.ours / p.ceiling) * 100, 1)}% |`,
    ),
    '',
    'Peak RSS, `batch create-user` on Local:',
    '',
    '| lines | peak RSS | ops/s |',
    '|---|---|---|',
    ...memory,
    '',
    'Start-up, one command spawned to exit (median of 5), its one record:',
    '',
    '| command | spawn to exit |',
    '|---|---|',
    ...startup,
  ];
}
