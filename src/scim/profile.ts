// A ScimProfile says how one app departs from plain RFC 7644, as data with no logic. The client and
// the shared SCIM connector read these values; nothing in src/scim asks which brand it talks to.
// A brand's quirks.ts spreads `genericScimProfile` and overrides what differs.

export interface ScimProfile {
  /**
   * How lists are read. `index`: RFC 7644 3.4.2.4 pages with `startIndex` and `count`.
   * `none`: a single request with `count` only (the app rejects `startIndex`); lookups by `eq`
   * return at most a handful of results, so one page is enough for them.
   */
  readonly paging: 'index' | 'none';
  /** `count` sent on list requests. */
  readonly pageSize: number;
  /** Hard cap on pages read for one query, whatever the server claims about totalResults. */
  readonly maxPages: number;
  /**
   * Attributes the app accepts in `eq` filters, per resource, or `any`. A lookup on another
   * attribute fails with NotSupportedError before any request is sent.
   */
  readonly filterAttributes: { readonly user: readonly string[]; readonly group: readonly string[] } | 'any';
  /** Filter path for a lookup by email: `emails.value` (RFC 7644 3.4.2.2) or `emails` for apps that want that. */
  readonly emailFilterPath: string;
  /**
   * PATCH for updates and enable/disable. `discover`: as ServiceProviderConfig `patch.supported`
   * says (a missing or failed config means no). `always`/`never` win over discovery, for apps
   * whose config is absent or wrong.
   */
  readonly patch: 'discover' | 'always' | 'never';
  /** false when GET /Groups never returns `members` (then groups read as `members: null`). */
  readonly groupReadsReturnMembers: boolean;
  /** Send `excludedAttributes=members` on group reads that do not need members (RFC 7644 3.4.2.5). */
  readonly excludeMembersOnRead: boolean;
  /** Most `emails` values the app stores; extra values are dropped from outgoing users, primary first. */
  readonly maxEmails?: number;
  /** Most `phoneNumbers` values the app stores (as maxEmails). */
  readonly maxPhoneNumbers?: number;
  /** Most member ids one PATCH may carry (an add is one op with all ids, a remove one op per id). */
  readonly memberBatchSize: number;
  /**
   * How members are removed. `filter`: one `remove` op per id with path `members[value eq "id"]`,
   * the RFC 7644 3.5.2.2 form every compliant server accepts. `value-list`: one `remove` op with
   * path `members` and a `value` array, which some apps (Entra-style) want instead.
   */
  readonly memberRemoval: 'filter' | 'value-list';
  /** Ordered lookup attributes (the connector's capabilities.lookup). */
  readonly userLookup: readonly string[];
  /**
   * What disable means. `active`: set `active: false` (PATCH, or PUT where the app has no PATCH).
   * `delete`: DELETE Users/{id}, for apps that document their DELETE as a deactivation (RFC 7644
   * 3.6 lets a provider keep the resource): the account stays and reads `active: false`. Enable is
   * `active: true` either way. With `delete`, delete-user is not offered: the app has no deletion.
   */
  readonly disable: 'active' | 'delete';
  /**
   * Statuses besides 429 the app answers when it rate-limits (GitHub: 403 with
   * `x-ratelimit-remaining: 0` or `retry-after`); such an answer is waited out and retried as a 429
   * is. Only with one of those headers: a bare 403 stays a refusal.
   */
  readonly rateLimitStatuses: readonly number[];
}

/** Plain RFC 7644: index paging, any filter attribute, PATCH as discovered, groups read with members. */
export const genericScimProfile: ScimProfile = {
  paging: 'index',
  pageSize: 100,
  maxPages: 100,
  filterAttributes: 'any',
  emailFilterPath: 'emails.value',
  patch: 'discover',
  groupReadsReturnMembers: true,
  excludeMembersOnRead: true,
  memberBatchSize: 100,
  memberRemoval: 'filter',
  userLookup: ['id', 'userName', 'emails'],
  disable: 'active',
  rateLimitStatuses: [],
};
