// `npm run bench` part `ldap` (issue 10): `iam batch create-user` of BENCH_LDAP_USERS (10,000) into a
// real slapd (test/servers/slapd.ts) against the ceiling of a plain loop of the same adds, with the
// same library (ldapts) and the same concurrency, in the same run. Each measured run gets a fresh
// directory (the same empty tree, the same indexes). Ours does per user what a create-user must:
// look the account up (search), add it, read it back (the entryUUID that becomes the record's id);
// the ceiling does the add only, so the ratio is the price of those checks and of the whole CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { ADMIN_DN, ADMIN_PASSWORD, PEOPLE, startSlapd } from '../test/servers/slapd.js';
import type { Measured } from './ceiling.js';
import { profileOf, runCli, summaryOf, writeLines } from './tools.js';

const USERS = Number(process.env.BENCH_LDAP_USERS ?? 10_000);
/** The LDAP brand's default batch concurrency (its connection pool has as many connections). */
const CONCURRENCY = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The entry our default mapping writes for profileOf(name). */
function entryOf(name: string) {
  const p = profileOf(name);
  return {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    uid: p.username,
    mail: p.email,
    givenName: p.givenname,
    sn: p.surname,
    cn: `${p.givenname} ${p.surname}`,
    displayName: `${p.givenname} ${p.surname}`,
  };
}

/** CONCURRENCY bound connections, each adding the next entry until USERS are added. */
async function ceiling(url: string): Promise<Measured> {
  const clients = Array.from({ length: CONCURRENCY }, () => new Client({ url, timeout: 30_000 }));
  await Promise.all(clients.map((c) => c.bind(ADMIN_DN, ADMIN_PASSWORD)));
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      clients.map(async (c) => {
        for (let i = next++; i < USERS; i = next++) {
          const name = `user${i}`;
          await c.add(`uid=${name},${PEOPLE}`, entryOf(name));
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.unbind().catch(() => {})));
  }
  const wallMs = performance.now() - started;
  return { ops: USERS, wallMs, opsPerSecond: (USERS * 1000) / wallMs, p50Ms: Number.NaN, p99Ms: Number.NaN };
}

export async function ldapBenchmark(dir: string): Promise<string[]> {
  const input = join(dir, 'ldap.jsonl');
  await writeLines(input, USERS, (i) => JSON.stringify(profileOf(`user${i}`)));
  const ceilings: Measured[] = [];
  const ours: { opsPerSecond: number; inRun: number; rss: number; p50: number; p99: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`ldap round ${round}/${ROUNDS}: ceiling (plain adds)...\n`);
    let slapd = await startSlapd();
    try {
      ceilings.push(await ceiling(slapd.url));
    } finally {
      await slapd.stop();
    }
    process.stderr.write(`ldap round ${round}/${ROUNDS}: iam batch create-user...\n`);
    slapd = await startSlapd();
    try {
      const config = join(dir, 'ldap.yaml');
      writeFileSync(
        config,
        `instances:\n  dir:\n    brand: LDAP\n    url: ${slapd.url}\n    bindDn: ${ADMIN_DN}\n` +
          `    password: \${env:LDAP_PASSWORD}\n    userBase: ${PEOPLE}\n    groupBase: ou=groups,dc=example,dc=org\n`,
        { mode: 0o600 },
      );
      const run = await runCli(
        [
          'batch',
          'create-user',
          '--input',
          input,
          '--instance',
          'dir',
          '--concurrency',
          String(CONCURRENCY),
        ].concat(['--out', join(dir, 'ldap.out.jsonl')]),
        { IAM_CONFIG: config, LDAP_PASSWORD: ADMIN_PASSWORD },
        dir,
      );
      const s = summaryOf(run.stderr);
      if (run.code !== 0 || s.done !== USERS || s.failed !== 0) {
        throw new Error(
          `ldap create-user: exit ${run.code}, ${s.done} done, ${s.failed} failed\n${run.stderr.slice(-2000)}`,
        );
      }
      ours.push({
        opsPerSecond: (USERS * 1000) / run.wallMs,
        inRun: s.opsPerSecond,
        rss: run.peakRssMb,
        p50: s.p50,
        p99: s.p99,
      });
    } finally {
      await slapd.stop();
    }
  }
  const ceil = ceilings.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
  const us = ours.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
  const ratio = (us.opsPerSecond / ceil.opsPerSecond) * 100;
  process.stderr.write(
    `ldap ceiling: ${ceilings.map((c) => fmt(c.opsPerSecond)).join(', ')} adds/s; ours: ${ours.map((o) => fmt(o.opsPerSecond)).join(', ')} ops/s\n`,
  );
  return [
    `| LDAP (slapd), ${fmt(USERS)} users, concurrency ${CONCURRENCY} | ceiling adds/s | iam create-user ops/s, spawn to exit | ratio | iam ops/s in its run | iam p50 / p99 ms | iam peak RSS MB |`,
    '|---|---|---|---|---|---|---|',
    `| create-user (search + add + read back) | ${fmt(ceil.opsPerSecond)} | ${fmt(us.opsPerSecond)} | **${fmt(ratio, 1)}%** (target ≥ 85%${ratio >= 85 ? '' : ', MISSED'}) | ${fmt(us.inRun)} | ${fmt(us.p50, 1)} / ${fmt(us.p99, 1)} | ${fmt(us.rss)} |`,
  ];
}
