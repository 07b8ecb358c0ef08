// The generic SCIM 2.0 brand: any app that speaks RFC 7644 with a Bearer token. Everything it does
// is the shared SCIM connector with the generic profile; only the settings are its own.
import { z } from 'zod';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { defineScimApp } from '../../scim/app.js';
import { genericScimProfile } from '../../scim/profile.js';

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

export const scimConnector = defineScimApp<ScimSettings>({
  brand: 'SCIM',
  description: 'Any SCIM 2.0 service provider (RFC 7643/7644) with a Bearer token',
  settings: scimSettings,
  profile: genericScimProfile,
  tune: (profile, s) => ({ ...profile, pageSize: s.pageSize }),
  root: (s) => s.baseUrl,
  // Enough to keep a typical app busy over keep-alive connections, without crowding it.
  capabilities: { concurrency: 16 },
});
