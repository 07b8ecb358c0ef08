// How Slack's SCIM API (v2) departs from RFC 7644, as data. Sources: Slack's "SCIM API reference"
// (docs.slack.dev/reference/scim-api, v2.0 tab; api.slack.com/scim) and "SCIM API rate limits"
// (docs.slack.dev/reference/scim-api/rate-limits). See test/servers/slack/README.md.
import { genericScimProfile, type ScimProfile } from '../../scim/profile.js';

export const slackProfile: ScimProfile = {
  ...genericScimProfile,
  // GET /Users and /Groups "return a paginated list": startIndex and count, at most 1000 a page.
  paging: 'index',
  pageSize: 100,
  maxPages: 1000,
  // The reference's Filter section: users by userName or email, groups by displayName, `eq` only.
  filterAttributes: { user: ['userName', 'emails', 'id'], group: ['displayName', 'id'] },
  emailFilterPath: 'email',
  // PATCH /Users/<id> and /Groups/<id> are documented; no need to ask ServiceProviderConfig.
  patch: 'always',
  groupReadsReturnMembers: true,
  excludeMembersOnRead: false,
  // Group PATCH: members added with one `add` op, removed with one `remove` op listing the values.
  memberRemoval: 'value-list',
  memberBatchSize: 500,
  userLookup: ['id', 'userName', 'emails'],
  // "DELETE /Users/<id>: Sets a Slack user to deactivated": that is Slack's disable; no delete exists.
  disable: 'delete',
  // 429 with Retry-After is the only rate-limit answer.
  rateLimitStatuses: [],
};

/**
 * "Create a user: POST /scim/VERSION/Users: 180 requests per minute, bursts of 20" (and the same for
 * PUT/PATCH/DELETE of a user), org-wide for every SCIM app: 3 writes a second. A create or disable is
 * a read (1000/minute) then a write, so 6 requests a second keep the writes at Slack's limit.
 */
export const SLACK_RATE_LIMIT = { requestsPerSecond: 6, burst: 20 } as const;
