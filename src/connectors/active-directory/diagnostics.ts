// AD puts the reason for a refusal in the LDAP result's diagnostic message: a Win32 error code in
// hex at its start ("0000052D: Constraint violation - ...") and, for a failed bind, a sub-code after
// "data" ("... AcceptSecurityContext error, data 533, v1db1"). The LDAP result code alone (19, 49,
// 68...) does not say what to do; these tables do. Codes: MS-ERREF 2.2 (Win32 error codes), and
// the bind sub-codes Microsoft documents for error 49.

/** Win32 codes at the start of a diagnostic message, and what they mean for the user. */
const WIN32: Readonly<Record<string, string>> = {
  '00000005':
    'the bind account lacks the rights for this change (ERROR_ACCESS_DENIED): grant it on the target OU',
  '0000001F':
    'the domain controller refused the change (ERROR_GEN_FAILURE); a password is set only over LDAPS or StartTLS',
  '00000057': 'a value is not valid for its attribute (ERROR_INVALID_PARAMETER)',
  '00000525': 'a DN given as a member or manager does not exist (ERROR_NO_SUCH_USER)',
  '0000052D':
    "the password does not meet the domain's password policy (length, complexity or history) (ERROR_PASSWORD_RESTRICTION)",
  '00000561': 'the account is not a member of the group (ERROR_MEMBER_NOT_IN_ALIAS)',
  '00000562': 'the account is already a member of the group (ERROR_MEMBER_IN_ALIAS)',
  '00002030':
    'the entry or its parent container does not exist (ERROR_DS_NO_SUCH_OBJECT): check userBase, groupBase and disabledOu',
  '0000202B': 'the DN is outside this domain (ERROR_DS_REFERRAL): check the base DNs',
  '00002071':
    'an account or group with this name already exists (ERROR_DS_OBJ_STRING_NAME_EXISTS): sAMAccountName and cn must be unique',
  '0000208D':
    'the entry or search base does not exist (ERROR_DS_OBJ_NOT_FOUND): check userBase, groupBase and disabledOu',
  '000021C8': 'another account already holds this userPrincipalName (ERROR_DS_NAME_NOT_UNIQUE)',
};

/** Bind sub-codes ("data 52e") of LDAP error 49. */
const BIND: Readonly<Record<string, string>> = {
  '525': 'no such user',
  '52e': 'wrong password',
  '530': 'not permitted to log on at this time',
  '531': 'not permitted to log on from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '568': 'too many security identifiers in the token',
  '701': 'the account has expired',
  '773': 'the password must be reset before the first logon',
  '775': 'the account is locked out',
};

export interface AdDiagnostic {
  /** The Win32 code (e.g. "0000052D") or the bind sub-code (e.g. "533"). */
  code: string;
  meaning: string;
}

/** The bind sub-code ("533") of a diagnostic message, lowercase, or null. */
export function bindSubCode(message: string): string | null {
  const m = /\bdata ([0-9a-f]{3,8})\b/i.exec(message);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** What an AD diagnostic message means, when it carries a code this table knows; else null. */
export function explainAdDiagnostic(message: string): AdDiagnostic | null {
  const sub = /AcceptSecurityContext/i.test(message) ? bindSubCode(message) : null;
  if (sub !== null && BIND[sub]) return { code: sub, meaning: BIND[sub] };
  // At the start of AD's text, or after the kit's "LDAP add CN=...: " prefix.
  const m = /(?:^|[\s:])([0-9a-f]{8}):\s/i.exec(message);
  const code = m?.[1]?.toUpperCase();
  return code && WIN32[code] ? { code, meaning: WIN32[code] } : null;
}
