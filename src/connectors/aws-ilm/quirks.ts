// How AWS IAM Identity Center's SCIM endpoint departs from RFC 7644, as data. Sources (AWS "IAM
// Identity Center SCIM Implementation Developer Guide"): limitations.html, listusers.html,
// listgroups.html, patchuser.html, patchgroup.html, getgroup.html. See README.md.
import { genericScimProfile, type ScimProfile } from '../../scim/profile.js';

export const awsIlmProfile: ScimProfile = {
  ...genericScimProfile,
  // startIndex is rejected; a lookup by `eq` needs one page, and lists are capped at 50.
  paging: 'none',
  pageSize: 50,
  maxPages: 1,
  // Only `eq` (joined by `and`) on these attributes.
  filterAttributes: {
    user: ['userName', 'externalId', 'id'],
    group: ['displayName', 'externalId', 'id'],
  },
  // PATCH works; the ServiceProviderConfig adds nothing we would act on, so do not ask.
  patch: 'always',
  // GET /Groups never carries members, and excludedAttributes is not supported.
  groupReadsReturnMembers: false,
  excludeMembersOnRead: false,
  // Multi-valued user attributes hold a single value.
  maxEmails: 1,
  maxPhoneNumbers: 1,
  // At most 100 membership changes in one PATCH.
  memberBatchSize: 100,
  memberRemoval: 'filter',
  userLookup: ['id', 'userName'],
};
