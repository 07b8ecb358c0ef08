// Route table types and path matching for the /v2 API. Each route names its rate-limit category
// (the reference's "Rate Limit Label").
import type { Json } from './errors.js';
import type { PageTokens } from './paging.js';
import type { RateCategory } from './rate-limit.js';
import type { ZoomStore } from './store.js';

export interface RouteOptions {
  /** Most members one "Add group members" request may carry (reference: maximum 30). */
  maxMembersPerRequest: number;
  /** Get a user on a pending user answers only id and created_at (the reference's note). */
  pendingUserShowsIdOnly: boolean;
}

export interface RouteContext {
  query: URLSearchParams;
  store: ZoomStore;
  pages: PageTokens;
  options: RouteOptions;
  now: () => number;
  /** The request body as a JSON object; anything else is the reference's invalid-JSON error. */
  jsonBody(): Json;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  /** Path under /v2, with `:name` segments, e.g. `users/:userId/status`. */
  path: string;
  category: RateCategory;
  handle(ctx: RouteContext, params: Record<string, string>): RouteResult;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for a method and the path segments after /v2 (already URL-decoded). */
export function matchRoute(routes: Route[], method: string, segments: string[]): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (const [index, part] of pattern.entries()) {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        if (segment === '') ok = false;
        params[part.slice(1)] = segment;
      } else if (part !== segment) {
        ok = false;
      }
      if (!ok) break;
    }
    if (ok) return { route, params };
  }
  return undefined;
}
