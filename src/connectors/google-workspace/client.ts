// The HTTP calls of the Admin SDK Directory API (directory/v1) users, groups and members resources,
// one method per endpoint, on the instance's authenticated JSON transport (base URL
// `<baseUrl>/admin/directory/v1`). Error answers become the project's error tree through the REST
// kit's classifier with Google's hook (errors.ts); nothing here decides what a command does.
import type { AppObject } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';
import { type ErrorHook, errorOf } from '../../http/classify.js';
import { type PagingSpec, paginate, withQuery } from '../../http/paging.js';
import type { HttpRequest, HttpResponse, Transport } from '../../http/transport.js';
import { isObject } from './account.js';

/** users.list takes maxResults up to 500; groups.list and members.list up to 200. */
export const MAX_USERS_PAGE = 500;
export const MAX_GROUPS_PAGE = 200;

export interface GooglePage {
  items: AppObject[];
  /** `nextPageToken`; absent on the last page. */
  next?: string;
}

export interface GoogleClientOptions {
  /** Base URL `<baseUrl>/admin/directory/v1`, Bearer token and JSON already composed in. */
  transport: Transport;
  apiUrl: string;
  customer: string;
  hook: ErrorHook;
  /** Every secret value known so far (the key, fetched tokens), hidden from messages. */
  secrets: () => readonly string[];
}

const seg = encodeURIComponent;

export class GoogleClient {
  readonly #t: Transport;
  readonly #o: GoogleClientOptions;

  constructor(opts: GoogleClientOptions) {
    this.#t = opts.transport;
    this.#o = opts;
  }

  /** Sends one request; an error answer throws (NotFoundError, ConflictError, RateLimitedError, AppError). */
  async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.#t.send(req);
    const error = errorOf(res, `${req.method} ${req.path}`, {
      hook: this.#o.hook,
      secrets: this.#o.secrets(),
    });
    if (error) throw error;
    return res;
  }

  async #object(req: HttpRequest): Promise<AppObject> {
    const res = await this.call(req);
    if (!isObject(res.json)) {
      throw new InvalidResponseError(
        `${req.method} ${req.path}: Google answered HTTP ${res.status} without a JSON object`,
        { status: res.status },
      );
    }
    return res.json;
  }

  /** users.get by id, primary email or alias. */
  getUser(userKey: string): Promise<AppObject> {
    return this.#object({ method: 'GET', path: `users/${seg(userKey)}` });
  }

  /** One page of users.list for the customer. */
  async listUsersPage(maxResults: number, pageToken?: string): Promise<GooglePage> {
    const path = withQuery('users', { customer: this.#o.customer, maxResults, pageToken });
    return pageOf(await this.#object({ method: 'GET', path }), 'users', path);
  }

  /** users.insert: the new user resource. */
  insertUser(user: AppObject): Promise<AppObject> {
    return this.#object({ method: 'POST', path: 'users', body: user });
  }

  /**
   * users.patch with the fields to set (the same however often sent): the user after, as Google
   * answers it; read back when the answer has no body (a dry run's captured PATCH is a 204).
   */
  async patchUser(userKey: string, fields: AppObject): Promise<AppObject> {
    const path = `users/${seg(userKey)}`;
    const res = await this.call({
      method: 'PATCH',
      path,
      body: fields,
      idempotent: true,
      fields: Object.keys(fields),
    });
    return isObject(res.json) ? res.json : this.getUser(userKey);
  }

  /** users.delete (204). */
  async deleteUser(userKey: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `users/${seg(userKey)}` });
  }

  /** groups.get by id or email. */
  getGroup(groupKey: string): Promise<AppObject> {
    return this.#object({ method: 'GET', path: `groups/${seg(groupKey)}` });
  }

  async listGroupsPage(maxResults: number, pageToken?: string): Promise<GooglePage> {
    const path = withQuery('groups', { customer: this.#o.customer, maxResults, pageToken });
    return pageOf(await this.#object({ method: 'GET', path }), 'groups', path);
  }

  /** Every group of the customer, page by page. */
  groups(): AsyncGenerator<AppObject[]> {
    return this.#all(withQuery('groups', { customer: this.#o.customer }), 'groups');
  }

  /** Every member of a group (members.list, paged). */
  async members(groupKey: string): Promise<AppObject[]> {
    const out: AppObject[] = [];
    for await (const page of this.#all(`groups/${seg(groupKey)}/members`, 'members')) out.push(...page);
    return out;
  }

  insertGroup(group: AppObject): Promise<AppObject> {
    return this.#object({ method: 'POST', path: 'groups', body: group });
  }

  async deleteGroup(groupKey: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(groupKey)}` });
  }

  /** members.insert of one member by id (role MEMBER); the core, not the transport, re-sends it. */
  async insertMember(groupKey: string, memberId: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: `groups/${seg(groupKey)}/members`,
      body: { id: memberId, role: 'MEMBER' },
    });
  }

  /** members.delete (204). */
  async deleteMember(groupKey: string, memberKey: string): Promise<void> {
    const path = `groups/${seg(groupKey)}/members/${seg(memberKey)}`;
    await this.call({ method: 'DELETE', path, idempotent: false });
  }

  #all(path: string, itemsField: string): AsyncGenerator<AppObject[]> {
    const spec: PagingSpec = {
      style: 'next-token',
      tokenField: 'nextPageToken',
      param: 'pageToken',
      itemsField,
      pageSize: MAX_GROUPS_PAGE,
      sizeParam: 'maxResults',
    };
    return paginate<AppObject>((req) => this.#t.send(req), { method: 'GET', path }, spec, {
      baseUrl: this.#o.apiUrl,
      hook: this.#o.hook,
      secrets: this.#o.secrets(),
    });
  }
}

/** A list answer (`{ kind, users|groups|members, nextPageToken }`); the list is absent when empty. */
function pageOf(body: AppObject, field: string, what: string): GooglePage {
  const list = body[field];
  if (list !== undefined && !Array.isArray(list)) {
    throw new InvalidResponseError(`GET ${what}: Google's answer has no ${field} list`);
  }
  const items = (list ?? []).filter(isObject);
  const next = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined;
  return next ? { items, next } : { items };
}
