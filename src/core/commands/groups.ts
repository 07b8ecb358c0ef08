// Group commands (spec section 7). Membership changes go in requests of at most the connector's
// batch size, adds first, then removes; every member's outcome is in the record, nothing dropped.
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
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new UsageError(`scim.${k}: expected a string`, `scim.${k}`);
    return String(v);
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
  return { ...obj, ...(id ? { id } : {}), ...(displayName ? { displayName } : {}) };
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
  const chunks: { op: 'add' | 'remove'; ids: string[] }[] = [];
  for (const [op, ids] of [
    ['add', toAdd],
    ['remove', toRemove],
  ] as const) {
    for (let i = 0; i < ids.length; i += size) chunks.push({ op, ids: ids.slice(i, i + size) });
  }
  const added: string[] = [];
  const removed: string[] = [];
  const failed: MemberFailure[] = [];
  for (const chunk of chunks) {
    try {
      await rt.connector.changeMembers(id, chunk);
      (chunk.op === 'add' ? added : removed).push(...chunk.ids);
    } catch (e) {
      // A 404 on a PATCH may mean the group or a member is missing: ask which, once.
      if (e instanceof NotFoundError && added.length + removed.length + failed.length === 0) {
        const group = await rt.connector.getGroup({ id }, { includeMembers: false }).catch(() => undefined);
        if (group === null) return notFound(rt, id);
      }
      const { code, message } = errorParts(e, rt.secrets);
      for (const m of chunk.ids) failed.push({ id: m, op: chunk.op, errorCode: code, errorMessage: message });
    }
  }
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
