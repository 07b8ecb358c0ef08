// GitHub: Enterprise Managed Users' SCIM API (/scim/v2/enterprises/{enterprise}/Users and /Groups),
// declared with defineScimApp on the shared SCIM client and connector with GitHub's profile
// (profile.ts), its required headers, its rate limit and its externalId rule. No code of its own.
import { z } from 'zod';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { defineScimApp } from '../../scim/app.js';
import { scimUserMapping } from '../../scim/mapping.js';
import { GITHUB_HEADERS, GITHUB_RATE_LIMIT, githubProfile } from './profile.js';

export const githubSettings = z.strictObject({
  enterprise: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected the enterprise slug (letters, digits and -)')
    .describe('the enterprise slug, as in https://github.com/enterprises/<enterprise>'),
  token: secretSetting().describe(
    'a personal access token (classic) with the scim:enterprise scope, of the setup user',
  ),
  baseUrl: urlSetting().default('https://api.github.com').describe('the REST API root'),
  ...httpConnectionSettings.shape,
});
export type GithubSettings = z.output<typeof githubSettings>;

/**
 * GitHub requires `externalId` (the IdP's immutable id of the person) on every user: the profile's
 * employeeid, else its username, so a create never goes out without one.
 */
export const githubMapping = scimUserMapping.map((rule) =>
  rule.app === 'externalId' ? { ...rule, profile: ['employeeid', 'username'] } : rule,
);

export const githubConnector = defineScimApp<GithubSettings>({
  brand: 'GitHub',
  description: 'GitHub Enterprise Managed Users (SCIM): suspend and unsuspend through active',
  settings: githubSettings,
  profile: githubProfile,
  root: (s) => `${s.baseUrl}/scim/v2/enterprises/${encodeURIComponent(s.enterprise)}`,
  headers: () => ({ ...GITHUB_HEADERS }),
  label: (root) => `GitHub EMU SCIM ${root}`,
  mapping: githubMapping,
  // The limit, not latency, bounds a batch: more in flight would only wait in the limiter.
  capabilities: { rateLimit: GITHUB_RATE_LIMIT, concurrency: 4 },
});
