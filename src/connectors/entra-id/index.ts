// Microsoft Entra ID through Microsoft Graph v1.0 (users and groups), as a daemon app: the OAuth
// 2.0 client credentials grant at `{authorityUrl}/{tenantId}/oauth2/v2.0/token` with the scope
// `{graphUrl}/.default`, the client authenticating with its secret (client_secret_post) or with a
// client assertion signed by its certificate's private key (RFC 7523; the `x5t` header is the
// certificate's SHA-1 thumbprint, as Microsoft requires). The token is cached and fetched again
// before it expires and once on a 401 (the REST kit). Written from Microsoft's published reference
// and tested against a simulator built from it (test/servers/entra-id/); see README.md.
import { createHash, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import { Secret } from '../../core/secrets.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { withAuth } from '../../http/auth/authenticator.js';
import { privateKeyJwt } from '../../http/auth/jwt.js';
import { clientCredentials } from '../../http/auth/oauth.js';
import { withJson } from '../../http/json.js';
import { httpConnectionSettings } from '../../http/settings.js';
import type { RateLimit } from '../../http/transport.js';
import { GraphClient, MEMBER_BATCH_SIZE } from './client.js';
import { entraGroupOperations } from './groups.js';
import { entraMappingFields, entraUserMapping } from './mapping.js';
import { entraUserOperations } from './users.js';

export const ENTRA_AUTHORITY_URL = 'https://login.microsoftonline.com';
export const GRAPH_URL = 'https://graph.microsoft.com';

const certificateOk = (pem: string): boolean => {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
};

/** A PEM private key: a secret of several lines (a `${file:}` reference keeps it out of the config). */
const pemSecret = () =>
  z
    .union([z.string().min(1, 'expected a PEM private key'), z.instanceof(Secret)], {
      error: `expected a PEM private key: \${file:PATH} or \${env:NAME}`,
    })
    .transform((v) => (v instanceof Secret ? v : new Secret(v)))
    .meta({ secret: true });

export const entraSettings = z
  .strictObject({
    ...httpConnectionSettings.shape,
    tenantId: z
      .string()
      .min(
        1,
        'expected the directory (tenant) id, a GUID, or a verified domain such as contoso.onmicrosoft.com',
      )
      .regex(/^[A-Za-z0-9.-]+$/, 'expected the directory (tenant) id (a GUID) or a verified domain')
      .describe('The directory (tenant) id of the Microsoft Entra tenant, or one of its verified domains'),
    clientId: z
      .string()
      .min(1, 'expected the application (client) id of the app registration')
      .describe('The application (client) id of the app registration'),
    clientSecret: secretSetting()
      .optional()
      .describe(
        'A client secret of the app registration (its value, not its id); or use certificate + privateKey',
      ),
    certificate: z
      .string()
      .refine(certificateOk, 'expected a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)')
      .optional()
      .describe(
        `The PEM certificate uploaded to the app registration (\${file:PATH} works), with privateKey`,
      ),
    privateKey: pemSecret()
      .optional()
      .describe(
        `The certificate's PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); \${file:PATH} or \${env:NAME}`,
      ),
    authorityUrl: urlSetting()
      .default(ENTRA_AUTHORITY_URL)
      .describe(
        `Microsoft identity platform authority; default ${ENTRA_AUTHORITY_URL} (national clouds differ)`,
      ),
    graphUrl: urlSetting()
      .default(GRAPH_URL)
      .describe(`Microsoft Graph root, without /v1.0; default ${GRAPH_URL} (national clouds differ)`),
    domain: z
      .string()
      .regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'expected a verified domain such as contoso.com (no @)')
      .optional()
      .describe('Appended to a username without @ to form the userPrincipalName (user@domain)'),
  })
  .superRefine((s, ctx) => {
    const cert = s.certificate !== undefined || s.privateKey !== undefined;
    if (s.clientSecret === undefined && !cert) {
      // No path: a missing key's issue would read "clientSecret is required", hiding the alternative.
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'expected clientSecret, or certificate and privateKey',
      });
    } else if (s.clientSecret !== undefined && cert) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'give clientSecret or certificate + privateKey, not both',
      });
    } else if (cert && (s.certificate === undefined || s.privateKey === undefined)) {
      const missing = s.certificate === undefined ? 'certificate' : 'privateKey';
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `certificate and privateKey go together: ${missing} is missing`,
      });
    }
  });
