// What a route handler gets and returns.
import type { Json } from './errors.js';
import type { Directory } from './store.js';

export interface RouteOptions {
  /** Most references one `members@odata.bind` may carry ("Add members": up to 20). */
  maxMembersPerRequest: number;
}

export interface Ctx {
  method: string;
  query: URLSearchParams;
  dir: Directory;
  options: RouteOptions;
  /** `{origin}/v1.0`, as `@odata.context` names it. */
  base: string;
  /** Where `@odata.nextLink` points (the API base, unless a test makes it point elsewhere). */
  nextLinkBase: () => string;
  /** The request body as a JSON object, or Graph's 400. */
  body(): Json;
}

export interface Result {
  status: number;
  body?: unknown;
}
