// The OpenLDAP profile: inetOrgPerson users named by `usernameAttribute`, `entryUUID` (RFC 4530) as
// the id, groups of the configured class, and `disable` as the ppolicy lock or a named attribute.

import type { DirEntry } from '../../ldap/client.js';
import { textValues } from '../../ldap/entries.js';
import { attributeChange, presenceFilter } from '../../ldap/lib.js';
import type { DirectoryProfile } from '../../ldap/profile.js';

/** The ppolicy overlay's "locked by an administrator" time (draft-behera-ldap-password-policy 5.3.3). */
export const PPOLICY_LOCKED = '000001010000Z';
export const PPOLICY_ATTRIBUTE = 'pwdAccountLockedTime';

export type DisableSetting =
  | { ppolicy: true }
  | { attribute: string; value: string; enabledValue?: string | undefined };

export interface OpenLdapOptions {
  userObjectClasses: readonly string[];
  usernameAttribute: string;
  groupObjectClass: 'groupOfNames' | 'groupOfUniqueNames' | 'posixGroup';
  disable: DisableSetting;
  groupBase: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const change = (operation: 'add' | 'delete' | 'replace', type: string, values: string[]) =>
  attributeChange(operation, type, values);

/** The group half of the profile for each supported class. */
function groupProfile(
  cls: OpenLdapOptions['groupObjectClass'],
  groupBase: string,
): DirectoryProfile['group'] {
  if (cls === 'posixGroup') {
    return {
      objectClass: 'posixGroup',
      memberAttribute: 'memberUid',
      memberValue: 'username',
      nameAttribute: 'cn',
      // posixGroup needs a gidNumber: the highest in use under groupBase, plus one (10000 at least).
      async extraOnCreate(client) {
        const found = await client.search({
          base: groupBase,
          filter: presenceFilter('gidNumber'),
          attributes: ['gidNumber'],
        });
        const max = Math.max(
          9999,
          ...found.flatMap((e) => textValues(e, 'gidNumber').map(Number)).filter(Number.isFinite),
        );
        return { gidNumber: [String(max + 1)] };
      },
    };
  }
  const memberAttribute = cls === 'groupOfNames' ? 'member' : 'uniqueMember';
  // Both classes MUST have a member: an empty DN stands in for "no members" and is never shown.
  return { objectClass: cls, memberAttribute, memberValue: 'dn', nameAttribute: 'cn', placeholderMember: '' };
}

export function openLdapProfile(o: OpenLdapOptions): DirectoryProfile {
  const d = o.disable;
  const statusAttribute = 'ppolicy' in d ? PPOLICY_ATTRIBUTE : d.attribute;
  const isLocked = (e: DirEntry): boolean => {
    const values = textValues(e, statusAttribute);
    if ('ppolicy' in d) return values.length > 0;
    return values.some((v) => v.toLowerCase() === d.value.toLowerCase());
  };
  return {
    idAttribute: 'entryUUID',
    decodeId: (v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v).toLowerCase(),
    encodeId: (id) => (UUID.test(id) ? id.toLowerCase() : null),
    binaryAttributes: [],
    userObjectClasses: o.userObjectClasses,
    userFilterClass: o.userObjectClasses[o.userObjectClasses.length - 1] ?? 'inetOrgPerson',
    userAttributes: [o.usernameAttribute, 'mail', statusAttribute],
    namingAttribute: o.usernameAttribute,
    usernameAttribute: o.usernameAttribute,
    emailAttribute: 'mail',
    createDefaults: { cn: ['displayName', o.usernameAttribute], sn: [o.usernameAttribute] },
    readOnlyAttributes: [statusAttribute, 'memberOf', 'entryDN', 'createTimestamp', 'modifyTimestamp'],
    isActive: (e) => !isLocked(e),
    activeChange(e, active) {
      if (isLocked(e) === !active) return null;
      if ('ppolicy' in d) {
        return active
          ? [change('delete', PPOLICY_ATTRIBUTE, [])]
          : [change('replace', PPOLICY_ATTRIBUTE, [PPOLICY_LOCKED])];
      }
      if (!active) return [change('replace', d.attribute, [d.value])];
      return d.enabledValue === undefined
        ? [change('delete', d.attribute, [])]
        : [change('replace', d.attribute, [d.enabledValue])];
    },
    activeOnCreate(active) {
      if ('ppolicy' in d) return active ? {} : { [PPOLICY_ATTRIBUTE]: [PPOLICY_LOCKED] };
      if (!active) return { [d.attribute]: [d.value] };
      return d.enabledValue === undefined ? {} : { [d.attribute]: [d.enabledValue] };
    },
    group: groupProfile(o.groupObjectClass, o.groupBase),
  };
}
