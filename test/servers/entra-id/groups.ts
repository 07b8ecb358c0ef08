// /v1.0/groups ("group resource type", "List groups", "Get group", "Create group", "Update group",
// "Add members", "List group members", "Remove member", "Delete group"). A security group is
// created with securityEnabled true, mailEnabled false and a mailNickname. Members are added by
// `members@odata.bind` (at most 20 per request, "Add members": "you can add up to only 20
// members") on PATCH /groups/{id}, or one by one by POST /groups/{id}/members/$ref; removed by
// DELETE /groups/{id}/members/{memberId}/$ref.
import { badRequest, GraphError, invalidProperty, type Json, notFound } from './errors.js';
import { decodeSkip, encodeSkip, matches, parseFilter, parseSelect, parseTop, project } from './odata.js';
import type { Ctx, Result } from './router.js';
import type { StoredGroup } from './store.js';
import { USER_DEFAULTS } from './users.js';

const GROUP_DEFAULTS = [
  'id',
  'displayName',
  'description',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'groupTypes',
  'mail',
  'createdDateTime',
] as const;
const WRITABLE = new Set([
  'displayName',
  'description',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'groupTypes',
  'members@odata.bind',
  'owners@odata.bind',
]);

function visibleGroup(ctx: Ctx, id: string): StoredGroup {
  const g = ctx.dir.groups.get(id);
  if (!g || !ctx.dir.visible(g)) throw notFound(id);
  return g;
}

/** The ids of `members@odata.bind` (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`). */
function boundIds(ctx: Ctx, raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidProperty('members@odata.bind', 'Group');
  if (raw.length > ctx.options.maxMembersPerRequest) {
    throw badRequest(
      `The request exceeded the maximum of ${ctx.options.maxMembersPerRequest} references in 'members@odata.bind'.`,
    );
  }
  return raw.map((ref) => {
    const m = typeof ref === 'string' ? /\/directoryObjects\/([^/?#]+)$/.exec(ref) : null;
    if (!m?.[1])
      throw badRequest(`Invalid URL format specified in @odata.bind for members: '${String(ref)}'.`);
    const id = decodeURIComponent(m[1]);
    const u = ctx.dir.users.get(id);
    if (!u || !ctx.dir.visible(u)) throw notFound(id);
    return id;
  });
}

function addMembers(g: StoredGroup, ids: string[]): void {
  if (ids.some((id) => g.members.includes(id))) {
    throw badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  }
  g.members.push(...ids);
}

function checkProps(body: Json): void {
  for (const k of Object.keys(body)) {
    if (!WRITABLE.has(k)) throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.group'.`);
  }
}

function page(ctx: Ctx, items: Json[], path: string, context: string): Result {
  const top = parseTop(ctx.query.get('$top'), 999, 100);
  const offset = decodeSkip(ctx.query.get('$skiptoken'));
  const body: Json = {
    '@odata.context': `${ctx.base}/$metadata#${context}`,
    value: items.slice(offset, offset + top),
  };
  if (offset + top < items.length) {
    const q = new URLSearchParams(ctx.query);
    q.set('$skiptoken', encodeSkip(offset + top));
    body['@odata.nextLink'] = `${ctx.nextLinkBase()}/${path}?${q.toString()}`;
  }
  return { status: 200, body };
}

export function groupRoute(ctx: Ctx, rest: string[]): Result | undefined {
  const [id, sub, memberId, ref, ...more] = rest;
  const select = parseSelect(ctx.query.get('$select'));
  if (id === undefined) {
    if (ctx.method === 'GET') {
      const filter = parseFilter(ctx.query.get('$filter'), ['displayName', 'mailNickname', 'id']);
      const all = [...ctx.dir.groups.values()].filter((g) => ctx.dir.visible(g) && matches(g.props, filter));
      return page(
        ctx,
        all.map((g) => project(g.props, select, GROUP_DEFAULTS)),
        'groups',
        'groups',
      );
    }
    if (ctx.method !== 'POST') return undefined;
    const body = ctx.body();
    checkProps(body);
    for (const p of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'] as const) {
      if (body[p] === undefined || body[p] === '') throw invalidProperty(p, 'Group');
    }
    const members = boundIds(ctx, body['members@odata.bind']);
    const { 'members@odata.bind': _m, 'owners@odata.bind': _o, ...props } = body;
    const g = ctx.dir.addGroup({ groupTypes: [], description: null, mail: null, ...props });
    g.members.push(...members);
    return {
      status: 201,
      body: {
        '@odata.context': `${ctx.base}/$metadata#groups/$entity`,
        ...project(g.props, undefined, GROUP_DEFAULTS),
      },
    };
  }
  if (more.length > 0)
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${more[0]}'.`);
  const g = visibleGroup(ctx, id);
  if (sub === undefined) {
    if (ctx.method === 'GET')
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.base}/$metadata#groups/$entity`,
          ...project(g.props, select, GROUP_DEFAULTS),
        },
      };
    if (ctx.method === 'DELETE') {
      ctx.dir.groups.delete(g.id);
      return { status: 204 };
    }
    if (ctx.method !== 'PATCH') return undefined;
    const body = ctx.body();
    checkProps(body);
    const ids = boundIds(ctx, body['members@odata.bind']);
    addMembers(g, ids);
    const { 'members@odata.bind': _m, 'owners@odata.bind': _o, ...props } = body;
    Object.assign(g.props, props);
    return { status: 204 };
  }
  if (sub !== 'members')
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${sub}'.`);
  if (memberId === undefined && ctx.method === 'GET') {
    const users = g.members.map((m) => ctx.dir.users.get(m)).filter((u) => u !== undefined);
    const items = users.map((u) => ({
      '@odata.type': '#microsoft.graph.user',
      ...project(u.props, select, USER_DEFAULTS),
    }));
    return page(ctx, items, `groups/${g.id}/members`, 'directoryObjects');
  }
  if (memberId === '$ref' && ref === undefined && ctx.method === 'POST') {
    addMembers(g, boundIds(ctx, [ctx.body()['@odata.id']]));
    return { status: 204 };
  }
  if (memberId !== undefined && ref === '$ref' && ctx.method === 'DELETE') {
    if (!g.members.includes(memberId)) throw notFound(memberId);
    g.members = g.members.filter((m) => m !== memberId);
    return { status: 204 };
  }
  return undefined;
}
