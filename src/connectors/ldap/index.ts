// Brand `LDAP`: an LDAPv3 directory with the inetOrgPerson schema (OpenLDAP, 389 DS...), through
// the shared directory connector (src/ldap). This folder declares the settings, the default mapping
// and the OpenLDAP profile; see README.md for the profile hooks Active Directory builds on.
import { z } from 'zod';
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import { createDirectoryConnector } from '../../ldap/connector.js';
import { DEFAULT_MEMBER_CHUNK, directorySettings } from '../../ldap/settings.js';
import { ldapMappingFields, ldapUserMapping } from './mapping.js';
import { openLdapProfile } from './profile.js';

export const LDAP_BRAND = 'LDAP';
export const DEFAULT_USER_CLASSES = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'] as const;

const attributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected an attribute name (letters, digits, hyphens)');

export const ldapSettings = z.strictObject({
  ...directorySettings.shape,
  userObjectClasses: z
    .array(attributeName, { error: 'expected a list of object class names' })
    .min(1, 'expected at least one object class')
    .default([...DEFAULT_USER_CLASSES])
    .describe(
      `object classes of a new user, the structural one last; default ${DEFAULT_USER_CLASSES.join(', ')}`,
    ),
  usernameAttribute: attributeName
    .default('uid')
    .describe('the attribute that holds the username and names the entry (its RDN); default uid'),
  groupObjectClass: z
    .enum(['groupOfNames', 'groupOfUniqueNames', 'posixGroup'])
    .default('groupOfNames')
    .describe(
      'groupOfNames (member: DNs, default), groupOfUniqueNames (uniqueMember: DNs) or posixGroup (memberUid: usernames)',
    ),
  disable: z
    .union(
      [
        z.strictObject({ ppolicy: z.literal(true) }),
        z.strictObject({
          attribute: attributeName,
          value: z.string().min(1),
          enabledValue: z.string().min(1).optional(),
        }),
      ],
      {
        error:
          'expected { "ppolicy": true } or { "attribute": NAME, "value": VALUE[, "enabledValue": VALUE] }',
      },
    )
    .default({ ppolicy: true })
    .describe(
      'how an account is disabled: { ppolicy: true } (default: pwdAccountLockedTime 000001010000Z, removed on enable) ' +
        'or { attribute, value[, enabledValue] } (set on disable; removed, or set to enabledValue, on enable)',
    ),
});
export type LdapSettings = z.output<typeof ldapSettings>;

export const ldapCapabilities: Capabilities = {
  lookup: ['id', 'uid', 'mail'],
  memberBatchSize: DEFAULT_MEMBER_CHUNK,
  // Connections of the pool: a directory answers in about a millisecond, so a few suffice.
  concurrency: 8,
};

export const ldapConnector: ConnectorDefinition<LdapSettings> = {
  brand: LDAP_BRAND,
  description: 'An LDAPv3 directory with the inetOrgPerson schema (OpenLDAP, 389 Directory Server)',
  settings: ldapSettings,
  capabilities: ldapCapabilities,
  mapping: ldapUserMapping,
  mappingFields: ldapMappingFields,
  nativeDryRun: true,
  create(settings, ctx) {
    const profile = openLdapProfile({
      userObjectClasses: settings.userObjectClasses,
      usernameAttribute: settings.usernameAttribute,
      groupObjectClass: settings.groupObjectClass,
      disable: settings.disable,
      groupBase: settings.groupBase,
    });
    return createDirectoryConnector(profile, settings, ctx, {
      poolSize: ldapCapabilities.concurrency ?? 8,
      lookup: [...new Set(['uid', settings.usernameAttribute, 'mail'])],
      // Every user attribute ('*'), so a mapper's own attributes are read and compared too.
      userAttributes: ['*'],
      mappingFields: ldapMappingFields,
    });
  },
};
