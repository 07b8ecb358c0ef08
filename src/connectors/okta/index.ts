// Okta (Users and Groups API v1) with an API token (`Authorization: SSWS <token>`) or OAuth 2.0
// client credentials of a service app with a private_key_jwt client assertion (Okta's only client
// authentication for okta.* scopes), token from `{orgUrl}/oauth2/v1/token`, cached and fetched
// again before it expires and once on a 401. Written from Okta's published reference and tested
// against a simulator built from it (test/servers/okta/); see README.md.
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import { Secret } from '../../core/secrets.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { type Authenticator, apiKeyAuth, withAuth } from '../../http/auth/authenticator.js';
import { clientAssertion } from '../../http/auth/client-assertion.js';
import { withJson } from '../../http/json.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { OktaClient } from './client.js';
import { oktaGroupOperations } from './groups.js';
import { oktaMappingFields, oktaUserMapping } from './mapping.js';
import { oktaUserOperations } from './users.js';

/** A secret that may span lines (a PEM key): secretSetting refuses line breaks, which belong in a header. */
const keySetting = () =>
  z
    .union([z.string().min(1, 'expected a non-empty key'), z.instanceof(Secret)], {
      error: `expected a secret: a string, \${env:NAME} or \${file:PATH}`,
    })
    .transform((v) => (v instanceof Secret ? v : new Secret(v)))
    .meta({ secret: true });

export const OKTA_SCOPES = 'okta.users.manage okta.groups.manage';

export const oktaSettings = z
  .strictObject({
    ...httpConnectionSettings.shape,
    orgUrl: urlSetting().describe('The Okta org, e.g. https://example.okta.com (the API is {orgUrl}/api/v1)'),
    token: secretSetting()
      .optional()
      .describe(
        `An Okta API token, sent as \`Authorization: SSWS <token>\`; \${env:NAME} or \${file:PATH}. Or use clientId + privateKey`,
      ),
    clientId: z
      .string()
      .min(1, 'expected the client id of the API Services app')
      .optional()
      .describe(
        'OAuth: the client id of an API Services app whose client authentication is Public key / Private key',
      ),
    privateKey: keySetting()
      .optional()
      .describe(
        `OAuth: the app's private key, PKCS#8 PEM or a private JWK (JSON); \${file:PATH} or \${env:NAME}. Signs the client assertion`,
      ),
    keyId: z
      .string()
      .min(1)
      .optional()
      .describe("OAuth: the key's KID as Okta shows it (needed when the app has several keys)"),
    scopes: z
      .string()
      .min(1, 'expected space-separated scopes')
      .default(OKTA_SCOPES)
      .describe(`OAuth: the scopes asked (granted to the app in Okta API Scopes); default ${OKTA_SCOPES}`),
  })
  .superRefine((s, ctx) => {
    const oauth = s.clientId !== undefined || s.privateKey !== undefined;
    if (s.token !== undefined && oauth) {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'give either token (SSWS) or clientId + privateKey (OAuth), not both',
      });
    } else if (!oauth && s.token === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'expected token, or clientId + privateKey' });
    } else if (oauth && (s.clientId === undefined || s.privateKey === undefined)) {
      const missing = s.clientId === undefined ? 'clientId' : 'privateKey';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'OAuth needs both clientId and privateKey' });
    }
  });
export type OktaSettings = z.output<typeof oktaSettings>;

/**
 * The instance limiter's ceiling before Okta's own headers say more. Okta's limits are per
 * endpoint and per minute (Management rate limits page: e.g. /api/v1/users 600 a minute in a
 * Workforce org), and every answer carries X-Rate-Limit-Limit/-Remaining/-Reset: the limiter
 * spreads what is left over the time to the reset (http/rate-limit.ts). This is only the ceiling.
 */
export const OKTA_RATE_LIMIT = { requestsPerSecond: 50, burst: 5 } as const;

export const oktaCapabilities: Capabilities = {
  lookup: ['id', 'login', 'email'],
  memberBatchSize: 100,
  rateLimit: OKTA_RATE_LIMIT,
  // Okta's concurrent limit is 75 per org for API traffic (Additional limits page); a few suffice.
  concurrency: 4,
};

export const oktaConnector: ConnectorDefinition<OktaSettings> = {
  brand: 'Okta',
  description:
    'Okta (Users and Groups API v1) with an SSWS API token or an OAuth service app (private_key_jwt)',
  settings: oktaSettings,
  capabilities: oktaCapabilities,
  mapping: oktaUserMapping,
  mappingFields: oktaMappingFields,
  create(settings, ctx) {
    const known: Secret[] = [];
    const onSecret = (s: Secret) => {
      known.push(s);
      ctx.onSecret?.(s);
    };
    let auth: Authenticator;
    let how: string;
    if (settings.token) {
      known.push(settings.token);
      auth = apiKeyAuth('authorization', settings.token, 'SSWS');
      how = 'an API token (SSWS)';
    } else {
      if (!settings.clientId || !settings.privateKey) throw new Error('unreachable: settings checked');
      known.push(settings.privateKey);
      const tokenFactory = ctx.tokenTransport ?? ctx.transport;
      auth = clientAssertion({
        tokenUrl: `${settings.orgUrl}/oauth2/v1/token`,
        clientId: settings.clientId,
        privateKey: settings.privateKey,
        ...(settings.keyId ? { keyId: settings.keyId } : {}),
        scope: settings.scopes,
        tokenTransport: (baseUrl) => tokenFactory({ baseUrl, headers: {} }),
        onSecret,
      });
      how = `a token of service app ${settings.clientId} (private_key_jwt, scopes ${settings.scopes})`;
    }
    const apiUrl = `${settings.orgUrl}/api/v1`;
    const transport = withJson(withAuth(ctx.transport({ baseUrl: apiUrl, headers: {} }), auth));
    const client = new OktaClient({
      transport,
      orgUrl: settings.orgUrl,
      secrets: () => known.map((s) => s.reveal()),
    });
    return {
      ...oktaUserOperations(client),
      ...oktaGroupOperations(client),
      async test() {
        const page = await client.page('users', 1);
        return `Okta org ${settings.orgUrl}: ${how} was accepted, GET users?limit=1 answered (${page.items.length} user)`;
      },
      schema: async () => oktaMappingFields,
      close: () => transport.close(),
    };
  },
};
