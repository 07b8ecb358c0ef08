// Groups API routes: list, create, get, update, delete groups; list, add and delete group members.
import { type Json, validationFailed } from './errors.js';
import { PageTokens } from './paging.js';
import type { Route, RouteContext, RouteResult } from './router.js';

function groupName(body: Json): string {
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128) throw validationFailed(['name']);
  return name;
}

function listGroups(ctx: RouteContext): RouteResult {
  const groups = [...ctx.store.groups.values()].map((group) => ctx.store.renderGroup(group));
  return { status: 200, body: { groups, total_records: groups.length } };
}

function createGroup(ctx: RouteContext): RouteResult {
  const group = ctx.store.createGroup(groupName(ctx.jsonBody()));
  return { status: 201, body: ctx.store.renderGroup(group) };
}

function getGroup(ctx: RouteContext, params: Record<string, string>): RouteResult {
  return { status: 200, body: ctx.store.renderGroup(ctx.store.getGroup(params.groupId ?? '')) };
}

function updateGroup(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const body = ctx.jsonBody();
  const group = ctx.store.getGroup(params.groupId ?? '');
  ctx.store.renameGroup(group, groupName(body));
  return { status: 204 };
}

function deleteGroup(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const group = ctx.store.getGroup(params.groupId ?? '');
  ctx.store.groups.delete(group.id);
  return { status: 204 };
}

function listMembers(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const group = ctx.store.getGroup(params.groupId ?? '');
  const size = PageTokens.pageSize(ctx.query.get('page_size'));
  const users = [...group.members].map((id) => ctx.store.users.get(id)).filter((user) => user !== undefined);
  const page = ctx.pages.page(users, `groups/${group.id}/members`, size, ctx.query.get('next_page_token'));
  const { items, ...counts } = page;
  const members = items.map((user) => ({
    email: user.email,
    first_name: user.profile.first_name,
    id: user.id,
    last_name: user.profile.last_name,
    type: user.type,
  }));
  return { status: 200, body: { members, ...counts } };
}

/** At most `maxMembersPerRequest` members, each naming an id or an email; all must exist. */
function addMembers(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const body = ctx.jsonBody();
  const group = ctx.store.getGroup(params.groupId ?? '');
  const members = body.members;
  if (!Array.isArray(members) || members.length === 0 || members.length > ctx.options.maxMembersPerRequest) {
    throw validationFailed(['members']);
  }
  const wanted: { id?: string; email?: string }[] = [];
  for (const [index, member] of members.entries()) {
    const id = (member as Json | null)?.id;
    const email = (member as Json | null)?.email;
    if (typeof id === 'string' && id !== '') wanted.push({ id });
    else if (typeof email === 'string' && email !== '') wanted.push({ email });
    else throw validationFailed([`members[${index}]`]);
  }
  const ids = ctx.store.addMembers(group, wanted);
  const added_at = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { status: 201, body: { ids: ids.join(','), added_at } };
}

function removeMember(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const group = ctx.store.getGroup(params.groupId ?? '');
  ctx.store.removeMember(group, params.memberId ?? '');
  return { status: 204 };
}

export const groupRoutes: Route[] = [
  { method: 'GET', path: 'groups', category: 'Medium', handle: listGroups },
  { method: 'POST', path: 'groups', category: 'Light', handle: createGroup },
  { method: 'GET', path: 'groups/:groupId', category: 'Light', handle: getGroup },
  { method: 'PATCH', path: 'groups/:groupId', category: 'Light', handle: updateGroup },
  { method: 'DELETE', path: 'groups/:groupId', category: 'Light', handle: deleteGroup },
  { method: 'GET', path: 'groups/:groupId/members', category: 'Medium', handle: listMembers },
  { method: 'POST', path: 'groups/:groupId/members', category: 'Medium', handle: addMembers },
  { method: 'DELETE', path: 'groups/:groupId/members/:memberId', category: 'Light', handle: removeMember },
];
