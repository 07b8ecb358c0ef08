// The generic SCIM 2.0 brand: any app that speaks RFC 7644 with a Bearer token. Everything it does
// is the shared SCIM connector with the generic profile; only the settings are its own.
import { z } from 'zod';
import type { ConnectorDefinition } from '../../core/connector.js';
import { Secret } from '../../core/secrets.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { bearer } from '../../http/auth.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { ScimClient } from '../../scim/client.js';
import { createScimConnector } from '../../scim/connector.js';
import { scimMappingFields, scimUserMapping } from '../../scim/mapping.js';
import { genericScimProfile, type ScimProfile } from '../../scim/profile.js';

export const scimSettings = z.strictObject({
  baseUrl: urlSetting().describe(
    'the SCIM root, e.g. https://app.example.com/scim/v2 (the part before /Users)',
  ),
  token: secretSetting().describe('Bearer token (RFC 6750)'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(genericScimProfile.pageSize)
    .describe('count per list page (RFC 7644 3.4.2.4)'),
  ...httpConnectionSettings.shape,
});
export type ScimSettings = z.output<typeof scimSettings>;

export const scimConnector: ConnectorDefinition<ScimSettings> = {
  brand: 'SCIM',
  description: 'Any SCIM 2.0 service provider (RFC 7643/7644) with a Bearer token',
  settings: scimSettings,
  capabilities: {
    lookup: genericScimProfile.userLookup,
    memberBatchSize: genericScimProfile.memberBatchSize,
    // Enough to keep a typical app busy over keep-alive connections, without crowding it.
    concurrency: 16,
  },
  mapping: scimUserMapping,
  mappingFields: scimMappingFields,
  create(settings, ctx) {
    const profile: ScimProfile = {
      ...genericScimProfile,
      pageSize: settings.pageSize,
    };
    const transport = ctx.transport({
      baseUrl: settings.baseUrl,
      headers: { authorization: bearer(settings.token) },
    });
    const client = new ScimClient({
      transport,
      profile,
      secrets: [settings.token, ...(ctx.secretValues ?? []).map((v) => new Secret(v))],
      endpoint: settings.baseUrl,
    });
    return createScimConnector({
      client,
      profile,
      label: `SCIM endpoint ${settings.baseUrl}`,
    });
  },
};
