// Rate-limit utilisation on Google Workspace (issue 11): `iam batch create-user` of 2,000 users
// through the built CLI against the Directory API simulator limited to Google's published quota,
// scaled to a second: "2,400 queries per minute per user per Google Cloud project" (Directory API
// "Limits and quotas", 403 userRateLimitExceeded beyond it) = 40 requests a second. Returns one
// markdown table row: brand, limit, achieved req/s, share of the limit, refusals, wall time.
import { join } from 'node:path';
import { startGoogleSimulator } from '../test/servers/google/server.js';
import { profileOf, runCli, summaryOf, tempDir, writeLines } from './tools.js';

const USERS = 2_000;
/** 2,400 queries a minute, as a per-second figure. */
const LIMIT_PER_SECOND = 40;

export async function utilisationGoogleWorkspace(): Promise<string> {
  const sim = await startGoogleSimulator({ quotaPerSecond: LIMIT_PER_SECOND });
  const dir = tempDir();
  try {
    const keyFile = join(dir.path, 'key.json');
    await writeLines(keyFile, 1, () => sim.serviceAccountKey);
    const config = join(dir.path, 'iam.yaml');
    await writeLines(config, 1, () =>
      [
        'instances:',
        '  google:',
        '    brand: Google-Workspace',
        `    baseUrl: ${sim.baseUrl}`,
        `    serviceAccountKey: \${file:${keyFile}}`,
        `    subject: ${sim.admin}`,
      ].join('\n'),
    );
    const input = join(dir.path, 'users.jsonl');
    await writeLines(input, USERS, (i) => JSON.stringify(profileOf(`gw${i}`)));
    const run = await runCli(
      ['batch', 'create-user', '--instance', 'google', '--input', input, '--config', config, '--no-progress'],
      { IAM_AUDIT_LOG: join(dir.path, 'audit.log') },
      dir.path,
    );
    const summary = summaryOf(run.stderr);
    if (run.code !== 0 || summary.failed > 0) throw new Error(`batch failed:\n${run.stderr.slice(-2000)}`);
    const api = sim.requests.filter((r) => r.path.startsWith('/admin/'));
    const accepted = api.filter((r) => r.status !== 403);
    const first = api[0]?.at ?? 0;
    const last = api[api.length - 1]?.at ?? first;
    const achieved = accepted.length / Math.max(0.001, (last - first) / 1000);
    const share = achieved / LIMIT_PER_SECOND;
    return (
      `| Google-Workspace | ${LIMIT_PER_SECOND} | ${achieved.toFixed(1)} | ${share.toFixed(2)} | ` +
      `${sim.quotaRefusals()} (403 userRateLimitExceeded) | ${(run.wallMs / 1000).toFixed(1)} s |`
    );
  } finally {
    dir.cleanup();
    await sim.close();
  }
}
