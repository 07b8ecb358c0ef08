// AD takes a password only in `unicodePwd`, as the password in double quotes encoded UTF-16LE
// (MS-ADTS 3.1.1.3.1.5.1), and only over an encrypted connection: Windows refuses it on plain LDAP
// (Samba with "ldap server require strong auth = no" would even accept it, in clear on the wire).
// So the connector refuses before sending, whatever the DC would do.
import { ConfigError } from '../../core/errors.js';

export interface ConnectionSecurity {
  url: string;
  startTls?: boolean;
}

/** The connection encrypts (LDAPS, or StartTLS on plain LDAP). */
export const isEncrypted = (c: ConnectionSecurity): boolean =>
  /^ldaps:\/\//i.test(c.url.trim()) || c.startTls === true;

/**
 * The `unicodePwd` value for `password`; a ConfigError naming the settings to change (never the
 * password) when the connection is not encrypted.
 */
export function encodeUnicodePwd(password: string, connection: ConnectionSecurity): Buffer {
  if (!isEncrypted(connection)) {
    throw new ConfigError(
      'Active Directory sets a password (unicodePwd) only over an encrypted connection: set url to ldaps://... or startTls: true (the password was not sent)',
    );
  }
  return Buffer.from(`"${password}"`, 'utf16le');
}
