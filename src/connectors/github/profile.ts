// How GitHub Enterprise Managed Users' SCIM API departs from RFC 7644, as data. Sources: GitHub's
// REST reference "REST API endpoints for SCIM" (docs.github.com/en/enterprise-cloud@latest/rest/
// enterprise-admin/scim), "Provisioning users and groups with SCIM using the REST API", "Getting
// started with the REST API" (User-Agent, API version) and "Rate limits for the REST API". See
// test/servers/github/README.md.
import { genericScimProfile, type ScimProfile } from '../../scim/profile.js';

export const githubProfile: ScimProfile = {
  ...genericScimProfile,
  // `startIndex` and `count` on GET /Users and /Groups; count at most 100.
  paging: 'index',
  pageSize: 100,
  maxPages: 1000,
  // `filter`: userName, externalId, id and displayName on users; displayName, externalId, id on groups.
  filterAttributes: {
    user: ['userName', 'externalId', 'id', 'displayName'],
    group: ['displayName', 'externalId', 'id'],
  },
  patch: 'always',
  groupReadsReturnMembers: true,
  // "improve query search time by using excludedAttributes=members" (List provisioned SCIM groups).
  excludeMembersOnRead: true,
  memberRemoval: 'value-list',
  memberBatchSize: 100,
  // No email filter. Users are found by id, then userName: a lookup by externalId too would cost a
  // second GET on every create, and GitHub refuses a duplicate externalId itself (409).
  userLookup: ['id', 'userName'],
  // Suspend and unsuspend are PATCH `active`; DELETE removes the user for good.
  disable: 'active',
  // "you will receive a 403 or 429 response" over a primary or secondary rate limit.
  rateLimitStatuses: [403],
};

/** The headers GitHub requires on every REST request (API version pinned to the one this follows). */
export const GITHUB_HEADERS = {
  Accept: 'application/scim+json',
  'X-GitHub-Api-Version': '2022-11-28',
  'User-Agent': 'iam-commands',
} as const;

/**
 * Secondary limit: "no more than 80 content-generating requests per minute" (each create, update,
 * suspend is one), and 900 points a minute (a GET 1 point, a write 5). A create is a GET and a POST:
 * 2.6 requests a second keep the writes at 1.3 a second, under 80 a minute.
 */
export const GITHUB_RATE_LIMIT = { requestsPerSecond: 2.6, burst: 10 } as const;
