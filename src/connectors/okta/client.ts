// The HTTP calls of Okta's Users and Groups APIs (v1), one method per endpoint, on the instance's
// authenticated JSON transport (base `{orgUrl}/api/v1`). Error answers become the project's error
// tree through the REST kit's classifier with Okta's hook (errors.ts). Lists page through the RFC
// 8288 `Link: <...>; rel="next"` header, whose `after` parameter is the cursor.
import type { AppObject } from '../../core/connector.js';
import { ConflictError, InvalidResponseError } from '../../core/errors.js';
import { errorOf } from '../../http/classify.js';
import { linkWithRel } from '../../http/link-header.js';
import { paginate, pathUnderBase, withQuery } from '../../http/paging.js';
import type { HttpRequest, HttpResponse, Transport } from '../../http/transport.js';
import { isObject } from './account.js';
import { isOktaNotFound, oktaErrorHook } from './errors.js';

/** "List users" / "List groups" / "List group members" give at most 200 per page. */
export const MAX_PAGE_SIZE = 200;

export type Lifecycle = 'activate' | 'deactivate' | 'unsuspend';

export interface OktaPage {
  items: AppObject[];
  /** The `after` cursor of the next page (from the Link header); absent on the last page. */
  after?: string;
}

export interface OktaClientOptions {
  /** The API transport: base URL `{orgUrl}/api/v1`, auth and JSON already composed in. */
  transport: Transport;
  orgUrl: string;
  /** Every secret value known so far (token, fetched access tokens), hidden from messages. */
  secrets: () => readonly string[];
}

const seg = encodeURIComponent;

/**
 * A search expression `<attribute> eq "<value>"` (Users API "search" parameter, SCIM filter
 * syntax): `\` and `"` in the value are escaped, so a value can never end the string early.
 */
export function eqExpression(attribute: string, value: string): string {
  return `${attribute} eq "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class OktaClient {
  readonly #t: Transport;
  readonly #apiUrl: string;
  readonly #secrets: () => readonly string[];
  readonly #hook;

  constructor(opts: OktaClientOptions) {
    this.#t = opts.transport;
    this.#apiUrl = `${opts.orgUrl}/api/v1`;
    this.#secrets = opts.secrets;
    this.#hook = oktaErrorHook(opts.orgUrl);
  }

  /** Sends one request; an error answer throws (NotFoundError, ConflictError, RateLimitedError, AppError). */
  async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.#t.send(req);
    const error = errorOf(res, `${req.method} ${req.path}`, { hook: this.#hook, secrets: this.#secrets() });
    // Okta refuses a value in use with 400 E0000001: reported as 409, the status every brand gives a
    // conflict (spec: errorCode), the message keeping Okta's summary and code.
    if (error instanceof ConflictError && error.status !== 409) {
      throw new ConflictError(error.message, {
        ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
        mayHaveLanded: error.mayHaveLanded,
        cause: error,
      });
    }
    if (error) throw error;
    return res;
  }

  async #object(req: HttpRequest): Promise<AppObject> {
    const res = await this.call(req);
    if (!isObject(res.json)) {
      throw new InvalidResponseError(
        `${req.method} ${req.path}: Okta answered HTTP ${res.status} without a JSON object`,
        { status: res.status },
      );
    }
    return res.json;
  }

  async #orNull(req: HttpRequest): Promise<AppObject | null> {
    try {
      return await this.#object(req);
    } catch (e) {
      if (isOktaNotFound(e)) return null;
      throw e;
    }
  }

  /** One page of a list, and the `after` of the next one from its Link header. */
  async page(path: string, limit: number, after?: string): Promise<OktaPage> {
    const p = withQuery(path, { limit, after });
    const res = await this.call({ method: 'GET', path: p });
    if (!Array.isArray(res.json)) throw new InvalidResponseError(`GET ${p}: Okta answered no list`);
    const link = linkWithRel(res.headers.link, 'next');
    let next: string | undefined;
    if (link !== undefined) {
      const under = pathUnderBase(link, p, this.#apiUrl);
      next = new URL(under, 'http://x/').searchParams.get('after') ?? undefined;
    }
    const items = res.json.filter(isObject);
    return next && next !== after ? { items, after: next } : { items };
  }

  /** Every item of a list, page by page (Link header). */
  all(path: string): AsyncGenerator<AppObject[]> {
    return paginate<AppObject>(
      (req) => this.#t.send(req),
      { method: 'GET', path },
      { style: 'link-header', pageSize: MAX_PAGE_SIZE, sizeParam: 'limit' },
      { baseUrl: this.#apiUrl, hook: this.#hook, secrets: this.#secrets() },
    );
  }

  async #collect(path: string): Promise<AppObject[]> {
    const out: AppObject[] = [];
    for await (const page of this.all(path)) out.push(...page.filter(isObject));
    return out;
  }

  /** GET /users/{id}; null on E0000007. */
  getUser(id: string): Promise<AppObject | null> {
    return this.#orNull({ method: 'GET', path: `users/${seg(id)}` });
  }

  /** GET /users?search=<expression>: every user that matches, whatever their status. */
  searchUsers(expression: string): Promise<AppObject[]> {
    return this.#collect(withQuery('users', { search: expression }));
  }

  /** POST /users?activate=true|false `{ profile[, credentials] }`. */
  createUser(body: AppObject, activate: boolean): Promise<AppObject> {
    return this.#object({ method: 'POST', path: withQuery('users', { activate: String(activate) }), body });
  }

  /** POST /users/{id} `{ profile }`: a partial update (PUT would replace the whole profile). */
  updateProfile(id: string, profile: AppObject): Promise<AppObject> {
    return this.#object({ method: 'POST', path: `users/${seg(id)}`, body: { profile }, idempotent: true });
  }

  /** POST /users/{id}/lifecycle/{activate|deactivate|unsuspend}. */
  async lifecycle(id: string, op: Lifecycle): Promise<void> {
    await this.call({ method: 'POST', path: `users/${seg(id)}/lifecycle/${op}` });
  }

  /** DELETE /users/{id} (only a DEPROVISIONED user is deleted; any other is deactivated). */
  async deleteUser(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `users/${seg(id)}` });
  }

  getGroup(id: string): Promise<AppObject | null> {
    return this.#orNull({ method: 'GET', path: `groups/${seg(id)}` });
  }

  searchGroups(expression: string): Promise<AppObject[]> {
    return this.#collect(withQuery('groups', { search: expression }));
  }

  /** POST /groups `{ profile: { name, description } }`: an OKTA_GROUP. */
  createGroup(profile: AppObject): Promise<AppObject> {
    return this.#object({ method: 'POST', path: 'groups', body: { profile } });
  }

  members(groupId: string): Promise<AppObject[]> {
    return this.#collect(`groups/${seg(groupId)}/users`);
  }

  /** PUT /groups/{groupId}/users/{userId} (204): assigning twice is harmless. */
  async addMember(groupId: string, userId: string): Promise<void> {
    const path = `groups/${seg(groupId)}/users/${seg(userId)}`;
    await this.call({ method: 'PUT', path, idempotent: true });
  }

  /** DELETE /groups/{groupId}/users/{userId} (204). */
  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(groupId)}/users/${seg(userId)}` });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(id)}` });
  }
}
