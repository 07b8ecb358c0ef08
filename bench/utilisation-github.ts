// GitHub's rate-limit utilisation (issue 12): see utilisation-scim-apps.ts. The limit is the secondary
// one, "no more than 80 content-generating requests per minute" (Rate limits for the REST API), 1.33
// creates a second; the primary 5,000 an hour is scaled with it.
import { GITHUB_RATE_LIMIT } from '../src/connectors/github/profile.js';
import { startGithubSimulator } from '../test/servers/github/server.js';
import { UTIL_SCALE, utilisationRow } from './utilisation-scim-apps.js';

export async function utilisationGithub(): Promise<string> {
  const server = await startGithubSimulator({ rateLimits: { scale: UTIL_SCALE } });
  try {
    return await utilisationRow({
      brand: 'GitHub',
      limitPerSecond: 80 / 60,
      source: '80 content-generating requests/min',
      instance: [
        '    brand: GitHub',
        `    baseUrl: ${server.baseUrl}`,
        `    enterprise: ${server.enterprise}`,
        `    token: \${env:TOKEN}`,
        `    rateLimit: { requestsPerSecond: ${GITHUB_RATE_LIMIT.requestsPerSecond * UTIL_SCALE}, burst: ${GITHUB_RATE_LIMIT.burst} }`,
      ],
      token: server.token,
      requests: server.requests,
      refused: () => server.throttled(),
      users: () => server.users(),
    });
  } finally {
    await server.close();
  }
}
