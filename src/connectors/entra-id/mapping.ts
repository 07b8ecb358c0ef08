// The default mapping between the User Profile and a Microsoft Graph user (user resource type,
// v1.0). The username is the userPrincipalName (the instance's `domain` is appended when it has no
// `@`); `displayName` and `mailNickname` are required by "Create user": displayName defaults to
// "{givenname} {surname}", mailNickname to the userPrincipalName's part before `@` (users.ts).
// The password goes in `passwordProfile` on create only; when the profile has none, a strong one is
// generated (password.ts) and never shown.
import type { Mapping } from '../../core/mapping/types.js';

export const entraUserMapping: Mapping = [
  { app: 'userPrincipalName', profile: 'username' },
  { app: 'mail', profile: 'email' },
  { app: 'givenName', profile: 'givenname' },
  { app: 'surname', profile: 'surname' },
  { app: 'displayName', profile: 'displayname', template: '{givenname} {surname}' },
  { app: 'jobTitle', profile: 'title' },
  { app: 'department', profile: 'department' },
  { app: 'employeeId', profile: 'employeeid' },
  { app: 'mobilePhone', profile: 'mobilephone' },
  { app: 'officeLocation', profile: 'location' },
  { app: 'companyName', profile: 'company' },
  { app: 'usageLocation', profile: 'usagelocation' },
  { app: 'passwordProfile.password', profile: 'password', on: 'create', direction: 'out' },
];

/** The user properties every read asks for ($select): the mapped ones, accountEnabled, and ids. */
export const USER_SELECT: readonly string[] = [
  'id',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'displayName',
  'givenName',
  'surname',
  'accountEnabled',
  'jobTitle',
  'department',
  'employeeId',
  'mobilePhone',
  'businessPhones',
  'officeLocation',
  'companyName',
  'usageLocation',
  'preferredLanguage',
  'city',
  'country',
  'createdDateTime',
];

export const GROUP_SELECT: readonly string[] = [
  'id',
  'displayName',
  'description',
  'mailNickname',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'createdDateTime',
];

/** Graph user properties a mapper may target (get-mapping-fields). */
export const entraMappingFields: readonly string[] = [
  ...USER_SELECT.filter((f) => f !== 'id' && f !== 'createdDateTime'),
  'passwordProfile.password',
  'passwordProfile.forceChangePasswordNextSignIn',
];
