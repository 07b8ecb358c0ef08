// The default mapping between the User Profile and an AD `user` (attribute names as in AD's schema,
// MS-ADA1..3), read in both directions. `password` is not an attribute: on create the connector
// sets it as `unicodePwd` over LDAPS (unicode-pwd.ts), and no read ever returns it.
import type { Mapping } from '../../core/mapping/types.js';

export const adUserMapping: Mapping = [
  { app: 'sAMAccountName', profile: 'username' },
  { app: 'userPrincipalName', profile: 'userprincipalname' },
  { app: 'mail', profile: 'email' },
  { app: 'givenName', profile: 'givenname' },
  { app: 'sn', profile: 'surname' },
  { app: 'displayName', profile: 'displayname', template: '{givenname} {surname}' },
  // The RDN of the account (a rename is a modify-DN); on create, displayName else sAMAccountName.
  { app: 'cn', profile: 'cn' },
  { app: 'title', profile: 'title' },
  { app: 'department', profile: 'department' },
  { app: 'division', profile: 'division' },
  { app: 'company', profile: 'company' },
  { app: 'employeeID', profile: 'employeeid' },
  { app: 'employeeNumber', profile: 'employeenumber' },
  { app: 'employeeType', profile: 'employeetype' },
  { app: 'telephoneNumber', profile: 'workphone' },
  { app: 'mobile', profile: 'mobilephone' },
  { app: 'physicalDeliveryOfficeName', profile: 'location' },
  // The manager's DN (AD holds a DN here, not an email).
  { app: 'manager', profile: 'managerdn' },
  { app: 'password', profile: 'password', on: 'create', direction: 'out' },
];

/** AD user attributes a mapper may target (get-mapping-fields). */
export const adMappingFields: readonly string[] = [
  'sAMAccountName',
  'userPrincipalName',
  'mail',
  'givenName',
  'sn',
  'initials',
  'displayName',
  'cn',
  'description',
  'title',
  'department',
  'division',
  'company',
  'employeeID',
  'employeeNumber',
  'employeeType',
  'telephoneNumber',
  'mobile',
  'homePhone',
  'facsimileTelephoneNumber',
  'physicalDeliveryOfficeName',
  'streetAddress',
  'l',
  'st',
  'postalCode',
  'c',
  'co',
  'countryCode',
  'manager',
  'info',
  'password',
];
