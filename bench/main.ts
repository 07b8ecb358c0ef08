// `npm run bench`: how close `iam batch` comes to the raw HTTP ceiling of the loopback SCIM server,
// how close `iam batch create-user` on the Local brand comes to SQLite alone (bench/local-ceiling.ts)
// and how much memory its 1,000,000-line input takes, and how fast `iam` starts.
// Our side is always the built CLI (dist/cli/main.js) as a separate process, the way users run it;
// the ceiling is autocannon in this process. Both hit the same server process (bench/
// scim-server-child.ts, on a core of its own as far as the machine has them), with the same
// concurrency and the same requests. Sizes: BENCH_USERS (10000), BENCH_LOCAL_LINES (1000000),
// BENCH_ROUNDS (3); BENCH_ONLY=scim,local,ldap,limits,serve,scim-gateway,startup,mapping runs some parts only (ldap:
// bench/ldap.ts, BENCH_LDAP_USERS, a real slapd; serve: bench/serve.ts, the HTTP API against the
// library; mapping: bench/mapping-rules.ts, the engine); --scaling: bench/scaling.ts only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createCeiling, getCeiling, type Measured, seed } from './ceiling.js';
import { ldapBenchmark } from './ldap.js';
import { CEILING_GROUP, localCeiling } from './local-ceiling.js';
import { mappingBenchmark } from './mapping-rules.js';
import { scalingBenchmark } from './scaling.js';
import { scimGatewayBenchmark } from './scim-gateway.js';
import { serveBenchmark } from './serve.js';
import {
  CLI,
  type CliRun,
  medianSpawnMs,
  profileOf,
  runCli,
  startScimChild,
  summaryOf,
  tempDir,
  writeLines,
} from './tools.js';
import { utilisationEntraId } from './utilisation-entra-id.js';
import { utilisationGithub } from './utilisation-github.js';
import { utilisationGoogleWorkspace } from './utilisation-google-workspace.js';
import { utilisationOkta } from './utilisation-okta.js';
import { utilisationSlack } from './utilisation-slack.js';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const LOCAL_LINES = Number(process.env.BENCH_LOCAL_LINES ?? 1_000_000);
const CONCURRENCY = 32;
const STARTUP_RUNS = 21;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * BENCH_BASE=<another build's cli/main.js> (e.g. an older commit's dist): its batch get-user and
 * create-user run in the same rounds against the same server and ceiling, so "no slower than
 * before" is one run's comparison, not a comparison with figures from another day.
 */
const ROOT_DIR = resolve(import.meta.dirname, '..');
const BASE = process.env.BENCH_BASE ? resolve(process.env.BENCH_BASE) : undefined;

/** BENCH_ONLY=scim,local,ldap,limits,serve,startup,mapping runs a part (default: all). */
const scaling = process.argv.includes('--scaling') || process.env.npm_config_scaling === 'true';
/** `npm run bench --scaling` runs only the scaling curves (bench/scaling.ts). */
const wanted = (part: string) =>
  (process.env.BENCH_ONLY ?? (scaling ? 'scaling' : part === 'scaling' ? '' : part))
    .split(',')
    .includes(part);

const best = <T extends Measured>(runs: T[]): T =>
  runs.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));

interface Ours extends Measured {
  peakRssMb: number;
  /** The CLI's own rate, from its first read to its last record (no process start-up). */
  inRunOpsPerSecond: number;
}

