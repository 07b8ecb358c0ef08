// Slack's rate-limit utilisation (issue 12): see utilisation-scim-apps.ts. The limit is "Create a user:
// POST /scim/VERSION/Users, 180 requests per minute" (docs.slack.dev/reference/scim-api/rate-limits),
// 3 creates a second; the simulator also holds every other set of that page.
import { SLACK_RATE_LIMIT } from '../src/connectors/slack/profile.js';
import { startSlackSimulator } from '../test/servers/slack/server.js';
import { UTIL_SCALE, utilisationRow } from './utilisation-scim-apps.js';

export async function utilisationSlack(): Promise<string> {
  const server = await startSlackSimulator({ rateLimits: UTIL_SCALE });
  try {
    return await utilisationRow({
      brand: 'Slack',
      limitPerSecond: 180 / 60,
      source: 'POST /Users 180/min',
      instance: [
        '    brand: Slack',
        `    baseUrl: ${server.url}`,
        `    token: \${env:TOKEN}`,
        `    rateLimit: { requestsPerSecond: ${SLACK_RATE_LIMIT.requestsPerSecond * UTIL_SCALE}, burst: ${SLACK_RATE_LIMIT.burst} }`,
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
