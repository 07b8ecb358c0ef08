// The HTTP calls of Microsoft Graph v1.0 (users and groups), one method per endpoint, on the
// instance's authenticated JSON transport. Error answers become the project's error tree through
// the REST kit's classifier with Graph's hook (errors.ts).
//
// Replication delay ("Designing for eventual consistency for Microsoft Entra"; the notes on
// "Create user" and "Add members"): an object just created may not yet be on the replica that
// serves the next request, which then answers 404 (or, adding members, 400 "... do not exist").
// Microsoft's advice is to retry after a short delay with backoff. So a call that names an object
// THIS connector created less than REPLICATION_WINDOW_MS ago is tried again on such an answer,
// after 0.25, 0.5, 1, 2, 4 and 8 s; any other 404 is an answer, at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppObject } from '../../core/connector.js';
import { AppError, ConflictError, InvalidResponseError } from '../../core/errors.js';
import { errorOf } from '../../http/classify.js';
import { pathUnderBase, withQuery } from '../../http/paging.js';
import type { HttpRequest, HttpResponse, Transport } from '../../http/transport.js';
import { isObject } from './account.js';
import { graphErrorHook, isNotFound } from './errors.js';
import { GROUP_SELECT, USER_SELECT } from './mapping.js';

/** "List users": `$top` from 1 to 999. */
export const MAX_PAGE_SIZE = 999;
/** "Add members": "you can add up to only 20 members" in one request. */
export const MEMBER_BATCH_SIZE = 20;
export const REPLICATION_WINDOW_MS = 120_000;
export const REPLICATION_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];

export interface GraphClientOptions {
  /** The API transport: base URL `{graphUrl}/v1.0`, Bearer token and JSON composed in. */
  transport: Transport;
  graphUrl: string;
  secrets: () => readonly string[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  backoffMs?: readonly number[];
}

const seg = encodeURIComponent;
/** An OData string literal: `'` doubled ("OData URL conventions", 4.1 / Graph's $filter page). */
export const odataString = (v: string): string => `'${v.replace(/'/g, "''")}'`;

const replicationMiss = (e: unknown): boolean =>
  isNotFound(e) || (e instanceof AppError && e.status === 400 && /do(es)? not exist/i.test(e.message));

export class GraphClient {
  readonly #t: Transport;
  readonly #base: string;
  readonly #secrets: () => readonly string[];
  readonly #hook;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #backoff: readonly number[];
  /** Ids this connector created, with when: a 404 on them may be replication delay. */
  readonly #created = new Map<string, number>();
  readonly graphUrl: string;

  constructor(opts: GraphClientOptions) {
    this.#t = opts.transport;
    this.graphUrl = opts.graphUrl;
    this.#base = `${opts.graphUrl}/v1.0`;
    this.#secrets = opts.secrets;
    this.#hook = graphErrorHook(opts.graphUrl);
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? ((ms) => sleep(ms));
    this.#backoff = opts.backoffMs ?? REPLICATION_BACKOFF_MS;
  }

  #recent(ids: readonly string[]): boolean {
    const now = this.#now();
    return ids.some((id) => {
      const at = this.#created.get(id);
      return at !== undefined && now - at < REPLICATION_WINDOW_MS;
    });
  }

  /** Sends one request; an error answer throws. `objects`: the ids it names, for the replication retry. */
  async call(req: HttpRequest, objects: readonly string[] = []): Promise<HttpResponse> {
    for (let retry = 0; ; retry++) {
      const res = await this.#t.send(req);
      const error = errorOf(res, `${req.method} ${req.path}`, { hook: this.#hook, secrets: this.#secrets() });
      if (!error) return res;
      // Graph answers a unique value in use with 400 + ObjectConflict: reported as the 409 every
      // other brand gives for a conflict (the vendor code stays ObjectConflict).
      if (error instanceof ConflictError && error.status === 400) {
        throw new ConflictError(error.message, {
          status: 409,
          ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
          mayHaveLanded: error.mayHaveLanded,
        });
      }
      const delay = this.#backoff[retry];
      // Graph names the object it could not find ("Resource '<id>' does not exist"): only when
      // that one is new here is a 404 the replication delay; else every object the request names.
      const missing = /Resource '([^']+)' does not exist/.exec(error.message)?.[1];
      const suspects = missing !== undefined ? [missing] : objects;
      if (delay === undefined || !replicationMiss(error) || !this.#recent(suspects)) throw error;
      await this.#sleep(delay);
    }
  }

  async #object(req: HttpRequest, objects: readonly string[] = []): Promise<AppObject> {
    const res = await this.call(req, objects);
    if (!isObject(res.json)) {
      throw new InvalidResponseError(
        `${req.method} ${req.path}: Microsoft Graph answered HTTP ${res.status} without a JSON object`,
        {
          status: res.status,
        },
      );
    }
    return res.json;
  }

