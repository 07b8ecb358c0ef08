// The Directory API routes the simulator answers (Directory API reference, REST resources
// users, groups and members, under /admin/directory/v1): list (paged with maxResults, pageToken and
// nextPageToken), get, insert, patch, update, delete.
import { forbidden, GoogleApiError, invalid, type Json } from './errors.js';
import { type DirectoryStore, memberResource, type StoredMember } from './store.js';

export interface RouteContext {
  method: string;
  segments: string[];
  query: URLSearchParams;
  store: DirectoryStore;
  body: () => Json;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

/** users.list: maxResults 1..500 (default 100); groups.list and members.list: 1..200 (default 200). */
function pageOf(items: Json[], q: URLSearchParams, max: number, fallback: number) {
  const raw = q.get('maxResults');
  const size = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw invalid(`Invalid value '${raw}'. Values must be within the range: [1, ${max}]`);
  }
  let offset = 0;
  const token = q.get('pageToken');
  if (token) {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number }).o;
    } catch {
      offset = Number.NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid Input: pageToken');
  }
  const page = items.slice(offset, offset + size);
  const next =
    offset + size < items.length
      ? Buffer.from(JSON.stringify({ o: offset + size, s: Math.random() })).toString('base64url')
      : undefined;
  return { page, next };
}

function checkCustomer(ctx: RouteContext): void {
  const customer = ctx.query.get('customer');
  const domain = ctx.query.get('domain');
  if (!customer && !domain) throw new GoogleApiError(400, 'Bad Request', 'badRequest');
  if (customer && customer !== 'my_customer' && customer !== ctx.store.customerId) throw forbidden();
}

function users(ctx: RouteContext): RouteResult | undefined {
  const { store, segments, method } = ctx;
  const key = segments[1];
  if (key === undefined) {
    if (method === 'GET') {
      checkCustomer(ctx);
      const { page, next } = pageOf([...store.users.values()], ctx.query, 500, 100);
      return {
        status: 200,
        body: {
          kind: 'admin#directory#users',
          etag: '"users"',
          users: page,
          ...(next ? { nextPageToken: next } : {}),
        },
      };
    }
    if (method === 'POST') return { status: 200, body: store.insertUser(ctx.body()) };
  } else if (segments.length === 2) {
    if (method === 'GET') return { status: 200, body: store.user(key) };
    if (method === 'PATCH' || method === 'PUT')
      return { status: 200, body: store.patchUser(key, ctx.body()) };
    if (method === 'DELETE') {
      store.deleteUser(key);
      return { status: 204 };
    }
  }
  return undefined;
}

function groups(ctx: RouteContext): RouteResult | undefined {
  const { store, segments, method } = ctx;
  const key = segments[1];
  if (key === undefined) {
    if (method === 'GET') {
      checkCustomer(ctx);
      const { page, next } = pageOf([...store.groups.values()], ctx.query, 200, 200);
      return {
        status: 200,
        body: {
          kind: 'admin#directory#groups',
          etag: '"groups"',
          groups: page,
          ...(next ? { nextPageToken: next } : {}),
        },
      };
    }
    if (method === 'POST') return { status: 200, body: store.insertGroup(ctx.body()) };
  } else if (segments.length === 2) {
    if (method === 'GET') return { status: 200, body: store.group(key) };
    if (method === 'DELETE') {
      store.deleteGroup(key);
      return { status: 204 };
    }
  } else if (segments[2] === 'members') {
    const member = segments[3];
    if (member === undefined && method === 'GET') {
      const group = store.group(key);
      const list = [...(store.members.get(String(group.id)) as Map<string, StoredMember>).values()].map(
        memberResource,
      );
      const { page, next } = pageOf(list, ctx.query, 200, 200);
      return {
        status: 200,
        body: {
          kind: 'admin#directory#members',
          etag: '"m"',
          members: page,
          ...(next ? { nextPageToken: next } : {}),
        },
      };
    }
    if (member === undefined && method === 'POST')
      return { status: 200, body: store.insertMember(key, ctx.body()) };
    if (member !== undefined && segments.length === 4 && method === 'DELETE') {
      store.deleteMember(key, member);
      return { status: 204 };
    }
  }
  return undefined;
}

/** The scope a route needs (Directory API "Authorize requests"): users or groups, read-only for a GET. */
export function scopeFor(segments: string[], method: string): string[] {
  const base = `https://www.googleapis.com/auth/admin.directory.${segments[0] === 'users' ? 'user' : 'group'}`;
  const member =
    segments[0] === 'groups' && segments[2] === 'members'
      ? ['https://www.googleapis.com/auth/admin.directory.group.member']
      : [];
  return method === 'GET' ? [base, `${base}.readonly`, ...member] : [base, ...member];
}

export function route(ctx: RouteContext): RouteResult | undefined {
  if (ctx.segments[0] === 'users') return users(ctx);
  if (ctx.segments[0] === 'groups') return groups(ctx);
  return undefined;
}
