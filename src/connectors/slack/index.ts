// Slack: Slack's SCIM API v2 (Business+ and Enterprise Grid), declared with defineScimApp on the
// shared SCIM client and connector with Slack's profile (profile.ts). No code of its own.
import { z } from 'zod';
import { secretSetting, urlSetting } from '../../core/settings.js';
import { httpConnectionSettings } from '../../http/settings.js';
import { defineScimApp } from '../../scim/app.js';
import { SLACK_RATE_LIMIT, slackProfile } from './profile.js';

export const slackSettings = z.strictObject({
  token: secretSetting().describe('a Slack OAuth token with the admin scope, from an Org Owner or Admin'),
  baseUrl: urlSetting()
    .default('https://api.slack.com/scim/v2')
    .describe("Slack's SCIM v2 root (the part before /Users)"),
  ...httpConnectionSettings.shape,
});
export type SlackSettings = z.output<typeof slackSettings>;

export const slackConnector = defineScimApp<SlackSettings>({
  brand: 'Slack',
  description: "Slack (SCIM API v2): disable deactivates the member (Slack's DELETE); no deletion",
  settings: slackSettings,
  profile: slackProfile,
  root: (s) => s.baseUrl,
  label: (root) => `Slack SCIM ${root}`,
  // Slack's per-minute limits, not latency, bound a batch: more in flight would only wait.
  capabilities: { rateLimit: SLACK_RATE_LIMIT, concurrency: 4 },
});
