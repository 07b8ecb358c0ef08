// The connection and tree settings every directory brand composes into its own settings schema:
// `z.strictObject({ ...directorySettings.shape, <brand keys> })`. Each key is described and carries
// its default, so `iam brands` prints them from the schema. `caFile`, `insecure` and `timeoutMs` have
// the names of the HTTP brands' keys, so the config loader checks them (and warns on `insecure`) alike.
import { z } from 'zod';
import { bool } from '../core/config-schema.js';
import { secretSetting } from '../core/settings.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMBER_CHUNK = 500;

const dnSetting = (what: string) =>
  z
    .string({ error: `expected the DN of ${what}` })
    .min(3, `expected the DN of ${what}`)
    .refine((s) => s.includes('='), `expected the DN of ${what}, e.g. ou=people,dc=example,dc=org`);

const whole = (min: number, max: number, unit = '') => {
  const message = `expected a whole number from ${min} to ${max}${unit}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

export const directorySettings = z.object({
  url: z
    .string({ error: 'expected ldap://host[:port] or ldaps://host[:port]' })
    .regex(/^ldaps?:\/\/[^/?#\s]+\/?$/i, 'expected ldap://host[:port] or ldaps://host[:port]')
    .describe('the directory server: ldap://host[:389] or ldaps://host[:636]'),
  startTls: bool
    .default(false)
    .describe(
      'true: upgrade an ldap:// connection with StartTLS before binding (refused if the server cannot)',
    ),
  bindDn: dnSetting('the account to bind as').describe('the DN to bind as, e.g. cn=admin,dc=example,dc=org'),
  password: secretSetting().describe(`the bind password; \${env:NAME} or \${file:PATH} references work`),
  caFile: z
    .string()
    .optional()
    .describe(
      'a PEM file of the CA certificates that signed the server certificate (relative to the config)',
    ),
  insecure: bool
    .default(false)
    .describe('true: do not verify the server certificate (warned on every run); for a test directory only'),
  tlsServerName: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the host name the server certificate must carry, when url names an address or an alias (default: the url host)',
    ),
  timeoutMs: whole(1, 600_000, ' (ms)')
    .default(DEFAULT_TIMEOUT_MS)
    .describe('ms to wait for a connection or an answer before the operation fails'),
  userBase: dnSetting('the users subtree').describe(
    'where users are searched and created, e.g. ou=people,dc=example,dc=org',
  ),
  groupBase: dnSetting('the groups subtree').describe(
    'where groups are searched and created, e.g. ou=groups,dc=example,dc=org',
  ),
  memberChunkSize: whole(1, 5_000)
    .default(DEFAULT_MEMBER_CHUNK)
    .describe('most member values one modify of a group adds or removes'),
});
export type DirectorySettings = z.output<typeof directorySettings>;
