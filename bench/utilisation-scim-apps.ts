// Rate-limit utilisation of a SCIM-profile brand (issue 12): `iam batch create-user` of BENCH_UTIL_USERS
// (2,000) users through the built CLI against the brand's simulator set at the vendor's published
// limit, one markdown row. BENCH_UTIL_SCALE (default 10) runs the simulator's windows that many times
// faster and gives the instance the brand's default rate times the same factor: the share of the limit
// is the same, the run ten times shorter. The limit column is the scaled figure.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest } from '../test/servers/scim-server.js';
import { profileOf, runCli, summaryOf, tempDir, writeLines } from './tools.js';

export const UTIL_USERS = Number(process.env.BENCH_UTIL_USERS ?? 2000);
export const UTIL_SCALE = Number(process.env.BENCH_UTIL_SCALE ?? 10);

export interface UtilisationTarget {
  brand: string;
  /** The published limit the run is held to, in creates a second (unscaled), and where it is from. */
  limitPerSecond: number;
  source: string;
  /** The instance's YAML lines (indented four spaces), secrets as ${env:TOKEN}. */
  instance: string[];
  token: string;
  requests: RecordedRequest[];
  /** Rate-limit refusals the simulator answered (429, or GitHub's 403). */
  refused(): number;
  users(): unknown[];
}

export async function utilisationRow(target: UtilisationTarget): Promise<string> {
  const dir = tempDir();
  try {
    const input = join(dir.path, 'users.jsonl');
    await writeLines(input, UTIL_USERS, (i) => JSON.stringify(profileOf(`util${i}`)));
    const config = join(dir.path, 'iam.yaml');
    writeFileSync(config, `instances:\n  app:\n${target.instance.join('\n')}\n`, { mode: 0o600 });
    const run = await runCli(
      ['batch', 'create-user', '--input', input, '--instance', 'app', '--out', join(dir.path, 'out.jsonl')],
      { IAM_CONFIG: config, TOKEN: target.token },
      dir.path,
    );
    const s = summaryOf(run.stderr);
    if (run.code !== 0 || s.done !== UTIL_USERS || s.failed !== 0 || target.users().length !== UTIL_USERS) {
      throw new Error(
        `${target.brand}: exit ${run.code}, ${s.done} done, ${s.failed} failed\n${run.stderr.slice(-1500)}`,
      );
    }
    const creates = target.requests.filter((r) => r.method === 'POST' && r.status === 201).length;
    const limit = target.limitPerSecond * UTIL_SCALE;
    const achieved = (creates * 1000) / run.wallMs;
    return (
      `| ${target.brand} | ${limit.toFixed(2)} (${target.source}, x${UTIL_SCALE}) | ${achieved.toFixed(2)} | ` +
      `${(achieved / limit).toFixed(3)} | ${target.refused()} | ${(run.wallMs / 1000).toFixed(1)} s |`
    );
  } finally {
    dir.cleanup();
  }
}

export const UTILISATION_HEADER =
  '| brand | limit, creates/s | achieved, creates/s | share of the limit | 429s | wall time |\n|---|---|---|---|---|---|';
