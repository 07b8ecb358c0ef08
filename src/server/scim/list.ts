// GET /Users and GET /Groups (RFC 7644 3.4.2). A filter `userName eq "..."` (or `id eq`, or a group's
// `displayName eq`) is one lookup through the library's get command (the connector's own filter).
// Anything else pages through the connector's listUsers/listGroups, evaluating the filter on each
// resource: memory holds one app page and the answer's page, never the directory. totalResults is
// the number of resources that match in the whole directory at the time of the scan.
import type { Filter } from 'scim2-parse-filter';
import type { Account, Group, Page } from '../../core/connector.js';
import { redact } from '../../core/redact.js';
import { type GatewayContext, mapIncomingOf, userFromGet } from './context.js';
import { badRequest, recordError, ScimHttpError } from './errors.js';
import { equalityOn, matches, parseFilter } from './filter.js';
import { attributeList, groupResource, listedGroup, project, userResource } from './resource.js';
import { MAX_PAGE, SCHEMAS } from './schema.js';

type Obj = Record<string, unknown>;

/** App page size asked for while scanning. */
const SCAN_PAGE = 200;

export interface ListQuery {
  filter?: unknown;
  startIndex?: unknown;
  count?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

function positive(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`${name}: expected an integer`);
  return Math.max(min, n);
}

interface Window {
  startIndex: number;
  count: number;
  filter: Filter | undefined;
}

function windowOf(q: ListQuery): Window {
  if (q.filter !== undefined && typeof q.filter !== 'string')
    throw badRequest('filter: expected one filter', 'invalidFilter');
  return {
    startIndex: positive(q.startIndex, 'startIndex', 1, 1),
    count: Math.min(MAX_PAGE, positive(q.count, 'count', MAX_PAGE, 0)),
    filter: q.filter ? parseFilter(q.filter) : undefined,
  };
}

/** Collects the window's resources from a stream of candidates, counting every match. */
async function collect(w: Window, candidates: AsyncIterable<Obj>) {
  const page: Obj[] = [];
  let total = 0;
  for await (const resource of candidates) {
    if (w.filter && !matches(resource, w.filter)) continue;
    total++;
    if (total >= w.startIndex && page.length < w.count) page.push(resource);
  }
  return { total, page };
}

function listResponse(w: Window, total: number, page: Obj[], q: ListQuery): Obj {
  const attributes = attributeList(q.attributes, 'attributes');
  const excluded = attributeList(q.excludedAttributes, 'excludedAttributes');
  return {
    schemas: [SCHEMAS.list],
    totalResults: total,
    startIndex: w.startIndex,
    itemsPerPage: page.length,
    Resources: page.map((r) => project(r, attributes, excluded)),
  };
}

async function* pages<T>(list: (cursor?: string) => Promise<Page<T>>): AsyncIterable<T> {
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

async function* one(resource: Obj | undefined): AsyncIterable<Obj> {
  if (resource) yield resource;
}

export async function listUsers(ctx: GatewayContext, q: ListQuery): Promise<Obj> {
  const w = windowOf(q);
  const byName = w.filter && equalityOn(w.filter, 'userName');
  const byId = w.filter && equalityOn(w.filter, 'id');
  if (byName !== undefined || byId !== undefined) {
    const userProfile = byId !== undefined ? { id: byId } : { username: byName };
    const result = await ctx.client.getUser(ctx.instance, { userProfile }, ctx.call);
    const error = result.vendor.errorCode === 404 ? undefined : recordError(result.vendor);
    if (error) throw error;
    const found = result.vendor.success ? userFromGet(ctx, result) : undefined;
    const { total, page } = await collect(w, one(found));
    return listResponse(w, total, page, q);
  }
  const rt = ctx.client.runtime(ctx.instance);
  const listUsersOp = rt.connector.listUsers?.bind(rt.connector);
  if (!listUsersOp)
    throw new ScimHttpError(501, `${rt.brand} cannot list users; filter by userName eq "..." or id eq "..."`);
  const toResource = (a: Account): Obj => {
    const raw = redact(a.raw, rt.secrets) as Obj;
    return userResource(mapIncomingOf(ctx, raw), { id: a.id, active: a.active, raw }, ctx.base);
  };
  const resources = async function* () {
    for await (const a of pages((cursor) => listUsersOp({ limit: SCAN_PAGE, ...(cursor ? { cursor } : {}) })))
      yield toResource(a);
  };
  const { total, page } = await collect(w, resources());
  return listResponse(w, total, page, q);
}

export async function listGroups(ctx: GatewayContext, q: ListQuery): Promise<Obj> {
  const w = windowOf(q);
  const byName = w.filter && equalityOn(w.filter, 'displayName');
  const byId = w.filter && equalityOn(w.filter, 'id');
  const withMembers = !attributeList(q.excludedAttributes, 'excludedAttributes')?.some(
    (p) => p[0] === 'members',
  );
  if (byName !== undefined || byId !== undefined) {
    const scim = byId !== undefined ? { id: byId } : { displayName: byName };
    const record = await ctx.client.getGroup(ctx.instance, { scim, includeMembers: withMembers }, ctx.call);
    const error = record.errorCode === 404 ? undefined : recordError(record);
    if (error) throw error;
    const found = record.success ? groupResource(record, ctx.base) : undefined;
    const { total, page } = await collect(w, one(found));
    return listResponse(w, total, page, q);
  }
  const rt = ctx.client.runtime(ctx.instance);
  const listGroupsOp = rt.connector.listGroups?.bind(rt.connector);
  if (!listGroupsOp)
    throw new ScimHttpError(
      501,
      `${rt.brand} cannot list groups; filter by displayName eq "..." or id eq "..."`,
    );
  const resources = async function* () {
    for await (const g of pages<Group>((cursor) =>
      listGroupsOp({ limit: SCAN_PAGE, ...(cursor ? { cursor } : {}) }),
    ))
      yield groupResource(listedGroup({ ...g, raw: redact(g.raw, rt.secrets) }), ctx.base);
  };
  const { total, page } = await collect(w, resources());
  return listResponse(w, total, page, q);
}
