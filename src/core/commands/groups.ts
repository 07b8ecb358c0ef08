// Group commands (spec section 7). Membership changes go in requests of at most the connector's
// batch size, a few at a time, adds first, then removes; every member's outcome is in the record,
// in input order, nothing dropped.
import type { GroupKey } from '../connector.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import { parseJsonObject } from '../profile.js';
import { errorParts, type GroupRecord, groupError, groupRecord, groupSuccess } from '../record.js';

export const GROUP_NOT_FOUND = 'Group Not Found';

export interface GroupScim {
  id?: string;
  displayName?: string;
  [key: string]: unknown;
}

/** Parses the `scim` argument of a group command; `needs` names the field(s) it must carry. */
export function parseGroupScim(input: unknown, needs: 'id' | 'displayName' | 'id-or-displayName'): GroupScim {
  const obj = parseJsonObject(input, 'scim');
  const str = (k: string) => {
    const v = obj[k];
    if (typeof v !== 'string' && typeof v !== 'number' && v !== undefined && v !== null)
      throw new UsageError(`scim.${k}: expected a string`, `scim.${k}`);
    // Blank counts as absent: an id of spaces would be sent as a path segment of spaces. An id
    // is trimmed; a displayName is kept as given (its spaces may be the app's).
    const s = v === undefined || v === null ? '' : String(v);
    if (s.trim() === '') return undefined;
    return k === 'id' ? s.trim() : s;
  };
  const id = str('id');
  const displayName = str('displayName');
  if (needs === 'id' && !id) throw new UsageError('scim: expected an object with "id"', 'scim.id');
  if (needs === 'displayName' && !displayName) {
    throw new UsageError('scim: expected an object with "displayName"', 'scim.displayName');
  }
  if (needs === 'id-or-displayName' && !id && !displayName) {
    throw new UsageError('scim: expected an object with "id" or "displayName"', 'scim.id');
  }
  const { id: _id, displayName: _displayName, ...rest } = obj;
  return { ...rest, ...(id ? { id } : {}), ...(displayName ? { displayName } : {}) };
}

const notFound = (rt: InstanceRuntime, id: string | null) =>
  groupRecord(rt, { success: false, id, errorCode: 404, errorMessage: GROUP_NOT_FOUND });

export async function getGroup(
  rt: InstanceRuntime,
  scim: GroupScim,
  includeMembers: boolean,
): Promise<GroupRecord> {
  const key: GroupKey = scim.id ? { id: scim.id } : { displayName: scim.displayName ?? '' };
  try {
    const group = await rt.connector.getGroup(key, { includeMembers });
    if (!group) return notFound(rt, scim.id ?? null);
    return groupSuccess(rt, group, includeMembers);
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(rt, scim.id ?? null);
    return groupError(rt, e, { id: scim.id ?? null, details: scim });
  }
}

export async function createGroup(rt: InstanceRuntime, scim: GroupScim): Promise<GroupRecord> {
  const { id: _id, schemas: _schemas, meta: _meta, ...fields } = scim;
  try {
    const group = await rt.connector.createGroup({ ...fields, displayName: scim.displayName ?? '' });
    return groupSuccess(rt, group);
  } catch (e) {
    const rec = groupError(rt, e, { details: fields });
    return { ...rec, displayName: scim.displayName ?? null };
  }
}

export interface MemberFailure {
  id: string;
  op: 'add' | 'remove';
  errorCode: number | string | null;
  errorMessage: string;
}

/** Membership requests in flight at once for one update-group (each still waits for the rate limit). */
export const MEMBER_CONCURRENCY = 4;

interface MemberChunk {
  op: 'add' | 'remove';
  ids: string[];
}

type ChunkOutcome = { ok: true } | { ok: false; error: unknown };

/** Runs `fn` over `items` with at most `limit` at once; results in input order. `fn` must not throw. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function chunked(op: 'add' | 'remove', ids: readonly string[], size: number): MemberChunk[] {
  const out: MemberChunk[] = [];
  for (let i = 0; i < ids.length; i += size) out.push({ op, ids: ids.slice(i, i + size) });
  return out;
}

/**
 * Adds, then removes (every add has been answered before the first remove goes out), in chunks of
 * the connector's batch size, MEMBER_CONCURRENCY chunks at a time. The record lists each member
 * as added, removed or failed (with the code and message of its chunk's failure), in input order.
 */
export async function updateGroup(
  rt: InstanceRuntime,
  scim: GroupScim,
  toAdd: readonly string[],
  toRemove: readonly string[],
): Promise<GroupRecord> {
  const id = scim.id ?? '';
  if (toAdd.length === 0 && toRemove.length === 0) {
    throw new UsageError(
      'update-group: give memberIdsToAdd or memberIdsToDelete (at least one id)',
      'memberIdsToAdd',
    );
  }
  const size = Math.max(1, rt.capabilities.memberBatchSize);
  const apply = async (chunk: MemberChunk): Promise<ChunkOutcome> => {
    try {
      await rt.connector.changeMembers(id, chunk);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  };
  const chunks: MemberChunk[] = [];
  const outcomes: ChunkOutcome[] = [];
  for (const phase of [chunked('add', toAdd, size), chunked('remove', toRemove, size)]) {
    let rest = phase;
    const first = phase[0];
    if (chunks.length === 0 && first) {
      // The first chunk goes alone: a 404 may mean the group is missing (ask which, once), and
      // then nothing else is sent.
      const outcome = await apply(first);
      if (!outcome.ok && outcome.error instanceof NotFoundError) {
        const group = await rt.connector.getGroup({ id }, { includeMembers: false }).catch(() => undefined);
        if (group === null) return notFound(rt, id);
      }
      chunks.push(first);
      outcomes.push(outcome);
      rest = phase.slice(1);
    }
    chunks.push(...rest);
    outcomes.push(...(await inPool(rest, MEMBER_CONCURRENCY, apply)));
  }
  const added: string[] = [];
  const removed: string[] = [];
  const failed: MemberFailure[] = [];
  chunks.forEach((chunk, i) => {
    const outcome = outcomes[i];
    if (outcome?.ok) {
      (chunk.op === 'add' ? added : removed).push(...chunk.ids);
      return;
    }
    const { code, message } = errorParts(outcome?.error, rt.secrets);
    for (const m of chunk.ids) failed.push({ id: m, op: chunk.op, errorCode: code, errorMessage: message });
  });
  const total = toAdd.length + toRemove.length;
  const first = failed[0];
  return groupRecord(rt, {
    success: failed.length === 0,
    id,
    displayName: scim.displayName ?? null,
    errorCode: first ? first.errorCode : null,
    errorMessage: first ? `${failed.length} of ${total} member changes failed: ${first.errorMessage}` : '',
    details: { added, removed, failed },
  });
}

export async function deleteGroup(rt: InstanceRuntime, scim: GroupScim): Promise<GroupRecord> {
  const id = scim.id ?? '';
  try {
    await rt.connector.deleteGroup(id);
    return groupRecord(rt, { success: true, id, displayName: scim.displayName ?? null, details: { id } });
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(rt, id);
    return groupError(rt, e, { id, details: scim });
  }
}
