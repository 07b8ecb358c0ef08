// The user commands of spec section 3. The connector translates; every rule lives here: flags are
// checked before any call, create<->update delegate at most once, skips carry the spec's reasons.
import type { Account, AppObject } from '../connector.js';
import {
  AppError,
  ConflictError,
  IamError,
  InvalidResponseError,
  NotFoundError,
  NotSupportedError,
  TransportError,
  UsageError,
} from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import { mapIncoming, mapOutgoing } from '../mapping/engine.js';
import type { Profile } from '../profile.js';
import {
  errorParts,
  errorRecord,
  skippedRecord,
  successRecord,
  type UserAction,
  type UserResult,
  type VendorRecord,
} from '../record.js';
import { type SupportedCommand, supports, unsupported } from '../supports.js';
import { currentProfile, findAccount, findByEveryKey, lookupKeys, noLookupMessage } from './lookup.js';
import { locateRename } from './rename.js';

export const REASON_DISABLED = 'Command is disabled.';
export const REASON_NO_USER = 'User does not exist';
export const REASON_ALREADY_ENABLED = 'User is already enabled.';
export const REASON_ALREADY_DISABLED = 'User is already disabled.';

export interface WriteOptions {
  allowEnable: boolean;
}

export const result = (vendor: VendorRecord, profile: Profile): UserResult => ({
  vendor,
  userProfile: profile,
});

export function mapped(rt: InstanceRuntime, profile: Profile, variant: 'create' | 'update'): AppObject {
  return mapOutgoing(rt.mapping.outgoing, currentProfile(profile), variant);
}

/** The record for a command the connector cannot do (no call made), or undefined when it can. */
export function notSupported(
  rt: InstanceRuntime,
  command: SupportedCommand,
  action: UserAction,
  profile: Profile,
): UserResult | undefined {
  if (supports(rt.connector, command)) return undefined;
  const err = new NotSupportedError(unsupported(rt.brand, command));
  return result(errorRecord(rt, action, profile, err, mapped(rt, profile, 'update')), profile);
}

/** Finds the account, or says (as a record) why it could not look. */
export async function locate(
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
        new UsageError(noLookupMessage(rt, profile)),
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
  const cannot = notSupported(rt, 'get-user', 'get', profile);
  if (cannot) return cannot;
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
): Promise<UserResult> {
  const cannot = notSupported(rt, 'create-user', 'create', profile);
  if (cannot) return cannot;
  const fields = mapped(rt, profile, 'create');
  if (!rt.flags.allowCreate)
    return result(skippedRecord(rt, 'create', profile, REASON_DISABLED, fields), profile);
  const found = await locate(rt, 'create', profile, 'create');
  if ('record' in found) return result(found.record, profile);
  if (found.account) return updateFound(rt, profile, found.account, opts);
  return sendCreate(rt, profile, fields, opts);
}

/** No answer, or a gateway error: the create may or may not have reached the app, and may be sent again. */
function mayHaveLanded(e: unknown): e is IamError {
  return e instanceof IamError && e.mayHaveLanded && e.retryable;
}

/** The app accepted the create but its answer cannot be read (no id, empty): it landed. */
function landedUnreadable(e: unknown): e is InvalidResponseError {
  return e instanceof InvalidResponseError && e.landed;
}

/** The same error (class, status, code) with more said after its message. */
function explained(e: IamError, more: string): IamError {
  const message = `${e.message}; ${more}`;
  if (e instanceof InvalidResponseError) {
    return new InvalidResponseError(message, {
      ...(e.status === undefined ? {} : { status: e.status }),
      cause: e,
    });
  }
  const flags = { retryable: e.retryable, mayHaveLanded: e.mayHaveLanded };
  if (e instanceof AppError) {
    const init = e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode };
    return new AppError(message, {
      ...init,
      ...flags,
      ...(e.status === undefined ? {} : { status: e.status }),
      cause: e,
    });
  }
  return new TransportError(message, { ...flags, cause: e });
}

/**
 * Looks the account up again after an uncertain create: the account, null, or why it could not
 * look. `every`: by each lookup attribute present, not only the first (after a 409).
 */
async function lookAgain(
  rt: InstanceRuntime,
  profile: Profile,
  every = false,
): Promise<{ account: Account | null } | { error: unknown }> {
  try {
    const keys = lookupKeys(rt, profile, 'create');
    return { account: await (every ? findByEveryKey(rt, keys) : findAccount(rt, keys)) };
  } catch (error) {
    return { error };
  }
}

/**
 * Sends the create and never blindly again: when its answer is lost it may or may not have
 * landed, so the account is looked up first. Found: it landed (action `create`). Not found: send
 * again, within the runtime's retry budget (each counted as a retry). A 409 after an uncertain
 * attempt is that attempt having landed after all: the account is ours, adopted as `create`.
 */
