// Active Directory's schema as the directory kit's profile: `objectGUID` (16 bytes) as the id,
// `user` accounts named by `cn`, `userAccountControl`'s ACCOUNTDISABLE bit as the active state (every
// other bit kept), `unicodePwd` then `userAccountControl` set after the add, and the disabledOu move.
import type { Change } from 'ldapts';
import { all, type DirEntry, first } from '../../ldap/client.js';
import { normalizeDn, parentDn } from '../../ldap/escape.js';
import { attributeChange } from '../../ldap/lib.js';
import type { CreateStepContext, DirectoryProfile } from '../../ldap/profile.js';
import { guidFromBytes, guidToBytes } from './guid.js';
import type { AdResolved } from './settings.js';
import { encodeUnicodePwd } from './unicode-pwd.js';
import {
  isAccountDisabled,
  newAccountControl,
  parseAccountControl,
  withAccountDisabled,
} from './user-account-control.js';

/** While an account sits in disabledOu, this attribute holds where it came from. */
export const ORIGIN_ATTRIBUTE = 'adminDescription';
const ORIGIN_PREFIX = 'iam-commands origin: ';

const text = (v: string | Buffer | undefined): string | undefined =>
  v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : v;

const replace = (type: string, values: (string | Buffer)[]) => attributeChange('replace', type, values);

const accountControl = (entry: DirEntry): number => {
  const uac = parseAccountControl(text(first(entry, 'userAccountControl')));
  // An account whose flags cannot be read is never reported active.
  return uac ?? newAccountControl(false);
};

/** Is `dn` at or below `base`? */
export const isUnder = (dn: string, base: string): boolean => {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
};

/** The origin recorded on an entry in disabledOu, or null. */
export function originOf(entry: DirEntry): string | null {
  const v = all(entry, ORIGIN_ATTRIBUTE)
    .map(text)
    .find((s) => s?.startsWith(ORIGIN_PREFIX));
  return v ? v.slice(ORIGIN_PREFIX.length) : null;
}

/** Deletes the entry a create just added after a later step of it failed; says so in the error. */
async function undoAdd(step: CreateStepContext, e: unknown): Promise<unknown> {
  let note = `the new account ${step.dn} was deleted again`;
  try {
    step.report('DELETE', step.dn, []);
    await step.client.del(step.dn);
  } catch {
    note = `the new account ${step.dn} is left disabled`;
  }
  if (e instanceof Error) e.message = `${e.message} (${note})`;
  return e;
}

export function adProfile(settings: AdResolved): DirectoryProfile {
  const { disabledOu } = settings;
  const moving = (entry: DirEntry) => disabledOu !== undefined && !isUnder(entry.dn, disabledOu);
  return {
    idAttribute: 'objectGUID',
    decodeId: (v) => (Buffer.isBuffer(v) ? guidFromBytes(v) : v),
    encodeId: (id) => guidToBytes(id),
    // objectSid is bytes too: read as bytes it is never mangled text (the kit leaves binary out of details).
    binaryAttributes: ['objectGUID', 'objectSid'],
    userObjectClasses: ['top', 'person', 'organizationalPerson', 'user'],
    userFilterClass: 'user',
    userAttributes: ['userAccountControl', ORIGIN_ATTRIBUTE, 'memberOf'],
    namingAttribute: 'cn',
    usernameAttribute: settings.usernameAttribute,
    emailAttribute: 'mail',
    createDefaults: { cn: ['displayName', 'sAMAccountName'] },
    // `password` is set by afterCreate as unicodePwd; memberOf is computed by AD.
    readOnlyAttributes: ['password', 'unicodePwd', 'memberOf', 'userAccountControl', ORIGIN_ATTRIBUTE],

    isActive: (entry) => !isAccountDisabled(accountControl(entry)),

    activeChange(entry, active) {
      const uac = accountControl(entry);
      const next = withAccountDisabled(uac, !active);
      const changes: Change[] = next === uac ? [] : [replace('userAccountControl', [String(next)])];
      const origin = all(entry, ORIGIN_ATTRIBUTE).map(text);
      const ours = origin.length === 1 && origin[0]?.startsWith(ORIGIN_PREFIX);
      if (!active && moving(entry) && (origin.length === 0 || ours)) {
        changes.push(replace(ORIGIN_ATTRIBUTE, [`${ORIGIN_PREFIX}${parentDn(entry.dn)}`]));
      }
      if (active && ours && disabledOu !== undefined && isUnder(entry.dn, disabledOu)) {
        changes.push(attributeChange('delete', ORIGIN_ATTRIBUTE));
      }
      return changes.length ? changes : null;
    },

    // A new account is disabled until its password (if any) is set: AD refuses to enable an account
    // whose password breaks the policy, and an account without one must not be live meanwhile.
    activeOnCreate: () => ({ userAccountControl: [String(newAccountControl(false))] }),

    async afterCreate(step: CreateStepContext) {
      const password = step.fields.password;
      const writes: { names: string[]; changes: Change[] }[] = [];
      if (typeof password === 'string' && password !== '') {
        writes.push({
          names: ['unicodePwd'],
          changes: [replace('unicodePwd', [encodeUnicodePwd(password, settings)])],
        });
      }
      if (step.active) {
        const enabled = String(newAccountControl(true));
        writes.push({ names: ['userAccountControl'], changes: [replace('userAccountControl', [enabled])] });
      }
      for (const w of writes) {
        step.report('MODIFY', step.dn, w.names);
        if (step.dryRun) continue;
        try {
          await step.client.modify(step.dn, w.changes);
        } catch (e) {
          // The add landed but the account is not what was asked (a password the policy refuses):
          // it is deleted again, so a corrected create starts clean and nothing is left half made.
          throw await undoAdd(step, e);
        }
      }
    },

    moveOnActive(entry, active) {
      if (disabledOu === undefined) return null;
      if (!active) return moving(entry) ? disabledOu : null;
      if (!isUnder(entry.dn, disabledOu)) return null;
      return originOf(entry) ?? settings.userBase;
    },

    group: {
      objectClass: 'group',
      memberAttribute: 'member',
      memberValue: 'dn',
      nameAttribute: 'cn',
    },
  };
}
