// The HTTP calls of Zoom API v2 (Users and Groups), one method per endpoint, on the instance's
// authenticated JSON transport. Error answers become the project's error tree through the REST
// kit's classifier with Zoom's hook (errors.ts); nothing here decides what a command does.
import type { AppObject } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';
import { errorOf } from '../../http/classify.js';
import { type PagingSpec, paginate, withQuery } from '../../http/paging.js';
import type { HttpRequest, HttpResponse, Transport } from '../../http/transport.js';
import { isObject, type ZoomStatus } from './account.js';
import { isGroupNotFound, isUserNotFound, zoomErrorHook } from './errors.js';

/** "List users" and "List group members" give at most 300 per page (Pagination page). */
export const MAX_PAGE_SIZE = 300;
/** "Add group members": at most 30 members per request. */
export const MEMBER_BATCH_SIZE = 30;

export interface ZoomPage {
  items: AppObject[];
  /** Zoom's `next_page_token`; absent when it was empty (the last page). */
  next?: string;
  total?: number;
}

export interface ZoomClientOptions {
  /** The API transport: base URL `baseUrl`, Bearer token and JSON already composed in. */
  transport: Transport;
  baseUrl: string;
  /** Every secret value known so far (client secret, fetched tokens), hidden from messages. */
  secrets: () => readonly string[];
}

const seg = encodeURIComponent;

export class ZoomClient {
  readonly #t: Transport;
  readonly #baseUrl: string;
  readonly #secrets: () => readonly string[];
  readonly #hook;

  constructor(opts: ZoomClientOptions) {
    this.#t = opts.transport;
    this.#baseUrl = opts.baseUrl;
    this.#secrets = opts.secrets;
    this.#hook = zoomErrorHook(opts.baseUrl);
  }

  /** Sends one request; an error answer throws (NotFoundError, ConflictError, RateLimitedError, AppError). */
  async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.#t.send(req);
    const error = errorOf(res, `${req.method} ${req.path}`, { hook: this.#hook, secrets: this.#secrets() });
    if (error) throw error;
    return res;
  }

  /** A JSON object answer, or InvalidResponseError. */
  async #object(req: HttpRequest): Promise<AppObject> {
    const res = await this.call(req);
    if (!isObject(res.json)) {
      throw new InvalidResponseError(
        `${req.method} ${req.path}: Zoom answered HTTP ${res.status} without a JSON object`,
        {
          status: res.status,
        },
      );
    }
    return res.json;
  }

  /** GET /users/{userId} by id or email; null on Zoom's 1001 "User does not exist". */
  async getUser(idOrEmail: string): Promise<AppObject | null> {
    try {
      return await this.#object({ method: 'GET', path: `users/${seg(idOrEmail)}` });
    } catch (e) {
      if (isUserNotFound(e)) return null;
      throw e;
    }
  }

  /** One page of GET /users?status=...; Zoom lists only `active` users when no status is given. */
  async listUsersPage(status: ZoomStatus, pageSize: number, token?: string): Promise<ZoomPage> {
    const path = withQuery('users', { status, page_size: pageSize, next_page_token: token });
    const body = await this.#object({ method: 'GET', path });
    return pageOf(body, 'users', path);
  }

  /** Looks a user up in the pending list (the only place Zoom shows a pending user's email). */
  async findPending(id: string): Promise<AppObject | undefined> {
    for await (const users of this.#all('users?status=pending', 'users')) {
      const hit = users.find((u) => u.id === id);
      if (hit) return hit;
    }
    return undefined;
  }

  /** POST /users `{ action, user_info }`: 201 with `{ id, first_name, last_name, email, type }`. */
  createUser(action: string, userInfo: AppObject): Promise<AppObject> {
    return this.#object({ method: 'POST', path: 'users', body: { action, user_info: userInfo } });
  }

  /** PATCH /users/{userId} with the fields to set (204). Setting fields: the same however often sent. */
  async updateUser(id: string, fields: AppObject): Promise<void> {
    await this.call({ method: 'PATCH', path: `users/${seg(id)}`, body: fields, idempotent: true });
  }

