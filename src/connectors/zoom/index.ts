// Zoom (API v2, Users and Groups) behind Server-to-Server OAuth: the `account_credentials` grant
// with the account id, HTTP Basic client authentication, a token cached and fetched again before
// it expires and once on a 401 (the REST kit's clientCredentials). Written from Zoom's published
// reference and tested against a simulator built from it (test/servers/zoom/); see README.md.
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import type { Secret } from '../../core/secrets.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { withAuth } from '../../http/auth/authenticator.js';
import { clientCredentials } from '../../http/auth/oauth.js';
import { withJson } from '../../http/json.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { MEMBER_BATCH_SIZE, ZoomClient } from './client.js';
import { zoomGroupOperations } from './groups.js';
import { zoomMappingFields, zoomUserMapping } from './mapping.js';
import { zoomUserOperations } from './users.js';

export const ZOOM_BASE_URL = 'https://api.zoom.us/v2';
export const ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';

export const zoomSettings = z.strictObject({
  ...httpConnectionSettings.shape,
  accountId: z
    .string()
    .min(1, 'expected the account id of the Server-to-Server OAuth app')
    .describe("The Zoom account id shown on the Server-to-Server OAuth app's credentials page"),
  clientId: z
    .string()
    .min(1, 'expected the client id of the Server-to-Server OAuth app')
    .describe("The Server-to-Server OAuth app's client id"),
  clientSecret: secretSetting().describe(
    `The Server-to-Server OAuth app's client secret; \${env:NAME} or \${file:PATH} references work`,
  ),
  baseUrl: urlSetting().default(ZOOM_BASE_URL).describe(`Zoom API v2 root; default ${ZOOM_BASE_URL}`),
  tokenUrl: urlSetting()
    .default(ZOOM_TOKEN_URL)
    .describe(`Zoom's OAuth token endpoint; default ${ZOOM_TOKEN_URL}`),
  createAction: z
    .enum(['create', 'autoCreate', 'custCreate', 'ssoCreate'])
    .default('create')
    .describe(
      'How create-user creates: `create` (default) invites the user, who stays pending until the invitation is ' +
        'accepted; `autoCreate` (managed domains), `custCreate` (API partners), `ssoCreate` (pre-provisioned SSO) create active users',
    ),
  userType: z
    .union([z.literal(1), z.literal(2), z.literal(4), z.literal(99)], {
      error: 'expected 1 (Basic), 2 (Licensed), 4 (Unassigned without Meetings Basic) or 99 (None)',
    })
    .default(1)
    .describe(
      'Zoom user `type` sent on create when the profile gives none: 1 Basic (default), 2 Licensed, 4, 99',
    ),
  deleteAction: z
    .enum(['disassociate', 'delete'])
    .default('disassociate')
    .describe(
      'What delete-user asks Zoom: `disassociate` (default: the user leaves the account, keeping a basic Zoom ' +
        'account) or `delete` (removed with its data); a pending user is always disassociated',
    ),
});
export type ZoomSettings = z.output<typeof zoomSettings>;

/**
 * Zoom's per-second limits are per account and per request category (Rate limits page): Pro
 * Light 30, Medium 20, Heavy 10 (Free 4/2/1; Business and up 80/60/40). Get, create, update,
 * status and delete are Light; list users and add members are Medium. One limiter per instance,
 * so the Medium rate of a Pro account, with a small burst: other apps of the account share it.
 */
export const ZOOM_RATE_LIMIT = { requestsPerSecond: 20, burst: 5 } as const;

export const zoomCapabilities: Capabilities = {
  lookup: ['id', 'email'],
  memberBatchSize: MEMBER_BATCH_SIZE,
  rateLimit: ZOOM_RATE_LIMIT,
  // The account's per-second limit, not latency, bounds a batch.
  concurrency: 4,
};

export const zoomConnector: ConnectorDefinition<ZoomSettings> = {
  brand: 'Zoom',
  description: 'Zoom (API v2 Users and Groups) with Server-to-Server OAuth',
  settings: zoomSettings,
  capabilities: zoomCapabilities,
  mapping: zoomUserMapping,
  mappingFields: zoomMappingFields,
  closedSchema: true,
  create(settings, ctx) {
    // Every secret seen, hidden from error messages; fetched tokens are also told to the caller.
    const known: Secret[] = [settings.clientSecret];
    const onSecret = (s: Secret) => {
      known.push(s);
      ctx.onSecret?.(s);
    };
    // Token requests are not writes: the token transport is outside the dry run and the audit.
    const tokenFactory = ctx.tokenTransport ?? ctx.transport;
    const auth = clientCredentials({
      tokenUrl: settings.tokenUrl,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      grantType: 'account_credentials',
      params: { account_id: settings.accountId },
      clientAuth: 'basic',
      tokenTransport: (baseUrl) => tokenFactory({ baseUrl, headers: {} }),
      onSecret,
    });
    const transport = withJson(withAuth(ctx.transport({ baseUrl: settings.baseUrl, headers: {} }), auth));
    const client = new ZoomClient({
      transport,
      baseUrl: settings.baseUrl,
      secrets: () => known.map((s) => s.reveal()),
    });
    return {
      ...zoomUserOperations(client, settings),
      ...zoomGroupOperations(client),
      async test() {
        const page = await client.listUsersPage('active', 1);
        const count = page.total === undefined ? '' : ` (${page.total} active users)`;
        return (
          `Zoom account ${settings.accountId}: a token from ${settings.tokenUrl} (account_credentials grant) ` +
          `was accepted by ${settings.baseUrl}, GET users?page_size=1 answered${count}`
        );
      },
      schema: async () => zoomMappingFields,
      close: () => transport.close(),
    };
  },
};
