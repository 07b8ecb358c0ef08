// Rate-limit utilisation on Entra ID (issue 11): `iam batch create-user` of 2,000 users through the
// built CLI against the Graph simulator holding Microsoft's published write quota ("Microsoft Graph
// service-specific throttling limits", identity and access service: 3,000 writes per 2 min 30 s per
// app and tenant = 20 writes/s), scaled to a tenth of its window (300 writes per 15 s, still 20/s)
// so the run is short. Reports one markdown row: brand, limit, achieved writes/s (over the span
// from the first to the last create), share of the limit, 429s, wall time. Reports, never asserts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEntraSimulator } from '../test/servers/entra-id/server.js';
import { runCli, tempDir, writeLines } from './tools.js';

export const ENTRA_BENCH_USERS = 2000;
const QUOTA = { requests: 300, windowMs: 15_000 };

export async function utilisationEntraId(): Promise<string> {
  const dir = tempDir();
  // 20 ms per request: loopback is faster than Graph; the quota, not latency, should bound the run.
  const sim = await startEntraSimulator({ writeQuota: QUOTA, latencyMs: 20 });
  try {
    const config = join(dir.path, 'iam.yaml');
    writeFileSync(
      config,
      `instances:\n  entra:\n    brand: Entra-ID\n    authorityUrl: ${sim.authorityUrl}\n` +
        `    graphUrl: ${sim.graphUrl}\n    tenantId: ${sim.credentials.tenantId}\n` +
        `    clientId: ${sim.credentials.clientId}\n    clientSecret: \${env:ENTRA_SECRET}\n    domain: contoso.com\n`,
    );
    const input = join(dir.path, 'joiners.jsonl');
    await writeLines(input, ENTRA_BENCH_USERS, (i) =>
      JSON.stringify({ username: `joiner${i}`, givenname: 'Joe', surname: `Iner${i}` }),
    );
    const run = await runCli(
      ['batch', 'create-user', '--input', input, '--instance', 'entra', '--no-progress', '--config', config],
      { ENTRA_SECRET: sim.credentials.clientSecret, IAM_AUDIT_LOG: join(dir.path, 'audit.log') },
      dir.path,
    );
    if (run.code !== 0) throw new Error(`iam batch exited ${run.code}: ${run.stderr.slice(0, 3000)}`);
    const creates = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/users');
    const made = creates.filter((r) => r.status === 201);
    const throttled = sim.requests.filter((r) => r.status === 429).length;
    const times = made.map((r) => r.at);
    const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
    const achieved = (made.length - 1) / spanS;
    const limit = QUOTA.requests / (QUOTA.windowMs / 1000);
    return (
      `| Entra-ID | ${limit} (3,000 writes / 150 s) | ${achieved.toFixed(2)} | ${(achieved / limit).toFixed(3)} | ` +
      `${throttled} | ${(run.wallMs / 1000).toFixed(1)} s (${made.length} created) |`
    );
  } finally {
    await sim.close();
    dir.cleanup();
  }
}
