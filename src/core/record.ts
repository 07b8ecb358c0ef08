// The only place records are built: IAM.Vendor (spec section 2) and the group records. Errors are
// turned into errorCode/errorMessage here and nowhere else; secrets are removed from everything.
import type { Account, AppObject, Group } from './connector.js';
import { AppError, IamError, InvalidResponseError, RateLimitedError, TransportError } from './errors.js';
import type { Profile } from './profile.js';
import { redact, redactShared, redactText } from './redact.js';

export type UserAction = 'get' | 'create' | 'update' | 'enable' | 'disable' | 'delete';

/** IAM.Vendor, fields in the order of the spec's table. */
export interface VendorRecord {
  action: UserAction;
  brand: string;
  instanceName: string;
  success: boolean;
  active: boolean | null;
  id: string | null;
  username: string | null;
  email: string | null;
  errorCode: number | string | null;
  errorMessage: string;
  details: unknown;
  skipped: boolean;
  reason: string;
}

export interface UserResult {
  vendor: VendorRecord;
  /** IAM.UserProfile: the incoming-mapped account after a get, else the input profile. */
  userProfile: Profile;
}

/**
 * A group command's record. Its keys, their nulls and their order are the original design's
 * (`GetGroup`, `CreateGroup`... in its examples): `active`, `email` and `username` are always null
 * for a group, `members` null unless asked for, `errorMessage` null on success. `details` is an
 * object here (the original put the answer's headers there as a string).
 */
export interface GroupRecord {
  active: null;
  brand: string;
  details: unknown;
  displayName: string | null;
  email: null;
  errorCode: number | string | null;
  errorMessage: string | null;
  id: string | null;
  instanceName: string;
  members: { value: string; display: string | null }[] | null;
  success: boolean;
  username: null;
  /** Only in a dry run (core/dry-run.ts): true, with `reason`, so it never passes for a real change. */
  skipped?: boolean;
  reason?: string;
}

export interface RecordContext {
  brand: string;
  instanceName: string;
  /** Secret values of the instance: scrubbed from messages and details wherever they appear. */
  secrets: readonly string[];
}

const MAX_MESSAGE = 500;

