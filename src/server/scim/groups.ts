// /Groups: get-group, create-group, update-group (members) and delete-group through the library.
// The IAM commands have no group rename: a PUT or PATCH that changes displayName is refused (400
// mutability) before anything is sent, never half applied. Members are diffed against the group as
// the app holds it, so a PUT or a `remove members` names exactly the ids to add and remove.
import type { GroupRecord } from '../../core/record.js';
import { checkVersion, conditional, type GatewayContext } from './context.js';
import { badRequest, recordError, ScimHttpError } from './errors.js';
import { applyPatch, readPatch } from './patch.js';
import { groupResource } from './resource.js';
import { canonicalKeys } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function expectGroup(record: GroupRecord): GroupRecord {
  const error = recordError(record);
  if (error) throw error;
  return record;
}

async function current(ctx: GatewayContext, id: string, includeMembers: boolean): Promise<GroupRecord> {
  return expectGroup(await ctx.client.getGroup(ctx.instance, { scim: { id }, includeMembers }, ctx.call));
}

export async function getGroup(ctx: GatewayContext, id: string, includeMembers: boolean): Promise<Obj> {
  return groupResource(await current(ctx, id, includeMembers), ctx.base);
}

/** Member ids of a `members` value: `[{value}]`, or the bare id strings some clients send. */
function memberIds(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((m, i) => {
    const id = isObj(m) ? m.value : m;
    if (typeof id !== 'string' && typeof id !== 'number')
      throw badRequest(`${where}[${i}].value: expected a member id`);
    return String(id);
  });
}

function displayNameOf(body: Obj): string {
  const name = body.displayName;
  if (typeof name !== 'string' || name.trim() === '')
    throw badRequest('displayName: required, a non-empty string (RFC 7643 4.2)');
  return name;
}

/** Runs update-group when there is something to change; its record must be a success. */
async function changeMembers(
  ctx: GatewayContext,
  id: string,
  add: string[],
  remove: string[],
): Promise<void> {
  if (add.length === 0 && remove.length === 0) return;
  const record = await ctx.client.updateGroup(
    ctx.instance,
    {
      scim: { id },
      ...(add.length ? { memberIdsToAdd: add } : {}),
      ...(remove.length ? { memberIdsToDelete: remove } : {}),
    },
    ctx.call,
  );
  const error = recordError(record);
  if (!error) return;
  // update-group applies the ids the app accepts: the answer names them, so none goes unaccounted.
  const d = isObj(record.details) ? record.details : {};
  const list = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).map(String) : []);
  const done = [
    ...(list('added').length ? [`added ${list('added').join(', ')}`] : []),
    ...(list('removed').length ? [`removed ${list('removed').join(', ')}`] : []),
  ];
  if (done.length === 0) throw error;
  throw new ScimHttpError(
    error.status,
    `${error.message}; applied all the same: ${done.join('; ')}`,
    error.scimType,
  );
}

/** POST /Groups: 201 with the group the app created (and its initial members); 409 when the name is taken. */
export async function createGroup(ctx: GatewayContext, body: unknown): Promise<Obj> {
  if (!isObj(body)) throw badRequest('body: expected a SCIM Group JSON object', 'invalidSyntax');
  const scim = canonicalKeys(body) as Obj;
  const displayName = displayNameOf(scim);
  const members = memberIds(scim.members, 'members');
  const existing = await ctx.client.getGroup(ctx.instance, { scim: { displayName } }, ctx.call);
  if (existing.success)
    throw new ScimHttpError(
      409,
      `displayName "${displayName}" is already in use (id ${existing.id})`,
      'uniqueness',
    );
  const created = expectGroup(
    await ctx.client.createGroup(ctx.instance, { scim: { displayName } }, ctx.call),
  );
  const id = created.id ?? '';
  try {
    await changeMembers(ctx, id, members, []);
  } catch (e) {
    if (!(e instanceof ScimHttpError)) throw e;
    throw new ScimHttpError(
      e.status,
      `group ${id} was created, but its members were not added: ${e.message}`,
      e.scimType,
    );
  }
  return getGroup(ctx, id, true);
}

function refuseRename(before: GroupRecord, after: unknown): void {
  if (after === undefined || after === before.displayName) return;
  throw new ScimHttpError(
    400,
    'displayName: cannot be changed through this gateway (the IAM commands have no group rename); nothing was changed',
    'mutability',
  );
}

function diff(before: GroupRecord, after: string[]) {
  const had = new Set((before.members ?? []).map((m) => m.value));
  const want = new Set(after);
  return { add: [...want].filter((m) => !had.has(m)), remove: [...had].filter((m) => !want.has(m)) };
}

function withMembers(record: GroupRecord): GroupRecord & { members: NonNullable<GroupRecord['members']> } {
  if (!record.members)
    throw new ScimHttpError(
      501,
      `${record.brand} does not list group members: send add/remove operations with member ids`,
    );
  return { ...record, members: record.members };
}

/** PUT /Groups/{id}: members replaced (absent members: none); a new displayName is refused. */
export async function replaceGroup(ctx: GatewayContext, id: string, body: unknown): Promise<Obj> {
  if (!isObj(body)) throw badRequest('body: expected a SCIM Group JSON object', 'invalidSyntax');
  const scim = canonicalKeys(body) as Obj;
  const before = withMembers(await current(ctx, id, true));
  checkVersion(ctx, before.details);
  refuseRename(before, displayNameOf(scim));
  const { add, remove } = diff(before, memberIds(scim.members, 'members'));
  await changeMembers(ctx, id, add, remove);
  return getGroup(ctx, id, true);
}

/**
 * PATCH /Groups/{id}: the operations applied to {displayName, members}, then the member diff sent.
 * Answered 204 (RFC 7644 3.5.2): a group's members are not read back for every change.
 */
export async function patchGroup(ctx: GatewayContext, id: string, body: unknown): Promise<void> {
  const ops = readPatch(body).map((op) =>
    // A bare id (`"value": "id"`) where members are asked for is the member `{value: id}`.
    op.path?.toLowerCase() === 'members' && op.value !== undefined
      ? { ...op, value: memberIds(op.value, 'value').map((value) => ({ value })) }
      : op,
  );
  const before = withMembers(await current(ctx, id, true));
  checkVersion(ctx, before.details);
  const resource = {
    displayName: before.displayName,
    members: before.members.map((m) => ({ value: m.value })),
  };
  const after = applyPatch(resource, ops);
  refuseRename(before, after.displayName);
  const { add, remove } = diff(before, memberIds(after.members, 'members'));
  await changeMembers(ctx, id, add, remove);
}

export async function deleteGroup(ctx: GatewayContext, id: string): Promise<void> {
  if (conditional(ctx)) checkVersion(ctx, (await current(ctx, id, false)).details);
  expectGroup(await ctx.client.deleteGroup(ctx.instance, { scim: { id } }, ctx.call));
}
