// The default mapping between the User Profile and inetOrgPerson (RFC 2798) with its superclasses
// organizationalPerson and person (RFC 4519). `cn` and `sn` are required by `person`: a create that
// maps neither takes `cn` from displayName (else the username) and `sn` from the username (the
// profile's createDefaults), so a profile with only a username and an email still creates.
import type { Mapping } from '../../core/mapping/types.js';

export const ldapUserMapping: Mapping = [
  { app: 'uid', profile: 'username' },
  { app: 'mail', profile: 'email' },
  { app: 'givenName', profile: 'givenname' },
  { app: 'sn', profile: 'surname' },
  { app: 'cn', profile: 'displayname', template: '{givenname} {surname}' },
  { app: 'displayName', profile: 'displayname', template: '{givenname} {surname}' },
  { app: 'title', profile: 'title' },
  { app: 'employeeNumber', profile: 'employeenumber' },
  { app: 'employeeType', profile: 'employeetype' },
  { app: 'departmentNumber', profile: 'department' },
  { app: 'ou', profile: 'division' },
  { app: 'mobile', profile: 'mobilephone' },
  { app: 'telephoneNumber', profile: 'telephonenumber' },
  { app: 'o', profile: 'organization' },
  { app: 'l', profile: 'location' },
];

/** inetOrgPerson attributes a mapper may target (get-mapping-fields). */
export const ldapMappingFields: readonly string[] = [
  'uid',
  'mail',
  'givenName',
  'sn',
  'cn',
  'displayName',
  'initials',
  'title',
  'description',
  'employeeNumber',
  'employeeType',
  'departmentNumber',
  'ou',
  'o',
  'businessCategory',
  'manager',
  'telephoneNumber',
  'mobile',
  'homePhone',
  'pager',
  'facsimileTelephoneNumber',
  'l',
  'st',
  'street',
  'postalAddress',
  'postalCode',
  'postOfficeBox',
  'physicalDeliveryOfficeName',
  'roomNumber',
  'preferredLanguage',
  'labeledURI',
  'carLicense',
  'secretary',
];
