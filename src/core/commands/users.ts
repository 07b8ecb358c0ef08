// The user commands of spec section 3. The connector translates; every rule lives here: flags are
// checked before any call, create<->update delegate at most once, skips carry the spec's reasons.
import type { Account, AppObject } from '../connector.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import { mapIncoming, mapOutgoing } from '../mapping/engine.js';
import type { Profile } from '../profile.js';
import {
  errorRecord,
  skippedRecord,
  successRecord,
  type UserAction,
  type UserResult,
  type VendorRecord,
} from '../record.js';
import { currentProfile, findAccount, lookupKeys, noLookupMessage } from './lookup.js';

export const REASON_DISABLED = 'Command is disabled.';
export const REASON_NO_USER = 'User does not exist';
export const REASON_ALREADY_ENABLED = 'User is already enabled.';
export const REASON_ALREADY_DISABLED = 'User is already disabled.';

export interface WriteOptions {
  allowEnable: boolean;
}

const result = (vendor: VendorRecord, profile: Profile): UserResult => ({ vendor, userProfile: profile });

function mapped(rt: InstanceRuntime, profile: Profile, variant: 'create' | 'update'): AppObject {
  return mapOutgoing(rt.mapping.outgoing, currentProfile(profile), variant);
}

/** Finds the account, or says (as a record) why it could not look. */
async function locate(
  rt: InstanceRuntime,
  action: UserAction,
  profile: Profile,
  variant: 'create' | 'update',
): Promise<{ account: Account | null } | { record: VendorRecord }> {
  const keys = lookupKeys(rt, profile, variant);
  if (keys.length === 0) {
    return {
      record: errorRecord(
        rt,
        action,
        profile,
        new UsageError(noLookupMessage(rt)),
        mapped(rt, profile, variant),
      ),
    };
  }
  try {
    return { account: await findAccount(rt, keys) };
  } catch (e) {
    return { record: errorRecord(rt, action, profile, e, mapped(rt, profile, variant)) };
  }
}

export async function getUser(rt: InstanceRuntime, profile: Profile): Promise<UserResult> {
  const found = await locate(rt, 'get', profile, 'update');
  if ('record' in found) return result(found.record, profile);
  if (!found.account) {
    const err = new NotFoundError(REASON_NO_USER);
    return result(
      errorRecord(rt, 'get', profile, err, mapped(rt, profile, 'update'), undefined, 404),
      profile,
    );
  }
  return {
    vendor: successRecord(rt, 'get', profile, found.account),
    userProfile: mapIncoming(rt.mapping.incoming, found.account.raw),
  };
}

export async function createUser(
  rt: InstanceRuntime,
  profile: Profile,
  opts: WriteOptions,
  delegated = false,
): Promise<UserResult> {
  const fields = mapped(rt, profile, 'create');
  if (!rt.flags.allowCreate)
    return result(skippedRecord(rt, 'create', profile, REASON_DISABLED, fields), profile);
  const found = await locate(rt, 'create', profile, 'create');
  if ('record' in found) return result(found.record, profile);
  if (found.account) return updateFound(rt, profile, found.account, opts);
  try {
    const account = await rt.connector.createUser(fields, { active: opts.allowEnable });
    return result(successRecord(rt, 'create', profile, account), profile);
  } catch (e) {
    // Someone created it between our lookup and our create: adopt it as an update, once.
    if (e instanceof ConflictError && !delegated) {
      const again = await locate(rt, 'create', profile, 'create');
      if (!('record' in again) && again.account) return updateFound(rt, profile, again.account, opts);
    }
    return result(errorRecord(rt, 'create', profile, e, fields), profile);
  }
}

export async function updateUser(
  rt: InstanceRuntime,
  profile: Profile,
  opts: WriteOptions,
  delegated = false,
): Promise<UserResult> {
  if (!rt.flags.allowUpdate) {
    return result(
      skippedRecord(rt, 'update', profile, REASON_DISABLED, mapped(rt, profile, 'update')),
      profile,
    );
  }
  const found = await locate(rt, 'update', profile, 'update');
  if ('record' in found) return result(found.record, profile);
  if (!found.account) {
    if (rt.flags.createIfNotExists && !delegated) return createUser(rt, profile, opts, true);
    return result(
      skippedRecord(rt, 'update', profile, REASON_NO_USER, mapped(rt, profile, 'update')),
      profile,
    );
  }
  return updateFound(rt, profile, found.account, opts);
}

/** Update of a known account: enable first when allowed, then write the changed fields. */
async function updateFound(
  rt: InstanceRuntime,
  profile: Profile,
  account: Account,
  opts: WriteOptions,
): Promise<UserResult> {
  const fields = mapped(rt, profile, 'update');
  if (!rt.flags.allowUpdate) {
    return result(skippedRecord(rt, 'update', profile, REASON_DISABLED, fields, account), profile);
  }
  let current = account;
  const applied: string[] = [];
  try {
    if (opts.allowEnable && rt.flags.allowEnable && !current.active) {
      current = await rt.connector.setActive(current, true);
      applied.push('enable');
    }
    current = await rt.connector.updateUser(current, fields);
    return result(successRecord(rt, 'update', profile, current), profile);
  } catch (e) {
    // Nothing applied is hidden: an enable that landed before the failed update is in details.
    const details = applied.length ? { ...fields, appliedBeforeError: applied } : fields;
    return result(errorRecord(rt, 'update', profile, e, details, current), profile);
  }
}

async function setActive(rt: InstanceRuntime, profile: Profile, active: boolean): Promise<UserResult> {
  const action: UserAction = active ? 'enable' : 'disable';
  const fields = mapped(rt, profile, 'update');
  const allowed = active ? rt.flags.allowEnable : rt.flags.allowDisable;
  if (!allowed) return result(skippedRecord(rt, action, profile, REASON_DISABLED, fields), profile);
  const found = await locate(rt, action, profile, 'update');
  if ('record' in found) return result(found.record, profile);
  const account = found.account;
  if (!account) return result(skippedRecord(rt, action, profile, REASON_NO_USER, fields), profile);
  if (account.active === active) {
    const reason = active ? REASON_ALREADY_ENABLED : REASON_ALREADY_DISABLED;
    return result(skippedRecord(rt, action, profile, reason, fields, account), profile);
  }
  try {
    const updated = await rt.connector.setActive(account, active);
    return result(successRecord(rt, action, profile, updated), profile);
  } catch (e) {
    // The account vanished between lookup and write: that is "does not exist", not an error.
    if (e instanceof NotFoundError)
      return result(skippedRecord(rt, action, profile, REASON_NO_USER, fields), profile);
    return result(errorRecord(rt, action, profile, e, fields, account), profile);
  }
}

export const enableUser = (rt: InstanceRuntime, profile: Profile) => setActive(rt, profile, true);
export const disableUser = (rt: InstanceRuntime, profile: Profile) => setActive(rt, profile, false);
