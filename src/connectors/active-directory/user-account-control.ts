// `userAccountControl` is a bit field (MS-ADTS 2.2.16); disabling an account sets ACCOUNTDISABLE and
// must keep every other bit as it was (a password that never expires, a smart card requirement, a
// trusted-for-delegation flag...): a plain 512/514 write would silently drop them.

export const UAC = {
  SCRIPT: 0x1,
  ACCOUNTDISABLE: 0x2,
  HOMEDIR_REQUIRED: 0x8,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  PASSWD_CANT_CHANGE: 0x40,
  NORMAL_ACCOUNT: 0x200,
  DONT_EXPIRE_PASSWORD: 0x10000,
  SMARTCARD_REQUIRED: 0x40000,
  PASSWORD_EXPIRED: 0x800000,
} as const;

/** A new user: a normal account, enabled (512) or disabled (514). */
export const newAccountControl = (active: boolean): number =>
  UAC.NORMAL_ACCOUNT | (active ? 0 : UAC.ACCOUNTDISABLE);

/**
 * The value as AD returns it (a signed 32-bit decimal string, sometimes in an array); null when it
 * is absent or not an integer.
 */
export function parseAccountControl(raw: unknown): number | null {
  const v = Array.isArray(raw) ? raw[0] : raw;
  const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  if (!/^-?\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n < -0x80000000 || n > 0xffffffff ? null : n | 0;
}

export const isAccountDisabled = (uac: number): boolean => (uac & UAC.ACCOUNTDISABLE) !== 0;

/** `uac` with ACCOUNTDISABLE set (disabled) or cleared, every other bit kept; AD's signed form. */
export function withAccountDisabled(uac: number, disabled: boolean): number {
  return disabled ? uac | UAC.ACCOUNTDISABLE | 0 : (uac & ~UAC.ACCOUNTDISABLE) | 0;
}
