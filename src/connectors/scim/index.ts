// The generic SCIM 2.0 brand: any app that speaks RFC 7644 (Bearer token, Basic or API key). Everything it does
// is the shared SCIM connector with the generic profile; only the settings are its own.
import { z } from 'zod';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { staticAuthenticator, staticAuthSetting } from '../../http/auth-settings.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { defineScimApp } from '../../scim/app.js';
import { genericScimProfile } from '../../scim/profile.js';

export const scimSettings = z
  .strictObject({
    baseUrl: urlSetting().describe(
      'the SCIM root, e.g. https://app.example.com/scim/v2 (the part before /Users)',
    ),
    token: secretSetting().optional().describe('Bearer token (RFC 6750); or set auth'),
    auth: staticAuthSetting.optional(),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(genericScimProfile.pageSize)
      .describe('count per list page (RFC 7644 3.4.2.4)'),
    ...httpConnectionSettings.shape,
  })
  .refine((s) => (s.token === undefined) !== (s.auth === undefined), {
    message: 'expected token (a Bearer token) or auth, one of them',
    path: ['token'],
  });
export type ScimSettings = z.output<typeof scimSettings>;

export const scimConnector = defineScimApp<ScimSettings>({
  brand: 'SCIM',
  description: 'Any SCIM 2.0 service provider (RFC 7643/7644): Bearer token, HTTP Basic or an API key header',
  settings: scimSettings,
  profile: genericScimProfile,
  tune: (profile, s) => ({ ...profile, pageSize: s.pageSize }),
  root: (s) => s.baseUrl,
  auth: (s, onSecret) => (s.auth ? staticAuthenticator(s.auth, onSecret) : undefined),
  // Enough to keep a typical app busy over keep-alive connections, without crowding it.
  capabilities: { concurrency: 16 },
});
