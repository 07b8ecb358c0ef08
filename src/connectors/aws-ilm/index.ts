// AWS-ILM: AWS IAM Identity Center's SCIM endpoint, `<baseUrl>/<tenantId>/scim/v2/`. A SCIM app:
// the shared SCIM connector with AWS's profile (quirks.ts), declared with defineScimApp: its
// settings, where its SCIM root is, its throttle. No client or connector code of its own.
import { z } from 'zod';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { defineScimApp } from '../../scim/app.js';
import { awsIlmProfile } from './quirks.js';

export const awsIlmSettings = z.strictObject({
  baseUrl: urlSetting().describe('the regional SCIM host, e.g. https://scim.us-east-1.amazonaws.com'),
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected the tenant id (letters, digits, - and _)')
    .describe("the tenant id from the IAM Identity Center console's SCIM endpoint URL"),
  token: secretSetting().describe('the SCIM access token issued by IAM Identity Center'),
  ...httpConnectionSettings.shape,
});
export type AwsIlmSettings = z.output<typeof awsIlmSettings>;

/**
 * "SCIM APIs have a collective throttle maximum of 20 transactions per second (TPS)" (IAM Identity
 * Center user guide, Quotas: throttle limits; see README.md). Collective: every client of the
 * tenant shares it, so the burst is small and the limiter halves its rate on a 429.
 */
export const AWS_SCIM_RATE_LIMIT = { requestsPerSecond: 20, burst: 5 } as const;

export const awsIlmConnector = defineScimApp<AwsIlmSettings>({
  brand: 'AWS-ILM',
  description: 'AWS IAM Identity Center (SCIM 2.0 endpoint)',
  settings: awsIlmSettings,
  profile: awsIlmProfile,
  root: (s) => `${s.baseUrl}/${encodeURIComponent(s.tenantId)}/scim/v2`,
  label: (root) => `AWS IAM Identity Center ${root}`,
  // The 20 TPS throttle, not latency, bounds a batch: more in flight would only wait in the limiter.
  capabilities: {
    rateLimit: AWS_SCIM_RATE_LIMIT,
    concurrency: 4,
    lookupNote: "AWS's SCIM filter supports only userName, externalId and id",
  },
});
