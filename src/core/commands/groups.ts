// Group commands (spec section 7). Membership changes go in requests of at most the connector's
// batch size, a few at a time, adds first, then removes; every member's outcome is in the record,
// in input order, nothing dropped.
import type { Group } from '../connector.js';
import { AmbiguousError, NotFoundError, NotSupportedError, UsageError } from '../errors.js';
import type { GroupScim } from '../group-scim.js';
import type { InstanceRuntime } from '../instance.js';
import { ignoredFilterWarning } from '../match.js';
import { type GroupRecord, groupError, groupRecord, groupSuccess } from '../record.js';
import { type SupportedCommand, supports, unsupported } from '../supports.js';
import { type ChunkResult, MemberApplier, type MemberFailure } from './members.js';

export type { MemberFailure } from './members.js';

export const GROUP_NOT_FOUND = 'Group Not Found';

export { type GroupScim, parseGroupScim } from '../group-scim.js';

const notFound = (rt: InstanceRuntime, id: string | null) =>
  groupRecord(rt, { success: false, id, errorCode: 404, errorMessage: GROUP_NOT_FOUND });

/** The record for a group command the connector cannot do (no call made), or undefined when it can. */
function notSupported(rt: InstanceRuntime, command: SupportedCommand, scim: GroupScim) {
  if (supports(rt.connector, command)) return undefined;
  const err = new NotSupportedError(unsupported(rt.brand, command));
  return groupError(rt, err, { id: scim.id ?? null, details: scim });
}

/**
 * The one group with this id or displayName (case-insensitive), or null. Candidates that do not
 * hold the value are dropped (the app ignored the filter: the user is warned); two that do are ambiguous.
 */
export async function findGroup(
  rt: InstanceRuntime,
  key: { id: string } | { displayName: string },
  includeMembers: boolean,
): Promise<Group | null> {
  const { connector } = rt;
  const attribute = 'id' in key ? 'id' : 'displayName';
  let found: Group[];
  let hits: Group[];
  if ('id' in key) {
    if (!connector.getGroup) throw new NotSupportedError(`${rt.brand} cannot read a group by id`);
    const group = await connector.getGroup(key.id, { includeMembers });
    found = group ? [group] : [];
    hits = found.filter((g) => g.id === key.id);
  } else {
    if (!connector.findGroups)
      throw new NotSupportedError(`${rt.brand} cannot look groups up by displayName`);
    found = await connector.findGroups(key.displayName, { includeMembers });
    const want = key.displayName.toLowerCase();
    hits = found.filter((g) => g.displayName?.toLowerCase() === want);
  }
  if (hits.length < found.length) rt.warn?.(ignoredFilterWarning('group', attribute));
  if (hits.length > 1 && 'displayName' in key) {
    const ids = hits.map((g) => g.id);
    const what = `displayName ${JSON.stringify(key.displayName)}`;
    throw new AmbiguousError(`${ids.length} groups match ${what}: ${ids.join(', ')}`, ids);
  }
  return hits[0] ?? null;
}

export async function getGroup(
  rt: InstanceRuntime,
  scim: GroupScim,
  includeMembers: boolean,
): Promise<GroupRecord> {
  const cannot = notSupported(rt, 'get-group', scim);
  if (cannot) return cannot;
  const key = scim.id ? { id: scim.id } : { displayName: scim.displayName ?? '' };
  try {
    const group = await findGroup(rt, key, includeMembers);
    if (!group) return notFound(rt, scim.id ?? null);
    return groupSuccess(rt, group, includeMembers);
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(rt, scim.id ?? null);
    return groupError(rt, e, { id: scim.id ?? null, details: scim });
  }
}

export async function createGroup(rt: InstanceRuntime, scim: GroupScim): Promise<GroupRecord> {
  const cannot = notSupported(rt, 'create-group', scim);
  if (cannot) return { ...cannot, displayName: scim.displayName ?? null };
  const { id: _id, schemas: _schemas, meta: _meta, ...fields } = scim;
  try {
    const create = rt.connector.createGroup?.bind(rt.connector);
    if (!create) throw new NotSupportedError(unsupported(rt.brand, 'create-group'));
    const group = await create({ ...fields, displayName: scim.displayName ?? '' });
    return groupSuccess(rt, group);
  } catch (e) {
    const rec = groupError(rt, e, { details: fields });
    return { ...rec, displayName: scim.displayName ?? null };
  }
}

/** Membership requests in flight at once for one update-group (each still waits for the rate limit). */
export const MEMBER_CONCURRENCY = 4;

interface MemberChunk {
  op: 'add' | 'remove';
  ids: string[];
}

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