export type EntraSettings = z.output<typeof entraSettings>;

/**
 * "Microsoft Graph service-specific throttling limits", identity and access service: per app and
 * tenant, a write quota of 3,000 requests per 2 min 30 s (20 per second), reads on a separate
 * resource-unit quota (3,500 to 8,000 per 10 s by tenant size). So the instance paces writes only,
 * a little under the quota: at most 5 + 19.5 x 150 = 2,930 writes in any 150 s.
 */
export const ENTRA_RATE_LIMIT: RateLimit = {
  requestsPerSecond: 19.5,
  burst: 5,
  methods: ['POST', 'PATCH', 'DELETE'],
};

export const entraCapabilities: Capabilities = {
  lookup: ['id', 'userPrincipalName', 'mail'],
  memberBatchSize: MEMBER_BATCH_SIZE,
  rateLimit: ENTRA_RATE_LIMIT,
  concurrency: 4,
};

/** base64url SHA-1 of the certificate's DER: the `x5t` header Microsoft reads. */
export const x5t = (pem: string): string =>
  createHash('sha1').update(new X509Certificate(pem).raw).digest('base64url');

export const entraConnector: ConnectorDefinition<EntraSettings> = {
  brand: 'Entra-ID',
  description: 'Microsoft Entra ID (Microsoft Graph v1.0 users and groups) with OAuth client credentials',
  settings: entraSettings as unknown as z.ZodType<EntraSettings>,
  capabilities: entraCapabilities,
  mapping: entraUserMapping,
  mappingFields: entraMappingFields,
  create(settings, ctx) {
    const known: Secret[] = [];
    for (const s of [settings.clientSecret, settings.privateKey]) if (s) known.push(s);
    const onSecret = (s: Secret) => {
      known.push(s);
      ctx.onSecret?.(s);
    };
    const tokenFactory = ctx.tokenTransport ?? ctx.transport;
    const tokenUrl = `${settings.authorityUrl}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`;
    const scope = `${new URL(settings.graphUrl).origin}/.default`;
    const tokenTransport = (baseUrl: string) => tokenFactory({ baseUrl, headers: {} });
    const auth =
      settings.certificate !== undefined && settings.privateKey !== undefined
        ? privateKeyJwt({
            tokenUrl,
            clientId: settings.clientId,
            scope,
            privateKey: settings.privateKey,
            header: { x5t: x5t(settings.certificate) },
            tokenTransport,
            onSecret,
          })
        : clientCredentials({
            tokenUrl,
            clientId: settings.clientId,
            clientSecret: settings.clientSecret as Secret,
            scope,
            clientAuth: 'post',
            tokenTransport,
            onSecret,
          });
    const transport = withJson(
      withAuth(ctx.transport({ baseUrl: `${settings.graphUrl}/v1.0`, headers: {} }), auth),
    );
    const client = new GraphClient({
      transport,
      graphUrl: settings.graphUrl,
      secrets: () => known.map((s) => s.reveal()),
    });
    return {
      ...entraUserOperations(client, { domain: settings.domain }),
      ...entraGroupOperations(client),
      async test() {
        const page = await client.listUsersPage(1);
        return (
          `Entra ID tenant ${settings.tenantId}: a token from ${tokenUrl} (client credentials, ` +
          `${settings.certificate ? 'certificate' : 'client secret'}) was accepted by ${settings.graphUrl}, ` +
          `GET /v1.0/users?$top=1 answered ${page.items.length} user(s)`
        );
      },
      schema: async () => entraMappingFields,
      close: () => transport.close(),
    };
  },
};
