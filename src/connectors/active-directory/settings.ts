// The Active-Directory brand's settings: the directory kit's connection and tree settings, with AD's
// defaults (users and groups in CN=Users of the domain), plus what only AD has: the UPN suffix, and
// where a disabled account goes (an OU it is moved to, a group it is put in).
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { directorySettings } from '../../ldap/settings.js';

const dn = (what: string) =>
  z
    .string({ error: `expected the DN of ${what}` })
    .refine(
      (s) => /^\s*[A-Za-z][\w-]*\s*=/.test(s),
      `expected the DN of ${what}, e.g. OU=Staff,DC=corp,DC=example`,
    );

export const adSettings = z.strictObject({
  ...directorySettings.shape,
  bindDn: directorySettings.shape.bindDn.describe(
    'the DN to bind as, e.g. CN=svc-iam,OU=Service Accounts,DC=corp,DC=example',
  ),
  baseDn: dn('the domain')
    .optional()
    .describe('the domain, e.g. DC=corp,DC=example (default: the DC= part of bindDn)'),
  userBase: dn('the users subtree')
    .optional()
    .describe('where users are searched and created (default: CN=Users,<baseDn>)'),
  groupBase: dn('the groups subtree')
    .optional()
    .describe('where groups are searched and created (default: CN=Users,<baseDn>)'),
  usernameAttribute: z
    .enum(['sAMAccountName', 'userPrincipalName'])
    .default('sAMAccountName')
    .describe("the attribute that is the record's username: sAMAccountName (default) or userPrincipalName"),
  upnSuffix: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'expected a DNS suffix without @, e.g. corp.example')
    .optional()
    .describe(
      'userPrincipalName of a new account is sAMAccountName@upnSuffix when the profile gives none (default: the DNS name of baseDn)',
    ),
  disabledOu: dn('the OU disabled accounts move to')
    .optional()
    .describe(
      'a disabled account is moved here, and moved back where it came from (else userBase) on enable; its origin is kept in adminDescription meanwhile',
    ),
  disabledGroup: z
    .string()
    .min(1, 'expected the name (cn) of a group under groupBase')
    .optional()
    .describe(
      'the name (cn) of a group under groupBase that a disabled account is added to, and removed from on enable',
    ),
});
export type AdSettings = z.output<typeof adSettings>;

/** The settings with every default filled in. */
export interface AdResolved extends AdSettings {
  baseDn: string;
  userBase: string;
  groupBase: string;
  upnSuffix: string;
}

/** The DC= components of a DN (`DC=corp,DC=example`), or null when it has none. */
export function domainOf(dnText: string): string | null {
  const dcs = dnText
    .split(/(?<!\\),/)
    .map((p) => p.trim())
    .filter((p) => /^dc\s*=/i.test(p));
  return dcs.length ? dcs.join(',') : null;
}

/** `DC=corp,DC=example` -> `corp.example`. */
export const dnsNameOf = (domain: string): string =>
  domain
    .split(',')
    .map((p) => p.replace(/^\s*dc\s*=\s*/i, '').trim())
    .join('.');

export function resolveAdSettings(s: AdSettings): AdResolved {
  const baseDn = s.baseDn ?? domainOf(s.bindDn);
  if (baseDn === null) {
    throw new ConfigError(
      'baseDn: bindDn has no DC= part to take the domain from: set baseDn, e.g. DC=corp,DC=example',
    );
  }
  const users = `CN=Users,${baseDn}`;
  return {
    ...s,
    baseDn,
    userBase: s.userBase ?? users,
    groupBase: s.groupBase ?? users,
    upnSuffix: s.upnSuffix ?? dnsNameOf(domainOf(baseDn) ?? baseDn),
  };
}
