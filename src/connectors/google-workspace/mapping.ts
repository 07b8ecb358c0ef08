// The default mapping between the User Profile and a Directory API user resource (users resource
// reference: primaryEmail, name.givenName / name.familyName, externalIds[], organizations[],
// phones[], orgUnitPath). Google requires primaryEmail, name.givenName, name.familyName and password
// on insert; the connector generates a password when the profile maps none.
import type { Mapping } from '../../core/mapping/types.js';

export const googleUserMapping: Mapping = [
  { app: 'primaryEmail', profile: 'email' },
  { app: 'name.givenName', profile: 'givenname' },
  { app: 'name.familyName', profile: 'surname' },
  { app: 'password', profile: 'password', direction: 'out' },
  { app: 'externalIds[type eq "organization"].value', profile: 'employeeid', with: { type: 'organization' } },
  { app: 'organizations[primary eq true].title', profile: 'title', with: { primary: true } },
  { app: 'organizations[primary eq true].department', profile: 'department', with: { primary: true } },
  { app: 'phones[type eq "mobile"].value', profile: 'mobilephone', with: { type: 'mobile' } },
  { app: 'orgUnitPath', profile: 'orgunitpath' },
];

/** Fields of the user resource a mapper may target (get-mapping-fields). */
export const googleMappingFields: readonly string[] = [
  'primaryEmail',
  'name.givenName',
  'name.familyName',
  'password',
  'hashFunction',
  'changePasswordAtNextLogin',
  'orgUnitPath',
  'recoveryEmail',
  'recoveryPhone',
  'includeInGlobalAddressList',
  'ipWhitelisted',
  'archived',
  'emails',
  'externalIds',
  'organizations',
  'phones',
  'addresses',
  'relations',
  'locations',
  'languages',
  'gender',
  'keywords',
  'websites',
  'ims',
  'customSchemas',
  'notes',
];

/** Multi-valued fields whose entries are told apart by `type` (or `primary`): an update merges into them. */
export const ENTRY_FIELDS: ReadonlySet<string> = new Set([
  'emails',
  'externalIds',
  'organizations',
  'phones',
  'addresses',
  'relations',
  'locations',
  'websites',
  'ims',
]);