/** One chunk's outcome, with the op of its chunk. */
type Settled = ChunkResult & { op: 'add' | 'remove' };

/** Each id once, in first-seen order: the same id in two chunks would be sent twice. */
const once = (ids: readonly string[]) => [...new Set(ids)];

/**
 * Adds, then removes (every add has been answered before the first remove goes out), in chunks of
 * the connector's batch size, MEMBER_CONCURRENCY chunks at a time; each chunk is settled by
 * MemberApplier (split on a 400, read back after an uncertain answer). The record lists each member
 * once, as added, removed, failed or uncertain (with the app's code and message), in input order.
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
  const cannot = notSupported(rt, 'update-group', scim);
  if (cannot) return cannot;
  const size = Math.max(1, rt.capabilities.memberBatchSize);
  const applier = new MemberApplier(rt, id);
  const apply = async (chunk: MemberChunk): Promise<Settled> => ({
    op: chunk.op,
    ...(await applier.apply(chunk.op, chunk.ids)),
  });
  const results: Settled[] = [];
  for (const phase of [chunked('add', once(toAdd), size), chunked('remove', once(toRemove), size)]) {
    let rest = phase;
    const first = phase[0];
    if (results.length === 0 && first) {
      // The first chunk goes alone: a 404 may mean the group is missing (ask which, once), and
      // then nothing else is sent.
      const sent = await applier.send(first.op, first.ids);
      if (!sent.ok && sent.error instanceof NotFoundError) {
        const group = await findGroup(rt, { id }, false).catch(() => undefined);
        if (group === null) return notFound(rt, id);
      }
      const settled = sent.ok
        ? { applied: [...first.ids], failed: [], uncertain: [] }
        : await applier.settle(first.op, first.ids, sent.error);
      results.push({ op: first.op, ...settled });
      rest = phase.slice(1);
    }
    results.push(...(await inPool(rest, MEMBER_CONCURRENCY, apply)));
  }
  return memberRecord(rt, scim, toAdd, toRemove, results);
}

/** The update-group record: every id of the input in input order, in exactly one list per op. */
function memberRecord(
  rt: InstanceRuntime,
  scim: GroupScim,
  toAdd: readonly string[],
  toRemove: readonly string[],
  results: readonly Settled[],
): GroupRecord {
  const applied = { add: new Set<string>(), remove: new Set<string>() };
  const notApplied = { add: new Map<string, MemberFailure>(), remove: new Map<string, MemberFailure>() };
  const unsure = { add: new Map<string, MemberFailure>(), remove: new Map<string, MemberFailure>() };
  for (const r of results) {
    for (const m of r.applied) applied[r.op].add(m);
    for (const f of r.failed) notApplied[f.op].set(f.id, f);
    for (const f of r.uncertain) unsure[f.op].set(f.id, f);
  }
  const addIds = once(toAdd);
  const removeIds = once(toRemove);
  const pick = <T>(ids: string[], from: Map<string, T>) => ids.flatMap((m) => from.get(m) ?? []);
  const failed = [...pick(addIds, notApplied.add), ...pick(removeIds, notApplied.remove)];
  const uncertainList = [...pick(addIds, unsure.add), ...pick(removeIds, unsure.remove)];
  const total = addIds.length + removeIds.length;
  const parts: string[] = [];
  if (failed[0]) parts.push(`${failed.length} of ${total} member changes failed: ${failed[0].errorMessage}`);
  if (uncertainList[0]) {
    parts.push(
      `${uncertainList.length} of ${total} member changes uncertain: ${uncertainList[0].errorMessage}`,
    );
  }
  const first = failed[0] ?? uncertainList[0];
  return groupRecord(rt, {
    success: !first,
    id: scim.id ?? null,
    displayName: scim.displayName ?? null,
    errorCode: first ? first.errorCode : null,
    errorMessage: first ? parts.join('; ') : null,
    details: {
      added: addIds.filter((m) => applied.add.has(m)),
      removed: removeIds.filter((m) => applied.remove.has(m)),
      failed,
      uncertain: uncertainList,
    },
  });
}

export async function deleteGroup(rt: InstanceRuntime, scim: GroupScim): Promise<GroupRecord> {
  const cannot = notSupported(rt, 'delete-group', scim);
  if (cannot) return cannot;
  const id = scim.id ?? '';
  try {
    await rt.connector.deleteGroup?.(id);
    return groupRecord(rt, { success: true, id, displayName: scim.displayName ?? null, details: { id } });
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(rt, id);
    return groupError(rt, e, { id, details: scim });
  }
}
