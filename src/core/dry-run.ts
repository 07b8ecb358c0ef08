// Dry run and write observation, brand-neutral. Every write a connector makes is described as a
// `WriteDescription` (HTTP connectors: by the transport wrapper in http/dry-run.ts; the Local brand:
// by its own connector) and reported to the command that made it: the audit log takes the changed
// fields' names from it, and a dry run shows it in the record instead of sending it.
// A dry-run record must never pass for a real success in a playbook (spec section 2): it is a skip,
// `skipped: true` with DRY_RUN_REASON, `action` the would-be action, `details.dryRun` the writes.
import { isDeepStrictEqual } from 'node:util';
import { type GroupRecord, type VendorRecord, withFailureDetails } from './record.js';
import { redact } from './redact.js';

export const DRY_RUN_REASON = 'Dry run: nothing was changed.';

/** One write a command made (or, in a dry run, would have made). Bodies are redacted. */
export interface WriteDescription {
  /** HTTP method, or for a store without HTTP its verb (`INSERT`, `UPDATE`, `DELETE`). */
  method: string;
  /** Path relative to the app's root (e.g. `Users/2819c223`), or the store's table and row. */
  path: string;
  /** The full URL for HTTP apps. */
  url?: string;
  body?: unknown;
  /**
   * The names of the fields this write changes, when the writer knows them better than the body's
   * keys say (a SCIM PATCH: its operation paths). The audit takes these as they are.
   */
  fields?: readonly string[];
}

export type WriteObserver = (write: WriteDescription) => void;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `details` with `dryRun` added (objects) or wrapped (anything else). */
function withWrites(details: unknown, writes: readonly WriteDescription[], secrets: readonly string[]) {
  const dryRun = redact(writes, secrets);
  return isObject(details) ? { ...details, dryRun } : { dryRun };
}

/**
 * A user record as a dry run reports it. A would-be success becomes a skip with DRY_RUN_REASON
 * (action unchanged; id null for a create, whose id the app would have chosen; details the writes).
 * A skip or an error stays what it is, with the writes added to details.
 */
export function dryRunVendor(
  vendor: VendorRecord,
  writes: readonly WriteDescription[],
  secrets: readonly string[],
): VendorRecord {
  if (!vendor.success) return withFailureDetails(vendor, withWrites(vendor.details, writes, secrets));
  if (vendor.skipped) return { ...vendor, details: withWrites(vendor.details, writes, secrets) };
  return {
    ...vendor,
    active: null,
    id: vendor.action === 'create' ? null : vendor.id,
    details: { dryRun: redact(writes, secrets) },
    skipped: true,
    reason: DRY_RUN_REASON,
  };
}

/** A group record as a dry run reports it: the same rule, with `skipped` and `reason` added. */
export function dryRunGroup(
  rec: GroupRecord,
  writes: readonly WriteDescription[],
  secrets: readonly string[],
  created: boolean,
): GroupRecord {
  if (!rec.success) return { ...rec, details: withWrites(rec.details, writes, secrets) };
  return {
    ...rec,
    id: created ? null : rec.id,
    details: { dryRun: redact(writes, secrets) },
    skipped: true,
    reason: DRY_RUN_REASON,
  };
}

/** The entries of `fields` that differ from `current` (null: remove a present value); null when none. */
export function fieldChanges(
  current: Record<string, unknown>,
  fields: Record<string, unknown>,
  ignore: ReadonlySet<string> = new Set(),
): Record<string, unknown> | null {
  const changes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || ignore.has(k)) continue;
    const now = current[k];
    if (v === null ? now !== undefined && now !== null : !isDeepStrictEqual(now, v)) changes[k] = v;
  }
  return Object.keys(changes).length ? changes : null;
}

/**
 * Names of the fields a write changes (never values): the names the writer gave (`fields`), else a
 * JSON body's keys (extension objects as `urn:...:department`). The core decodes no protocol.
 */
export function changedFieldNames(writes: readonly WriteDescription[]): string[] {
  const names = new Set<string>();
  for (const w of writes) {
    if (w.fields) {
      for (const f of w.fields) names.add(f);
      continue;
    }
    const body = w.body;
    if (!isObject(body)) continue;
    for (const [k, v] of Object.entries(body)) {
      if (k === 'schemas' || k === 'id' || k === 'meta') continue;
      if (k.toLowerCase().startsWith('urn:') && isObject(v))
        for (const sub of Object.keys(v)) names.add(`${k}:${sub}`);
      else names.add(k);
    }
  }
  return [...names];
}
