// Audit entries: who did what to which account or group, with what outcome. Field NAMES only,
// never values: the audit log may be shipped to a SIEM that must not hold personal data or secrets.
// Two kinds of line share a correlation id: an `intent` before each write request is sent, and the
// command's `outcome` when it ends. An intent with no outcome is a change that may have landed.
import { changedFieldNames, type WriteDescription } from '../core/dry-run.js';
import type { Profile } from '../core/profile.js';
import { cleanMessage, type GroupRecord, type VendorRecord } from '../core/record.js';

export type AuditOutcome = 'success' | 'skipped' | 'failed';

export interface AuditEntry {
  /** Absent on lines written before intents existed: they are outcomes. */
  event: 'outcome';
  time: string;
  actor: string;
  instance: string;
  brand: string;
  /** The command as called, e.g. `create-user`. */
  command: string;
  /** What happened: `update` for a create-user of an existing account; for groups create/update/delete. */
  action: string | null;
  targetId: string | null;
  /** Users: the account's username (else the profile's). */
  username?: string | null;
  /** Groups: the group's display name. */
  displayName?: string | null;
  outcome: AuditOutcome;
  /** Why it was skipped (`User is already enabled.`, `Dry run: nothing was changed.`), else "". */
  reason: string;
  errorCode: number | string | null;
  errorMessage: string;
  correlationId: string;
  /** Names of the fields sent (for an update: what it changed), never their values. */
  fields: string[];
  dryRun: boolean;
}

export interface AuditContext {
  actor: string;
  correlationId: string;
  dryRun: boolean;
  writes: readonly WriteDescription[];
  now?: () => Date;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function userAuditEntry(
  command: string,
  vendor: VendorRecord,
  profile: Profile,
  ctx: AuditContext,
): AuditEntry {
  return {
    event: 'outcome',
    time: (ctx.now?.() ?? new Date()).toISOString(),
    actor: ctx.actor,
    instance: vendor.instanceName,
    brand: vendor.brand,
    command,
    action: vendor.action,
    targetId: vendor.id ?? str(profile.id),
    username: vendor.username ?? str(profile.username),
    outcome: !vendor.success ? 'failed' : vendor.skipped ? 'skipped' : 'success',
    reason: vendor.reason,
    errorCode: vendor.errorCode,
    errorMessage: vendor.errorMessage,
    correlationId: ctx.correlationId,
    fields: changedFieldNames(ctx.writes),
    dryRun: ctx.dryRun,
  };
}

export function groupAuditEntry(
  command: string,
  rec: GroupRecord,
  input: { id?: string; displayName?: string },
  ctx: AuditContext,
): AuditEntry {
  return {
    event: 'outcome',
    time: (ctx.now?.() ?? new Date()).toISOString(),
    actor: ctx.actor,
    instance: rec.instanceName,
    brand: rec.brand,
    command,
    action: command.replace(/-group$/, ''),
    targetId: rec.id ?? input.id ?? null,
    displayName: rec.displayName ?? input.displayName ?? null,
    outcome: !rec.success ? 'failed' : rec.skipped ? 'skipped' : 'success',
    reason: rec.reason ?? '',
    errorCode: rec.errorCode,
    errorMessage: rec.errorMessage ?? '',
    correlationId: ctx.correlationId,
    fields: changedFieldNames(ctx.writes),
    dryRun: ctx.dryRun,
  };
}

/** An entry for a command that threw instead of returning a record (a bug or an unexpected failure). */
export function thrownAuditEntry(
  base: { command: string; instance: string; brand: string },
  error: unknown,
  ctx: AuditContext,
): AuditEntry {
  return {
    event: 'outcome',
    time: (ctx.now?.() ?? new Date()).toISOString(),
    actor: ctx.actor,
    ...base,
    action: null,
    targetId: null,
    outcome: 'failed',
    reason: '',
    errorCode: null,
    errorMessage: cleanMessage(error instanceof Error ? error.message : String(error), []),
    correlationId: ctx.correlationId,
    fields: changedFieldNames(ctx.writes),
    dryRun: ctx.dryRun,
  };
}

/** Before a write request is sent: what it is about to change (names and counts, never values). */
export interface IntentEntry {
  event: 'intent';
  time: string;
  actor: string;
  instance: string;
  brand: string;
  command: string;
  correlationId: string;
  targetId: string | null;
  username?: string | null;
  displayName?: string | null;
  /** HTTP method, or the store's verb (`INSERT`, `UPDATE`, `DELETE`). */
  method: string;
  /** Relative to the app's root, without a query string (ids only, as in targetId). */
  path: string;
  /** Names of the fields the request sends. */
  fields: string[];
  /** Group writes: how many members the request adds or removes (their ids are not logged). */
  memberCount?: number;
}

export type AuditLine = AuditEntry | IntentEntry;

/** What a command is about, known before it sends anything. */
export interface IntentTarget {
  command: string;
  instance: string;
  brand: string;
  id?: string | null;
  username?: string | null;
  displayName?: string | null;
}

/** The id in a write's path: the segment after `Users` or `Groups` (any case), if any. */
function idFromPath(path: string): string | null {
  const parts = path.split('/');
  const i = parts.findIndex((p) => /^(users|groups)$/i.test(p));
  const id = i >= 0 ? parts[i + 1] : undefined;
  if (!id) return null;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Members a write adds or removes: a `members` list in the body, or SCIM PATCH member operations. */
function memberCount(body: unknown): number {
  if (!isObj(body)) return 0;
  let n = Array.isArray(body.members) ? body.members.length : 0;
  if (Array.isArray(body.Operations)) {
    for (const op of body.Operations) {
      if (!isObj(op) || typeof op.path !== 'string') continue;
      if (op.path === 'members' && Array.isArray(op.value)) n += op.value.length;
      else if (op.path.startsWith('members[')) n += 1;
    }
  }
  return n;
}

export function intentEntry(
  write: WriteDescription,
  target: IntentTarget,
  ctx: { actor: string; correlationId: string; now?: () => Date },
): IntentEntry {
  const path = write.path.split('?')[0] ?? '';
  const members = memberCount(write.body);
  const entry: IntentEntry = {
    event: 'intent',
    time: (ctx.now?.() ?? new Date()).toISOString(),
    actor: ctx.actor,
    instance: target.instance,
    brand: target.brand,
    command: target.command,
    correlationId: ctx.correlationId,
    targetId: target.id ?? idFromPath(path),
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.displayName !== undefined ? { displayName: target.displayName } : {}),
    method: write.method,
    path,
    fields: changedFieldNames([write]),
  };
  return members > 0 ? { ...entry, memberCount: members } : entry;
}
