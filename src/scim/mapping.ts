// The default mapping between the User Profile and a SCIM 2.0 User (spec section 4, RFC 7643 4.1
// and 4.3), as data for the core's mapping engine. Every SCIM-speaking brand starts from it.
import type { Mapping } from '../core/mapping/types.js';
import { SCHEMA } from './wire.js';

const ENT = SCHEMA.enterpriseUser;

export const scimUserMapping: Mapping = [
  { app: 'userName', profile: ['username', 'email'] },
  // `with.primary` also makes the engine read the primary email (else the first) back into `email`.
  { app: 'emails[type eq "work"].value', profile: 'email', with: { primary: true } },
  { app: 'name.givenName', profile: 'givenname' },
  { app: 'name.familyName', profile: 'surname' },
  { app: 'displayName', profile: 'displayname', template: '{givenname} {surname}' },
  { app: 'externalId', profile: 'employeeid' },
  { app: 'title', profile: 'title' },
  { app: 'userType', profile: 'employeetype' },
  { app: 'phoneNumbers[type eq "mobile"].value', profile: 'mobilephone' },
  { app: `${ENT}:employeeNumber`, profile: 'employeenumber' },
  { app: `${ENT}:department`, profile: 'department' },
  { app: `${ENT}:division`, profile: 'division' },
  { app: `${ENT}:costCenter`, profile: 'costcentercode' },
];

/** App-side attribute paths a mapper may target (get-mapping-fields): RFC 7643 User + enterprise extension. */
export const scimMappingFields: readonly string[] = [
  'userName',
  'name.formatted',
  'name.givenName',
  'name.familyName',
  'name.middleName',
  'name.honorificPrefix',
  'name.honorificSuffix',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'externalId',
  'emails[type eq "work"].value',
  'emails[type eq "home"].value',
  'emails[type eq "other"].value',
  'phoneNumbers[type eq "work"].value',
  'phoneNumbers[type eq "mobile"].value',
  'phoneNumbers[type eq "home"].value',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].region',
  'addresses[type eq "work"].postalCode',
  'addresses[type eq "work"].country',
  `${ENT}:employeeNumber`,
  `${ENT}:costCenter`,
  `${ENT}:organization`,
  `${ENT}:division`,
  `${ENT}:department`,
  `${ENT}:manager.value`,
];