  #remember(raw: AppObject): AppObject {
    if (typeof raw.id === 'string') this.#created.set(raw.id, this.#now());
    return raw;
  }

  /** GET /users/{id | userPrincipalName}?$select=...; null when Graph says it does not exist. */
  async getUser(key: string): Promise<AppObject | null> {
    try {
      return await this.#object(
        { method: 'GET', path: withQuery(`users/${seg(key)}`, { $select: USER_SELECT.join(',') }) },
        [key],
      );
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** GET /users?$filter={property} eq '{value}' (every match: candidates). */
  async findUsers(property: string, value: string): Promise<AppObject[]> {
    const path = withQuery('users', {
      $filter: `${property} eq ${odataString(value)}`,
      $select: USER_SELECT.join(','),
    });
    const out: AppObject[] = [];
    for await (const page of this.pages(path)) out.push(...page);
    return out;
  }

  listUsersPage(top: number, next?: string): Promise<{ items: AppObject[]; next?: string }> {
    return this.page(next ?? withQuery('users', { $top: top, $select: USER_SELECT.join(',') }));
  }

  /** POST /users (201 with the user). */
  async createUser(body: AppObject): Promise<AppObject> {
    return this.#remember(await this.#object({ method: 'POST', path: 'users', body }));
  }

  /** PATCH /users/{id} (204): setting fields, the same however often sent. */
  async updateUser(id: string, body: AppObject): Promise<void> {
    await this.call({ method: 'PATCH', path: `users/${seg(id)}`, body, idempotent: true }, [id]);
  }

  /** DELETE /users/{id} (204): to deleted items, restorable for 30 days. */
  async deleteUser(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `users/${seg(id)}` }, [id]);
    // Gone now: a 404 on it is the truth, not replication delay.
    this.#created.delete(id);
  }

  async getGroup(id: string): Promise<AppObject | null> {
    try {
      return await this.#object(
        { method: 'GET', path: withQuery(`groups/${seg(id)}`, { $select: GROUP_SELECT.join(',') }) },
        [id],
      );
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async findGroups(displayName: string): Promise<AppObject[]> {
    const path = withQuery('groups', {
      $filter: `displayName eq ${odataString(displayName)}`,
      $select: GROUP_SELECT.join(','),
    });
    const out: AppObject[] = [];
    for await (const page of this.pages(path)) out.push(...page);
    return out;
  }

  listGroupsPage(top: number, next?: string): Promise<{ items: AppObject[]; next?: string }> {
    return this.page(next ?? withQuery('groups', { $top: top, $select: GROUP_SELECT.join(',') }));
  }

  async members(groupId: string): Promise<AppObject[]> {
    const path = withQuery(`groups/${seg(groupId)}/members`, {
      $select: 'id,userPrincipalName,displayName',
      $top: MAX_PAGE_SIZE,
    });
    const out: AppObject[] = [];
    for await (const page of this.pages(path, [groupId])) out.push(...page);
    return out;
  }

  /** POST /groups (201 with the group). */
  async createGroup(body: AppObject): Promise<AppObject> {
    return this.#remember(await this.#object({ method: 'POST', path: 'groups', body }));
  }

  /** PATCH /groups/{id} with `members@odata.bind` (at most 20 references). */
  async addMembers(groupId: string, ids: readonly string[]): Promise<void> {
    const refs = ids.map((id) => `${this.graphUrl}/v1.0/directoryObjects/${seg(id)}`);
    await this.call(
      { method: 'PATCH', path: `groups/${seg(groupId)}`, body: { 'members@odata.bind': refs } },
      [groupId, ...ids],
    );
  }

  /** POST /groups/{id}/members/$ref: one member. */
  async addMember(groupId: string, id: string): Promise<void> {
    const body = { '@odata.id': `${this.graphUrl}/v1.0/directoryObjects/${seg(id)}` };
    await this.call({ method: 'POST', path: `groups/${seg(groupId)}/members/$ref`, body }, [groupId, id]);
  }

  /** DELETE /groups/{id}/members/{memberId}/$ref (204). */
  async removeMember(groupId: string, id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(groupId)}/members/${seg(id)}/$ref` }, [
      groupId,
      id,
    ]);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `groups/${seg(id)}` }, [id]);
    this.#created.delete(id);
  }

  /**
   * One page of a GET list: its `value` and its `@odata.nextLink` as a path under the API base (a
   * link to any other host or path is refused, never followed: the token would go with it).
   */
  async page(path: string, objects: readonly string[] = []): Promise<{ items: AppObject[]; next?: string }> {
    const body = await this.#object({ method: 'GET', path }, objects);
    const list = body.value;
    if (!Array.isArray(list))
      throw new InvalidResponseError(`GET ${path}: Microsoft Graph's answer has no value list`);
    const link = body['@odata.nextLink'];
    const next = typeof link === 'string' && link !== '' ? pathUnderBase(link, path, this.#base) : undefined;
    return { items: list.filter(isObject), ...(next === undefined ? {} : { next }) };
  }

  /** Every page of a GET list, following `@odata.nextLink` (at most MAX_PAGES, never a link twice). */
  async *pages(path: string, objects: readonly string[] = []): AsyncGenerator<AppObject[]> {
    const followed = new Set<string>();
    let at: string | undefined = path;
    for (let n = 0; at !== undefined && n < MAX_PAGES; n++) {
      const { items, next } = await this.page(at, objects);
      yield items;
      if (next === undefined || followed.has(next)) return;
      followed.add(next);
      at = next;
    }
    if (at !== undefined)
      throw new InvalidResponseError(`GET ${path}: more than ${MAX_PAGES} pages; stopped`);
  }

  /** Is `path` a list path this connector pages (a cursor given back to it)? */
  isListPath(path: string, collection: 'users' | 'groups'): boolean {
    return path.startsWith(`${collection}?`) && !path.includes('://');
  }
}

const MAX_PAGES = 1000;
