// Audit entries: who did what to which account or group, with what outcome. Field NAMES only,
// never values: the audit log may be shipped to a SIEM that must not hold personal data or secrets.
import { changedFieldNames, type WriteDescription } from '../core/dry-run.js';
import type { Profile } from '../core/profile.js';
import { cleanMessage, type GroupRecord, type VendorRecord } from '../core/record.js';

export type AuditOutcome = 'success' | 'skipped' | 'failed';

export interface AuditEntry {
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
    errorMessage: rec.errorMessage,
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