  /** PUT /users/{userId}/status `{ action: activate | deactivate }` (204). */
  async setStatus(id: string, action: 'activate' | 'deactivate'): Promise<void> {
    await this.call({ method: 'PUT', path: `users/${seg(id)}/status`, body: { action } });
  }

  /** PUT /users/{userId}/email `{ email }` (204): the only request that changes a Zoom user's email. */
  async updateEmail(id: string, email: string): Promise<void> {
    await this.call({ method: 'PUT', path: `users/${seg(id)}/email`, body: { email }, idempotent: true });
  }

  /** DELETE /users/{userId}?action=disassociate|delete (204). */
  async deleteUser(id: string, action: 'disassociate' | 'delete'): Promise<void> {
    await this.call({ method: 'DELETE', path: withQuery(`users/${seg(id)}`, { action }) });
  }

  /** One page of GET /groups (Zoom may answer every group at once, with no token). */
  async listGroupsPage(pageSize: number, token?: string): Promise<ZoomPage> {
    const path = withQuery('groups', { page_size: pageSize, next_page_token: token });
    const body = await this.#object({ method: 'GET', path });
    return pageOf(body, 'groups', path);
  }

  /** Every group, page by page. */
  groups(): AsyncGenerator<AppObject[]> {
    return this.#all('groups', 'groups');
  }

  /** GET /groups/{groupId}; null on Zoom's 4130 "A group with this ... does not exist". */
  async getGroup(id: string): Promise<AppObject | null> {
    try {
      return await this.#object({ method: 'GET', path: `groups/${seg(id)}` });
    } catch (e) {
      if (isGroupNotFound(e)) return null;
      throw e;
    }
  }

  /** Every member of a group (GET /groups/{groupId}/members, paged). */
  async members(groupId: string): Promise<AppObject[]> {
    const out: AppObject[] = [];
    for await (const page of this.#all(`groups/${seg(groupId)}/members`, 'members')) out.push(...page);
    return out;
  }

  /** POST /groups `{ name }` (201 with `{ id, name, total_members }`). */
  createGroup(name: string): Promise<AppObject> {
    return this.#object({ method: 'POST', path: 'groups', body: { name } });
  }

  /** POST /groups/{groupId}/members with at most 30 `{ id }` (201 with `{ ids, added_at }`). */
  async addMembers(groupId: string, ids: readonly string[]): Promise<void> {
    const members = ids.map((id) => ({ id }));
    await this.call({ method: 'POST', path: `groups/${seg(groupId)}/members`, body: { members } });
  }

  /** DELETE /groups/{groupId}/members/{memberId} (204); the core, not the transport, re-sends it. */
  async removeMember(groupId: string, memberId: string): Promise<void> {
    const path = `groups/${seg(groupId)}/members/${seg(memberId)}`;
    await this.call({ method: 'DELETE', path, idempotent: false });
  }

  /** DELETE /groups/{groupId} (204). */
  async deleteGroup(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(id)}` });
  }

  #all(path: string, itemsField: string): AsyncGenerator<AppObject[]> {
    const spec: PagingSpec = {
      style: 'next-token',
      tokenField: 'next_page_token',
      param: 'next_page_token',
      itemsField,
      pageSize: MAX_PAGE_SIZE,
      sizeParam: 'page_size',
    };
    return paginate<AppObject>((req) => this.#t.send(req), { method: 'GET', path }, spec, {
      baseUrl: this.#baseUrl,
      hook: this.#hook,
      secrets: this.#secrets(),
    });
  }
}

function pageOf(body: AppObject, field: string, what: string): ZoomPage {
  const list = body[field];
  if (list !== undefined && !Array.isArray(list)) {
    throw new InvalidResponseError(`GET ${what}: Zoom's answer has no ${field} list`);
  }
  const items = (list ?? []).filter(isObject);
  const next =
    typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
  const total = typeof body.total_records === 'number' ? body.total_records : undefined;
  return {
    items,
    ...(next === undefined ? {} : { next }),
    ...(total === undefined ? {} : { total }),
  };
}
