// The default mapping between the User Profile and an Okta user. App fields are the Okta user
// profile's property names (the default Okta user type's base attributes, Users API "Profile
// object"); the connector sends them inside `profile` and reads them back from it (account.ts).
// `login` and `email` are required by Okta, as are `firstName` and `lastName` in the default type.
// A password goes to `credentials.password.value` on create only (the user is then ACTIVE when
// activated, not PROVISIONED); it is never read back.
import type { Mapping } from '../../core/mapping/types.js';

export const oktaUserMapping: Mapping = [
  // Lookup attributes (id, login, email) are read from the outgoing profile of either variant.
  { app: 'login', profile: ['username', 'email'] },
  { app: 'email', profile: 'email' },
  { app: 'firstName', profile: 'givenname' },
  { app: 'lastName', profile: 'surname' },
  { app: 'displayName', profile: 'displayname' },
  { app: 'title', profile: 'title' },
  { app: 'department', profile: 'department' },
  { app: 'employeeNumber', profile: 'employeeid' },
  { app: 'manager', profile: 'manageremail' },
  { app: 'city', profile: 'location' },
  { app: 'password', profile: 'password', on: 'create', direction: 'out' },
];

/** Okta's base user profile properties a mapper may target (get-mapping-fields). */
export const oktaMappingFields: readonly string[] = [
  'login',
  'email',
  'secondEmail',
  'firstName',
  'lastName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
  'title',
  'displayName',
  'nickName',
  'profileUrl',
  'primaryPhone',
  'mobilePhone',
  'streetAddress',
  'city',
  'state',
  'zipCode',
  'countryCode',
  'postalAddress',
  'preferredLanguage',
  'locale',
  'timezone',
  'userType',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'managerId',
  'manager',
  'password',
];
