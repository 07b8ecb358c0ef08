// The Users API and Groups API (v1) routes the connector uses, as the reference describes them:
// paths, query parameters (activate, search, limit, after), answers and their Link headers.
import { badBody, type Json, OktaApiError } from './errors.js';
import type { Bucket } from './rate-limit.js';
import { matches, parseSearch } from './search.js';
import { groupJson, type OktaStore, userJson } from './store.js';

export interface Request {
  method: string;
  /** Path segments after /api/v1, URL-decoded. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export interface Route {
  bucket: Bucket;
  /** The scope a bearer token needs (an SSWS token acts with the admin's own rights). */
  scope: string;
  handle(): Answer;
}

const MAX_LIMIT = 200;

function jsonObject(body: unknown): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badBody();
  return body as Json;
}

/** One page of `items` after the `after` cursor (the id of the last item of the previous page), with Link headers. */
function paged<T extends { id: string }>(
  items: T[],
  query: URLSearchParams,
  url: string,
  toJson: (t: T) => Json,
): Answer {
  const asked = Number(query.get('limit') ?? MAX_LIMIT);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_LIMIT) : MAX_LIMIT;
  const after = query.get('after');
  const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
  const page = items.slice(start, start + limit);
  const self = new URLSearchParams(query);
  const links = [`<${url}?${self.toString()}>; rel="self"`];
  if (start + limit < items.length && page.length > 0) {
    const next = new URLSearchParams(query);
    next.set('after', page[page.length - 1]?.id ?? '');
    next.set('limit', String(limit));
    links.push(`<${url}?${next.toString()}>; rel="next"`);
  }
  return { status: 200, body: page.map(toJson), headers: { link: links } };
}

export function route(store: OktaStore, apiUrl: string, req: Request): Route | undefined {
  const [root, id, sub, subId] = req.segments;
  const m = req.method;
  const n = req.segments.length;
  const users = (h: () => Answer, bucket: Bucket = 'user'): Route => ({
    bucket,
    scope: m === 'GET' ? 'okta.users.read' : 'okta.users.manage',
    handle: h,
  });
  const groups = (h: () => Answer): Route => ({
    bucket: 'groups',
    scope: m === 'GET' ? 'okta.groups.read' : 'okta.groups.manage',
    handle: h,
  });
  const uj = (u: Parameters<typeof userJson>[0]) => userJson(u, apiUrl);
  const gj = (g: Parameters<typeof groupJson>[0]) => groupJson(g, apiUrl);

  if (root === 'users' && n === 1) {
    if (m === 'GET')
      return users(() => {
        const search = req.query.get('search');
        const all = [...store.users.values()];
        // List users without a search leaves DEPROVISIONED users out; a search reads every status.
        const chosen = search
          ? all.filter((u) => matches(uj(u), parseSearch(search)))
          : all.filter((u) => u.status !== 'DEPROVISIONED');
        return paged(chosen, req.query, `${apiUrl}/users`, uj);
      }, 'users');
    if (m === 'POST')
      return users(() => {
        const activate = req.query.get('activate') !== 'false';
        return { status: 200, body: uj(store.createUser(jsonObject(req.body), activate)) };
      }, 'users');
  }
  if (root === 'users' && id && n === 2) {
    if (m === 'GET') return users(() => ({ status: 200, body: uj(store.user(id)) }));
    if (m === 'POST')
      return users(() => ({ status: 200, body: uj(store.updateUser(id, jsonObject(req.body))) }));
    if (m === 'DELETE')
      return users(() => {
        store.deleteUser(id);
        return { status: 204 };
      });
  }
  if (root === 'users' && id && sub === 'lifecycle' && subId && n === 4 && m === 'POST') {
    const ops: Record<string, (id: string) => void> = {
      activate: (x) => store.activate(x),
      deactivate: (x) => store.deactivate(x),
      unsuspend: (x) => store.unsuspend(x),
      suspend: (x) => store.suspend(x),
    };
    const op = ops[subId];
    if (!op) return undefined;
    return users(() => {
      op(id);
      return { status: 200, body: {} };
    });
  }
  if (root === 'groups' && n === 1) {
    if (m === 'GET')
      return groups(() => {
        const search = req.query.get('search');
        const all = [...store.groups.values()];
        const chosen = search ? all.filter((g) => matches(gj(g), parseSearch(search))) : all;
        return paged(chosen, req.query, `${apiUrl}/groups`, gj);
      });
    if (m === 'POST')
      return groups(() => ({ status: 200, body: gj(store.createGroup(jsonObject(req.body))) }));
  }
  if (root === 'groups' && id && n === 2) {
    if (m === 'GET') return groups(() => ({ status: 200, body: gj(store.group(id)) }));
    if (m === 'DELETE')
      return groups(() => {
        store.deleteGroup(id);
        return { status: 204 };
      });
  }
  if (root === 'groups' && id && sub === 'users' && n === 3 && m === 'GET')
    return groups(() => {
      const g = store.group(id);
      const members = [...g.members].map((u) => store.user(u));
      return paged(members, req.query, `${apiUrl}/groups/${id}/users`, uj);
    });
  if (root === 'groups' && id && sub === 'users' && subId && n === 4 && (m === 'PUT' || m === 'DELETE'))
    return groups(() => {
      store.setMember(id, subId, m === 'PUT');
      return { status: 204 };
    });
  return undefined;
}

export { OktaApiError };