async function sendCreate(
  rt: InstanceRuntime,
  profile: Profile,
  fields: AppObject,
  opts: WriteOptions,
): Promise<UserResult> {
  const attempts = Math.max(1, rt.retry?.attempts ?? 1);
  const failed = (e: unknown) => result(errorRecord(rt, 'create', profile, e, fields), profile);
  let uncertain: IamError | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const account = await (rt.connector.createUser?.(fields, { active: opts.allowEnable }) ??
        Promise.reject(new NotSupportedError(unsupported(rt.brand, 'create-user'))));
      return result(successRecord(rt, 'create', profile, account), profile);
    } catch (e) {
      if (e instanceof ConflictError) {
        // The account that conflicts may be found by another attribute than the first (a userName
        // the app's filter mishandles, an email it keeps unique): ask by every one before failing.
        const again = await lookAgain(rt, profile, true);
        const found = again && 'account' in again ? again.account : null;
        // Our uncertain attempt landed after all: the account is ours, adopted as `create`.
        if (found && uncertain) return result(successRecord(rt, 'create', profile, found), profile);
        // Someone created it between our lookup and our create (another process, another batch line):
        // adopt it as an update, once; also when this create was delegated from update-user, since
        // updating that account is the command itself, not a second delegation.
        if (found) return updateFound(rt, profile, found, opts);
        return failed(e);
      }
      if (landedUnreadable(e)) return readBack(rt, profile, fields, e);
      if (!mayHaveLanded(e)) return failed(e);
      uncertain = e;
    }
    const again = await lookAgain(rt, profile);
    if ('error' in again) {
      const why = errorParts(again.error, rt.secrets).message;
      return failed(
        explained(
          uncertain,
          `the create may have landed and the lookup to check failed (${why}): run get-user before trying again`,
        ),
      );
    }
    if (again.account) return result(successRecord(rt, 'create', profile, again.account), profile);
    if (attempt >= attempts) {
      const tries = attempt === 1 ? 'the lookup after it' : `${attempt} attempts; the lookup after each`;
      return failed(explained(uncertain, `not created (${tries} found no account)`));
    }
    await rt.retry?.beforeRetry(attempt, uncertain.message);
  }
}

/**
 * The app said it created the account (2xx) but its answer cannot be read (no id, empty body): the
 * create landed, so it is never sent again; the account is looked up and reported as it is.
 */
async function readBack(
  rt: InstanceRuntime,
  profile: Profile,
  fields: AppObject,
  e: InvalidResponseError,
): Promise<UserResult> {
  const again = await lookAgain(rt, profile, true);
  if ('account' in again && again.account) {
    return result(successRecord(rt, 'create', profile, again.account), profile);
  }
  const why =
    'error' in again
      ? `the lookup to read it back failed (${errorParts(again.error, rt.secrets).message})`
      : 'the lookup to read it back found no account';
  const err = explained(e, `the app accepted the create but ${why}: run get-user before trying again`);
  return result(errorRecord(rt, 'create', profile, err, fields), profile);
}

export async function updateUser(
  rt: InstanceRuntime,
  profile: Profile,
  opts: WriteOptions,
  delegated = false,
): Promise<UserResult> {
  const cannot = notSupported(rt, 'update-user', 'update', profile);
  if (cannot) return cannot;
  if (!rt.flags.allowUpdate) {
    return result(
      skippedRecord(rt, 'update', profile, REASON_DISABLED, mapped(rt, profile, 'update')),
      profile,
    );
  }
  const renamed = await locateRename(rt, profile, mapped(rt, profile, 'update'));
  if (renamed) {
    if ('record' in renamed) return result(renamed.record, profile);
    return updateFound(rt, profile, renamed.account, opts);
  }
  const found = await locate(rt, 'update', profile, 'update');
  if ('record' in found) return result(found.record, profile);
  if (!found.account) {
    if (rt.flags.createIfNotExists && !delegated && supports(rt.connector, 'create-user')) {
      return createUser(rt, profile, opts);
    }
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
  const { connector } = rt;
  if (!connector.updateUser) {
    const err = new NotSupportedError(unsupported(rt.brand, 'update-user'));
    return result(errorRecord(rt, 'update', profile, err, fields, account), profile);
  }
  let current = account;
  const applied: string[] = [];
  try {
    if (opts.allowEnable && rt.flags.allowEnable && !current.active && connector.setActive) {
      current = await connector.setActive(current, true);
      applied.push('enable');
    }
    current = (await connector.updateUser(current, fields)).account;
    return result(successRecord(rt, 'update', profile, current), profile);
  } catch (e) {
    // Nothing applied is hidden: an enable that landed before the failed update is in details.
    const details = applied.length ? { ...fields, appliedBeforeError: applied } : fields;
    return result(errorRecord(rt, 'update', profile, e, details, current), profile);
  }
}

async function setActive(rt: InstanceRuntime, profile: Profile, active: boolean): Promise<UserResult> {
  const action: UserAction = active ? 'enable' : 'disable';
  const cannot = notSupported(rt, active ? 'enable-user' : 'disable-user', action, profile);
  if (cannot) return cannot;
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
    const updated = await (rt.connector.setActive?.(account, active) ??
      Promise.reject(new NotSupportedError(unsupported(rt.brand, `${action}-user`))));
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
