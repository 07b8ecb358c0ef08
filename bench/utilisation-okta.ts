// Rate-limit utilisation on Okta (issue 11): `iam batch create-user` of 2,000 users through the
// built CLI against the Okta simulator limited as a Workforce org is. Okta's Management rate limits
// page gives /api/v1/users (create user, list and search users) 600 requests a minute; the
// simulator keeps 600 per window but shortens the minute to 15 s, so the limit is 40 requests/s
// and the run takes under two minutes. Each create is a search by login and a POST, both in the
// /api/v1/users bucket. The instance runs with the brand's defaults: the limiter paces itself from
// Okta's X-Rate-Limit-Remaining/-Reset headers (http/rate-limit.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOktaSimulator } from '../test/servers/okta/server.js';
import { runCli, tempDir, writeLines } from './tools.js';

const USERS = 2_000;
const PER_WINDOW = 600;
const WINDOW_MS = 15_000;

export async function utilisationOkta(): Promise<string> {
  const limit = PER_WINDOW / (WINDOW_MS / 1000);
  const sim = await startOktaSimulator({
    rateLimits: { users: PER_WINDOW, user: 2_000, groups: 500 },
    windowMs: WINDOW_MS,
  });
  const dir = tempDir();
  try {
    const config = join(dir.path, 'iam.yaml');
    writeFileSync(
      config,
      `instances:\n  okta:\n    brand: Okta\n    orgUrl: ${sim.orgUrl}\n    token: \${env:OKTA_TOKEN}\n`,
    );
    const input = join(dir.path, 'users.jsonl');
    await writeLines(input, USERS, (i) =>
      JSON.stringify({
        username: `bench${i}@example.com`,
        email: `bench${i}@example.com`,
        givenname: 'Bench',
        surname: `User${i}`,
      }),
    );
    const run = await runCli(
      ['batch', 'create-user', '--input', input, '--instance', 'okta', '--config', config, '--no-progress'],
      { OKTA_TOKEN: sim.apiToken, IAM_AUDIT_LOG: join(dir.path, 'audit.log') },
      dir.path,
    );
    if (run.code !== 0) throw new Error(`batch failed (${run.code}): ${run.stderr.slice(0, 500)}`);
    if (sim.store.users.size !== USERS)
      throw new Error(`${sim.store.users.size} users created, not ${USERS}`);
    const inBucket = sim.requests.filter((r) => r.path === '/api/v1/users');
    const first = sim.requests[0]?.at ?? 0;
    const last = sim.requests.at(-1)?.at ?? first;
    const served = inBucket.filter((r) => r.status !== 429).length;
    const achieved = served / ((last - first) / 1000);
    const refused = sim.rateLimiter.refused.users;
    return (
      `| Okta | ${limit.toFixed(1)} | ${achieved.toFixed(1)} | ${(achieved / limit).toFixed(2)} | ${refused} ` +
      `| ${(run.wallMs / 1000).toFixed(1)} s |`
    );
  } finally {
    dir.cleanup();
    await sim.close();
  }
}