function ours(run: CliRun, expected: number, what: string): Ours {
  const s = summaryOf(run.stderr);
  if (run.code !== 0 || s.done !== expected || s.failed !== 0) {
    throw new Error(
      `${what}: exit ${run.code}, ${s.done} done, ${s.failed} failed\n${run.stderr.slice(-2000)}`,
    );
  }
  return {
    ops: s.done,
    wallMs: run.wallMs,
    // From spawn to exit: process start, config load and the last write are all counted.
    opsPerSecond: (s.done * 1000) / run.wallMs,
    p50Ms: s.p50,
    p99Ms: s.p99,
    peakRssMb: run.peakRssMb,
    inRunOpsPerSecond: s.opsPerSecond,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function row(name: string, ceiling: Measured, us: Ours, target: number): string {
  const ratio = (us.opsPerSecond / ceiling.opsPerSecond) * 100;
  const inRun = (us.inRunOpsPerSecond / ceiling.opsPerSecond) * 100;
  return (
    `| ${name} | ${fmt(ceiling.opsPerSecond)} | ${fmt(us.opsPerSecond)} | **${fmt(ratio, 1)}%** ` +
    `(target ≥ ${target}%${ratio >= target ? '' : ', MISSED'}) | ${fmt(us.inRunOpsPerSecond)} (${fmt(inRun, 1)}%) ` +
    `| ${fmt(ceiling.p50Ms, 1)} / ${fmt(ceiling.p99Ms, 1)} | ${fmt(us.p50Ms, 1)} / ${fmt(us.p99Ms, 1)} | ${fmt(us.peakRssMb)} |`
  );
}

async function scimBenchmarks(dir: string): Promise<string[]> {
  const server = await startScimChild();
  try {
    const config = join(dir, 'iam.yaml');
    writeFileSync(
      config,
      `instances:\n  bench:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:BENCH_SCIM_TOKEN}\n`,
    );
    const env = { IAM_CONFIG: config, BENCH_SCIM_TOKEN: server.token };
    const batch = (command: string, input: string, cli = CLI) =>
      runCli(
        [
          'batch',
          command,
          '--input',
          input,
          '--instance',
          'bench',
          '--concurrency',
          String(CONCURRENCY),
        ].concat(['--out', join(dir, `${command}.out.jsonl`)]),
        env,
        dir,
        cli,
      );

    process.stderr.write(`seeding ${USERS} users...\n`);
    await seed(server, 'user', USERS);
    const names = Array.from({ length: USERS }, (_, i) => `user${i}`);
    const getInput = join(dir, 'get.jsonl');
    await writeLines(getInput, USERS, (i) => JSON.stringify({ username: names[i] }));
    const createInput = join(dir, 'create.jsonl');
    await writeLines(createInput, USERS, (i) => JSON.stringify(profileOf(`ours${i}`)));
    process.stderr.write('warming up...\n');
    await getCeiling(server, names, Math.min(USERS, 2000), CONCURRENCY);
    await batch('get-user', getInput);

    // Rounds alternate ceiling and ours, and the best of each is kept: a busy moment on a shared
    // machine then cannot favour one side.
    const getMax: Measured[] = [];
    const getUs: Ours[] = [];
    const createMax: Measured[] = [];
    const createUs: Ours[] = [];
    const getBase: Ours[] = [];
    const createBase: Ours[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`round ${round}/${ROUNDS}: get-user...\n`);
      getMax.push(await getCeiling(server, names, USERS, CONCURRENCY));
      getUs.push(ours(await batch('get-user', getInput), USERS, 'iam batch get-user'));
      if (BASE) getBase.push(ours(await batch('get-user', getInput, BASE), USERS, 'base batch get-user'));
      process.stderr.write(`round ${round}/${ROUNDS}: create-user...\n`);
      await server.reset();
      await seed(server, 'user', USERS);
      createMax.push(await createCeiling(server, 'ceil', USERS, CONCURRENCY));
      await server.reset();
      await seed(server, 'user', USERS);
      createUs.push(ours(await batch('create-user', createInput), USERS, 'iam batch create-user'));
      const stored = await server.count();
      if (stored !== 2 * USERS)
        throw new Error(`create-user: the server holds ${stored} users, expected ${2 * USERS}`);
      if (BASE) {
        await server.reset();
        await seed(server, 'user', USERS);
        createBase.push(ours(await batch('create-user', createInput, BASE), USERS, 'base batch create-user'));
      }
    }
    const all = (name: string, runs: Measured[]) =>
      `${name}: ${runs.map((r) => fmt(r.opsPerSecond)).join(', ')} ops/s`;
    process.stderr.write(
      `${[all('get ceiling', getMax), all('get ours', getUs), all('create ceiling', createMax), all('create ours', createUs)].join('\n')}\n`,
    );

    return [
      `| ${fmt(USERS)} users, concurrency ${CONCURRENCY} | ceiling ops/s | iam ops/s, spawn to exit | ratio | iam ops/s in its run (ratio) | ceiling p50 / p99 ms | iam p50 / p99 ms | iam peak RSS MB |`,
      '|---|---|---|---|---|---|---|---|',
      row('get-user', best(getMax), best(getUs), 85),
      row('create-user (lookup + POST)', best(createMax), best(createUs), 70),
      ...(BASE
        ? [
            row(`get-user, base build ${BASE}`, best(getMax), best(getBase), 85),
            row(`create-user, base build ${BASE}`, best(createMax), best(createBase), 70),
          ]
        : []),
    ];
  } finally {
    await server.stop();
  }
}

async function localBenchmark(dir: string): Promise<string[]> {
  const input = join(dir, 'local.jsonl');
  process.stderr.write(`local: writing ${fmt(LOCAL_LINES)} lines...\n`);
  await writeLines(input, LOCAL_LINES, (i) => JSON.stringify(profileOf(`u${i}`)));
  const config = join(dir, 'local.yaml');
  writeFileSync(config, `instances:\n  local:\n    brand: Local\n    path: ${join(dir, 'local.db')}\n`);
  process.stderr.write('local: iam batch create-user...\n');
  const run = await runCli(
    ['batch', 'create-user', '--input', input, '--instance', 'local', '--out', '/dev/null'],
    { IAM_CONFIG: config },
    dir,
  );
  const us = ours(run, LOCAL_LINES, 'iam batch create-user (Local)');
  const stored = countUsers(join(dir, 'local.db'));
  if (stored !== LOCAL_LINES)
    throw new Error(`Local: the store holds ${stored} users, expected ${LOCAL_LINES}`);
  process.stderr.write(`local: ceiling (better-sqlite3 alone, a commit per ${CEILING_GROUP})...\n`);
  const ceiling = localCeiling(join(dir, 'ceiling.db'), LOCAL_LINES);
  const ratio = (us.opsPerSecond / ceiling.opsPerSecond) * 100;
  const inRun = (us.inRunOpsPerSecond / ceiling.opsPerSecond) * 100;
  const rss = us.peakRssMb < 120 ? '' : ', MISSED';
  return [
    `| Local, ${fmt(LOCAL_LINES)}-line JSONL, create-user | ceiling ops/s | iam ops/s, spawn to exit | ratio | iam ops/s in its run (ratio) | iam peak RSS MB | iam wall s |`,
    '|---|---|---|---|---|---|---|',
    `| better-sqlite3 loop, a commit per ${CEILING_GROUP} | ${fmt(ceiling.opsPerSecond)} | ${fmt(us.opsPerSecond)} | **${fmt(ratio, 1)}%** ` +
      `(target ≥ 50%${ratio >= 50 ? '' : ', MISSED'}) | ${fmt(us.inRunOpsPerSecond)} (${fmt(inRun, 1)}%) ` +
      `| **${fmt(us.peakRssMb)}** (target < 120${rss}) | ${fmt(us.wallMs / 1000, 1)} |`,
  ];
}

function countUsers(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function startup(): string[] {
  const node: number[] = [];
  const iam: number[] = [];
  // Interleaved, so a busy moment of the machine hits both alike.
  for (let i = 0; i < STARTUP_RUNS; i++) {
    node.push(medianSpawnMs(['-e', '0'], 1));
    iam.push(medianSpawnMs([CLI, '--version'], 1));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;
  const ratio = median(iam) / median(node);
  return [
    `| startup (median of ${STARTUP_RUNS}) | \`node -e 0\` ${fmt(median(node), 1)} ms | \`iam --version\` ${fmt(median(iam), 1)} ms | **${fmt(ratio, 2)}×** (target < 2.5×${ratio < 2.5 ? '' : ', MISSED'}) |`,
  ];
}

/**
 * Rate-limit utilisation (issues 11 and 12): `batch create-user` of 2,000 users against each vendor
 * simulator set to the vendor's published limit: achieved requests per second as a share of it,
 * and the 429s (or the vendor's quota answers) it earned.
 */
async function utilisation(): Promise<string[]> {
  const rows: string[] = [];
  for (const run of [
    utilisationOkta,
    utilisationEntraId,
    utilisationGoogleWorkspace,
    utilisationSlack,
    utilisationGithub,
  ]) {
    process.stderr.write(`limits: ${run.name}...\n`);
    rows.push(await run());
  }
  return [
    '| brand | published limit (req/s) | achieved req/s | share of the limit | 429s / quota refusals | wall time |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const dir = tempDir();
  try {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    const lines = [
      `iam-commands ${pkg.version}; node ${process.version}; ${availableParallelism()} CPUs; ${fmt(totalmem() / 2 ** 30, 1)} GiB`,
    ];
    if (wanted('scim')) lines.push('', ...(await scimBenchmarks(dir.path)));
    if (wanted('local')) lines.push('', ...(await localBenchmark(dir.path)));
    if (wanted('ldap')) lines.push('', ...(await ldapBenchmark(dir.path)));
    if (wanted('limits')) lines.push('', ...(await utilisation()));
    if (wanted('serve')) lines.push('', ...(await serveBenchmark(dir.path)));
    if (wanted('scim-gateway')) {
      const g = await scimGatewayBenchmark();
      lines.push(
        '',
        `| SCIM gateway, filtered GET /Users (userName eq), Local, ${fmt(g.users)} users, concurrency 32 | req/s | p99 ms | peak RSS MB |`,
        '|---|---|---|---|',
        `| library in-process (ceiling) | ${fmt(g.library.requestsPerSecond)} | ${fmt(g.library.p99Ms, 1)} | |`,
        `| iam serve, /scim/local/v2/Users | ${fmt(g.gateway.requestsPerSecond)} | ${fmt(g.gateway.p99Ms, 1)} | ${fmt(g.gateway.peakRssMb)} |`,
        `| ratio | **${fmt(g.ratio * 100, 1)}%** (aim >= 80%${g.ratio >= 0.8 ? '' : ', MISSED'}) | | |`,
      );
    }
    if (wanted('startup')) lines.push('', ...startup());
    if (wanted('scaling'))
      lines.push(
        '',
        ...(await scalingBenchmark(
          dir.path,
          process.env.BENCH_SCALING_SVG ?? join(ROOT_DIR, 'docs/scaling.svg'),
        )),
      );
    if (wanted('mapping')) lines.push('', ...(await mappingBenchmark(dir.path)));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    dir.cleanup();
  }
}

await main();
