// AWS-ILM: AWS IAM Identity Center's SCIM endpoint, `<baseUrl>/<tenantId>/scim/v2/`. A SCIM app:
// the shared SCIM connector with AWS's profile (quirks.ts); no client of its own.
import { z } from 'zod';
import type { ConnectorDefinition } from '../../core/connector.js';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { bearer } from '../../http/auth.js';
import { ScimClient } from '../../scim/client.js';
import { createScimConnector } from '../../scim/connector.js';
import { scimMappingFields, scimUserMapping } from '../../scim/mapping.js';
import { awsIlmProfile } from './quirks.js';

export const awsIlmSettings = z.strictObject({
  /** The regional SCIM host, e.g. `https://scim.us-east-1.amazonaws.com`. */
  baseUrl: urlSetting(),
  /** The tenant id from the IAM Identity Center console's SCIM endpoint URL. */
  tenantId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected the tenant id (letters, digits, - and _)'),
  /** The SCIM access token issued by IAM Identity Center. */
  token: secretSetting(),
});
export type AwsIlmSettings = z.output<typeof awsIlmSettings>;

export const awsIlmConnector: ConnectorDefinition<AwsIlmSettings> = {
  brand: 'AWS-ILM',
  description: 'AWS IAM Identity Center (SCIM 2.0 endpoint)',
  settings: awsIlmSettings,
  capabilities: { lookup: awsIlmProfile.userLookup, memberBatchSize: awsIlmProfile.memberBatchSize },
  mapping: scimUserMapping,
  mappingFields: scimMappingFields,
  create(settings, ctx) {
    const root = `${settings.baseUrl}/${encodeURIComponent(settings.tenantId)}/scim/v2`;
    const transport = ctx.transport({ baseUrl: root, headers: { authorization: bearer(settings.token) } });
    const client = new ScimClient({ transport, profile: awsIlmProfile, secrets: [settings.token] });
    return createScimConnector({ client, profile: awsIlmProfile, label: `AWS IAM Identity Center ${root}` });
  },
};
