// Renames (spec section 4): `olduserdata` holds the previous values, and update finds the account
// by them. When they find none, the rename fails: the account the new values find may be another
// person's (updating it would rename the wrong account), and creating one would leave the old account
// behind. `olduserdata` itself is never mapped or sent (lookup.ts `currentProfile`).
import type { Account, AppObject } from '../connector.js';
import { NotFoundError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import type { Profile } from '../profile.js';
import { errorRecord, type VendorRecord } from '../record.js';
import { currentProfile, findAccount, keyFor } from './lookup.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The account a rename applies to, or the record saying why there is none; undefined when the
 * profile renames no lookup attribute (no `olduserdata`, or old and new give the same lookup key):
 * then the update looks the account up as usual.
 */
export async function locateRename(
  rt: InstanceRuntime,
  profile: Profile,
  fields: AppObject,
): Promise<{ account: Account } | { record: VendorRecord } | undefined> {
  if (!isObj(profile.olduserdata)) return undefined;
  const current = currentProfile(profile);
  const old = keyFor(rt, { ...current, ...profile.olduserdata }, 'update');
  const now = keyFor(rt, current, 'update');
  if (!old || (now && old.attribute === now.attribute && old.value === now.value)) return undefined;
  try {
    const account = await findAccount(rt, [old]);
    if (account) return { account };
    // Said, never acted on: a re-run of a rename that already landed finds its account here.
    const holder = now ? await findAccount(rt, [now]).catch(() => null) : null;
    const hint = holder
      ? `; account ${holder.id} holds the new values (the rename may have been applied already: check with get-user)`
      : '';
    const what = `${old.attribute} ${JSON.stringify(old.value)}`;
    const err = new NotFoundError(
      `rename: no account holds the old values (${what}); nothing was changed${hint}`,
    );
    return { record: errorRecord(rt, 'update', profile, err, fields, undefined, 404) };
  } catch (e) {
    return { record: errorRecord(rt, 'update', profile, e, fields) };
  }
}