/** A one-line, printable, secret-free message; never a stack. */
export function cleanMessage(text: string, secrets: readonly string[]): string {
  // Control characters (terminal escapes among them) become spaces.
  const oneLine = Array.from(text, (c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const safe = redactText(oneLine, secrets);
  return safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE - 1)}…` : safe;
}

export function errorParts(
  error: unknown,
  secrets: readonly string[],
): { code: number | string | null; message: string } {
  if (error instanceof TransportError) return { code: null, message: cleanMessage(error.message, secrets) };
  if (error instanceof AppError) {
    return { code: error.status ?? error.vendorCode ?? null, message: cleanMessage(error.message, secrets) };
  }
  if (error instanceof IamError) return { code: null, message: cleanMessage(error.message, secrets) };
  // An unexpected bug: say so plainly, without a stack.
  const msg = error instanceof Error ? error.message : String(error);
  return { code: null, message: cleanMessage(`Internal error: ${msg}`, secrets) };
}

/** Why a failed record may succeed if its whole command runs again later (see `transientFailure`). */
export interface TransientFailure {
  /** The app's Retry-After on a 429, when it gave one. */
  retryAfterMs: number | undefined;
}

/**
 * Whether an error is transient: a 429, 502/503/504 or no answer (reset, timeout) that outlasted the
 * transport's attempts. The causes are followed, since a message may be wrapped (a create whose
 * outcome is unknown). Validation errors, 401/403, 404, 409, bad config and usage never are.
 */
export function transientCause(error: unknown): TransientFailure | undefined {
  let e = error;
  for (let depth = 0; depth < 8; depth++) {
    if (e instanceof RateLimitedError) return { retryAfterMs: e.retryAfterMs };
    if (e instanceof InvalidResponseError) return undefined;
    if (e instanceof AppError) return e.retryable ? { retryAfterMs: undefined } : undefined;
    if (!(e instanceof TransportError)) return undefined;
    if (e.retryable) return { retryAfterMs: undefined };
    e = e.cause;
  }
  return undefined;
}

// Failed records whose cause was transient, for the batch escrow: a side channel keyed by the record
// object, so the record's fields (and its JSON) stay exactly those of the spec. Weak: no leak.
const transientRecords = new WeakMap<VendorRecord, TransientFailure>();

/** Set on a failed record built from a transient error: running the same command again is safe. */
export function transientFailure(record: VendorRecord): TransientFailure | undefined {
  return record.success ? undefined : transientRecords.get(record);
}

/** A copy of a failed record with other `details`, still marked if the original was transient. */
export function withFailureDetails(record: VendorRecord, details: unknown): VendorRecord {
  const copy = { ...record, details };
  const transient = transientRecords.get(record);
  if (transient) transientRecords.set(copy, transient);
  return copy;
}

/**
 * The spec's `email`: the profile's, else the app's primary email, else null; but a get reports the
 * account as found (its row: "active/id/username/email from the app"), whatever the profile said.
 */
function emailOf(profile: Profile, account: Account | undefined, action?: UserAction): string | null {
  if (action === 'get' && account) return account.email ?? null;
  const p = profile.email;
  if (typeof p === 'string' && p) return p;
  return account?.email ?? null;
}

export function successRecord(
  ctx: RecordContext,
  action: UserAction,
  profile: Profile,
  account: Account,
): VendorRecord {
  return {
    action,
    brand: ctx.brand,
    instanceName: ctx.instanceName,
    success: true,
    active: account.active,
    id: account.id,
    username: account.username,
    email: emailOf(profile, account, action),
    errorCode: null,
    errorMessage: '',
    details: redactShared(account.raw, ctx.secrets),
    skipped: false,
    reason: '',
  };
}

export function skippedRecord(
  ctx: RecordContext,
  action: UserAction,
  profile: Profile,
  reason: string,
  mapped: AppObject,
  account?: Account,
): VendorRecord {
  return {
    action,
    brand: ctx.brand,
    instanceName: ctx.instanceName,
    success: true,
    active: null,
    id: account?.id ?? null,
    username: account?.username ?? null,
    email: emailOf(profile, account),
    errorCode: null,
    errorMessage: '',
    details: redactShared(mapped, ctx.secrets),
    skipped: true,
    reason,
  };
}

export function errorRecord(
  ctx: RecordContext,
  action: UserAction,
  profile: Profile,
  error: unknown,
  details: unknown,
  account?: Account,
  code?: number | string | null,
): VendorRecord {
  const parts = errorParts(error, ctx.secrets);
  const record: VendorRecord = {
    action,
    brand: ctx.brand,
    instanceName: ctx.instanceName,
    success: false,
    active: null,
    id: account?.id ?? null,
    username: account?.username ?? null,
    email: emailOf(profile, account),
    errorCode: code === undefined ? parts.code : code,
    errorMessage: parts.message,
    details: redact(details, ctx.secrets),
    skipped: false,
    reason: '',
  };
  const transient = transientCause(error);
  if (transient) transientRecords.set(record, transient);
  return record;
}

export function groupSuccess(ctx: RecordContext, group: Group, includeMembers?: boolean): GroupRecord {
  return groupRecord(ctx, {
    success: true,
    id: group.id,
    displayName: group.displayName,
    details: group.raw,
    ...(includeMembers ? { members: group.members } : {}),
  });
}

/** A group record with every key in the original's order; `errorMessage` null unless given. */
export function groupRecord(
  ctx: RecordContext,
  init: Partial<Omit<GroupRecord, 'brand' | 'instanceName'>> & { success: boolean },
): GroupRecord {
  return {
    active: null,
    brand: ctx.brand,
    details: redact(init.details ?? {}, ctx.secrets),
    displayName: init.displayName ?? null,
    email: null,
    errorCode: init.errorCode ?? null,
    errorMessage: init.errorMessage ?? null,
    id: init.id ?? null,
    instanceName: ctx.instanceName,
    members: init.members ?? null,
    success: init.success,
    username: null,
  };
}

export function groupError(
  ctx: RecordContext,
  error: unknown,
  init: { id?: string | null; details?: unknown },
): GroupRecord {
  const parts = errorParts(error, ctx.secrets);
  return groupRecord(ctx, {
    success: false,
    id: init.id ?? null,
    errorCode: parts.code,
    errorMessage: parts.message,
    details: init.details ?? {},
  });
}
