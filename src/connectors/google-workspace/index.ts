// Google Workspace: the Admin SDK Directory API (directory/v1) users, groups and members, as a
// service account acting for an admin through domain-wide delegation. The service account signs a
// JWT (RFC 7523, RS256, `sub` = the admin) with its key, locally, and exchanges it at the key's
// token_uri for an access token with the least scopes the commands need (REST kit's jwtBearer).
// Written from Google's published reference and tested against a simulator built from it
// (test/servers/google/); see README.md.
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import { AppError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import { urlSetting } from '../../core/settings.js';
import { type Authenticator, withAuth } from '../../http/auth/authenticator.js';
import { jwtBearer } from '../../http/auth/jwt.js';
import { withJson } from '../../http/json.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { GoogleClient } from './client.js';
import { googleErrorHook, isGoogleRateLimited } from './errors.js';
import { googleGroupOperations } from './groups.js';
import { keyProblem, readServiceAccountKey } from './key.js';
import { googleMappingFields, googleUserMapping } from './mapping.js';
import { googleUserOperations } from './users.js';

export const GOOGLE_BASE_URL = 'https://admin.googleapis.com';
/** The least scopes for users and groups with their members (Directory API "Authorize requests"). */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user',
  'https://www.googleapis.com/auth/admin.directory.group',
] as const;

const email = (what: string) =>
  z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, `expected the email address of ${what}`);

const serviceAccountKey = z
  .union([z.string().min(1), z.instanceof(Secret), z.record(z.string(), z.unknown())], {
    error: `expected the service account JSON key: \${file:PATH} to the key file, or its JSON`,
  })
  .transform((v, ctx) => {
    const secret = v instanceof Secret ? v : new Secret(typeof v === 'string' ? v : JSON.stringify(v));
    const problem = keyProblem(secret.reveal());
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return secret;
  })
  .meta({ secret: true });

export const googleSettings = z.strictObject({
  ...httpConnectionSettings.shape,
  serviceAccountKey: serviceAccountKey.describe(
    `The service account JSON key (a secret): \${file:PATH} to the key file, or its JSON; ` +
      'private_key, client_email and token_uri are read from it',
  ),
  subject: email('the admin to act as').describe(
    'The admin the service account acts as through domain-wide delegation (the JWT `sub`)',
  ),
  customer: z
    .string()
    .min(1, 'expected a customer id, or my_customer')
    .default('my_customer')
    .describe("The customer whose users and groups are listed; default my_customer (the admin's own)"),
  baseUrl: urlSetting().default(GOOGLE_BASE_URL).describe(`Admin SDK root; default ${GOOGLE_BASE_URL}`),
  tokenUrl: urlSetting().optional().describe("OAuth 2.0 token endpoint; default the key's token_uri"),
  groupDomain: z
    .string()
    .regex(/^[^@\s]+\.[^@\s]+$/, 'expected a domain name, e.g. example.com')
    .optional()
    .describe("Domain of a new group's email when create-group gives none; default the subject's domain"),
});
export type GoogleSettings = z.output<typeof googleSettings>;

/**
 * Directory API "Limits and quotas": 2,400 queries per minute per user per Google Cloud project
 * (403 userRateLimitExceeded beyond it) = 40 requests a second, with a small burst.
 */
export const GOOGLE_RATE_LIMIT = { requestsPerSecond: 40, burst: 4 } as const;

export const googleCapabilities: Capabilities = {
  lookup: ['id', 'primaryEmail'],
  // members.insert adds one member per request.
  memberBatchSize: 1,
  rateLimit: GOOGLE_RATE_LIMIT,
  concurrency: 8,
};

/**
 * Google refuses a delegated token with `unauthorized_client` when the subject may not be acted for
 * (not an admin, delegation not granted, scopes not authorised): say which subject and what to check.
 */
function explained(auth: Authenticator, subject: string): Authenticator {
  const why = (e: unknown): never => {
    if (!(e instanceof AppError) || e.vendorCode !== 'unauthorized_client') throw e;
    throw new AppError(
      `${e.message}; for Google: check that ${subject} (subject) is a Workspace admin and that domain-wide ` +
        `delegation grants the service account's client id the scopes ${GOOGLE_SCOPES.join(', ')}`,
      { ...(e.status === undefined ? {} : { status: e.status }), vendorCode: e.vendorCode, cause: e },
    );
  };
  return { ...auth, headers: () => auth.headers().catch(why) };
}

export const googleWorkspaceConnector: ConnectorDefinition<GoogleSettings> = {
  brand: 'Google-Workspace',
  description:
    'Google Workspace (Admin SDK Directory API v1 users and groups) with a delegated service account',
  settings: googleSettings,
  capabilities: googleCapabilities,
  mapping: googleUserMapping,
  mappingFields: googleMappingFields,
  create(settings, ctx) {
    const key = readServiceAccountKey(settings.serviceAccountKey);
    const known: Secret[] = [settings.serviceAccountKey, key.privateKey];
    const onSecret = (s: Secret) => {
      known.push(s);
      ctx.onSecret?.(s);
    };
    onSecret(key.privateKey);
    const tokenUrl = settings.tokenUrl ?? key.tokenUri;
    const tokenFactory = ctx.tokenTransport ?? ctx.transport;
    const auth = jwtBearer({
      tokenUrl,
      issuer: key.clientEmail,
      subject: settings.subject,
      scope: GOOGLE_SCOPES,
      privateKey: key.privateKey,
      ...(key.privateKeyId ? { keyId: key.privateKeyId } : {}),
      tokenTransport: (baseUrl) => tokenFactory({ baseUrl, headers: {} }),
      onSecret,
    });
    const apiUrl = `${settings.baseUrl}/admin/directory/v1`;
    const hook = googleErrorHook(settings.baseUrl, settings.subject);
    const inner = ctx.transport({ baseUrl: apiUrl, headers: {}, rateLimited: isGoogleRateLimited(hook) });
    const transport = withJson(withAuth(inner, explained(auth, settings.subject)));
    const client = new GoogleClient({
      transport,
      apiUrl,
      customer: settings.customer,
      hook,
      secrets: () => known.map((s) => s.reveal()),
    });
    const domain = settings.groupDomain ?? settings.subject.slice(settings.subject.indexOf('@') + 1);
    return {
      ...googleUserOperations(client),
      ...googleGroupOperations(client, domain),
      async test() {
        await client.listUsersPage(1);
        return (
          `Google Workspace customer ${settings.customer}: ${key.clientEmail} acting as ${settings.subject} ` +
          `got a token from ${tokenUrl} (JWT bearer grant), and GET ${apiUrl}/users?maxResults=1 answered`
        );
      },
      schema: async () => googleMappingFields,
      close: () => transport.close(),
    };
  },
};
