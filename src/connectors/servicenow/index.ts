// ServiceNow (Table API on sys_user, sys_user_group and sys_user_grmember) with HTTP Basic (a
// user name and password) or OAuth 2.0 client credentials at the instance's /oauth_token.do (the
// REST kit's clientCredentials, client id and secret in the form body as ServiceNow's OAuth API
// request parameters are). Written from ServiceNow's published reference and tested against a
// simulator built from it (test/servers/servicenow/); see README.md.
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import type { Secret } from '../../core/secrets.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { type Authenticator, basicAuth, withAuth } from '../../http/auth/authenticator.js';
import { clientCredentials } from '../../http/auth/oauth.js';
import { withJson } from '../../http/json.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { MAX_PAGE_SIZE, SnowClient } from './client.js';
import { MEMBER_BATCH_SIZE, snowGroupOperations } from './groups.js';
import { snowMappingFields, snowUserMapping, userFields } from './mapping.js';
import { SNOW_LOOKUP, snowUserOperations } from './users.js';

const PAIR_ERROR =
  'expected username and password (HTTP Basic) or clientId and clientSecret (OAuth client credentials), one pair';

export const snowSettings = z
  .strictObject({
    ...httpConnectionSettings.shape,
    instanceUrl: urlSetting().describe('the instance, https://<instance>.service-now.com'),
    username: secretSetting()
      .optional()
      .describe('HTTP Basic: the integration user (user_name); with password. Or use clientId/clientSecret'),
    password: secretSetting().optional().describe("HTTP Basic: the integration user's password"),
    clientId: z
      .string()
      .min(1, 'expected the client id of the OAuth application registry entry')
      .optional()
      .describe(
        'OAuth: the client id of the Application Registry entry (client credentials grant); with clientSecret',
      ),
    clientSecret: secretSetting().optional().describe('OAuth: the client secret of that entry'),
    extraFields: z
      .array(z.string().regex(/^[a-z0-9_]+$/, 'expected a sys_user column name, e.g. u_cost_center'))
      .default([])
      .describe('sys_user columns to read besides the mappable ones (custom u_ columns your mapping uses)'),
    pageSize: z
      .number({ error: `expected a whole number from 1 to ${MAX_PAGE_SIZE}` })
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(1000)
      .describe(`rows per Table API page (sysparm_limit), 1 to ${MAX_PAGE_SIZE}; default 1000`),
  })
  .refine(
    (s) => {
      const basic = s.username !== undefined || s.password !== undefined;
      const oauth = s.clientId !== undefined || s.clientSecret !== undefined;
      if (basic === oauth) return false;
      return basic
        ? s.username !== undefined && s.password !== undefined
        : s.clientId !== undefined && s.clientSecret !== undefined;
    },
    { message: PAIR_ERROR, path: ['username'] },
  );
export type SnowSettings = z.output<typeof snowSettings>;

export const snowCapabilities: Capabilities = {
  lookup: SNOW_LOOKUP,
  memberBatchSize: MEMBER_BATCH_SIZE,
  // ServiceNow publishes no fixed limit: rate limit rules are set per instance, per hour (Inbound
  // REST API rate limiting). The instance's 429 + Retry-After / X-RateLimit-Reset are honoured;
  // a `rateLimit` setting paces an instance whose rules are known.
  concurrency: 8,
};

export const serviceNowConnector: ConnectorDefinition<SnowSettings> = {
  brand: 'ServiceNow',
  description: 'ServiceNow (Table API: sys_user, sys_user_group, sys_user_grmember) with HTTP Basic or OAuth',
  settings: snowSettings,
  capabilities: snowCapabilities,
  mapping: snowUserMapping,
  mappingFields: snowMappingFields,
  create(settings, ctx) {
    // Every secret seen, hidden from error messages; fetched tokens are also told to the caller.
    const known: Secret[] = [];
    const onSecret = (s: Secret) => {
      known.push(s);
      ctx.onSecret?.(s);
    };
    let auth: Authenticator;
    let how: string;
    if (settings.clientId !== undefined && settings.clientSecret !== undefined) {
      known.push(settings.clientSecret);
      const tokenFactory = ctx.tokenTransport ?? ctx.transport;
      const tokenUrl = `${settings.instanceUrl}/oauth_token.do`;
      auth = clientCredentials({
        tokenUrl,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        clientAuth: 'post',
        tokenTransport: (baseUrl) => tokenFactory({ baseUrl, headers: {} }),
        onSecret,
      });
      how = `a token from ${tokenUrl} (client_credentials grant)`;
    } else {
      const user = settings.username as Secret;
      const password = settings.password as Secret;
      known.push(user, password);
      auth = basicAuth(user.reveal(), password, onSecret);
      how = 'HTTP Basic credentials';
    }
    const tableUrl = `${settings.instanceUrl}/api/now/table`;
    const transport = withJson(withAuth(ctx.transport({ baseUrl: tableUrl, headers: {} }), auth));
    const client = new SnowClient({
      transport,
      tableUrl,
      instanceUrl: settings.instanceUrl,
      pageSize: settings.pageSize,
      secrets: () => known.map((s) => s.reveal()),
    });
    return {
      ...snowUserOperations(client, userFields(settings.extraFields)),
      ...snowGroupOperations(client),
      async test() {
        await client.page('sys_user', undefined, ['sys_id'], 0, 1);
        return `ServiceNow ${settings.instanceUrl}: ${how} accepted, GET /api/now/table/sys_user?sysparm_limit=1 answered`;
      },
      schema: async () => snowMappingFields,
      close: () => transport.close(),
    };
  },
};
