// The HTTP calls of ServiceNow's Table API (`/api/now/table/{tableName}`), one method per call, on
// the instance's authenticated JSON transport. Every read asks only for the fields it maps
// (`sysparm_fields`) and plain sys_ids for references (`sysparm_exclude_reference_link=true`);
// lists page with `sysparm_limit` + `sysparm_offset` and follow the `Link: rel="next"` header the
// instance sends. Error answers become the project's error tree through the REST kit's classifier
// with ServiceNow's hook (errors.ts); nothing here decides what a command does.
import type { AppObject } from '../../core/connector.js';
import { InvalidResponseError, NotFoundError } from '../../core/errors.js';
import { errorOf } from '../../http/classify.js';
import { DRY_RUN_ID } from '../../http/dry-run.js';
import { linkWithRel } from '../../http/link-header.js';
import { paginate, withQuery } from '../../http/paging.js';
import type { HttpRequest, HttpResponse, Transport } from '../../http/transport.js';
import { snowErrorHook } from './errors.js';
import { SYS_ID } from './query.js';

export type Table = 'sys_user' | 'sys_user_group' | 'sys_user_grmember';

/** The Table API's largest `sysparm_limit` (its documented maximum is 10,000 rows per request). */
export const MAX_PAGE_SIZE = 10_000;

export interface SnowClientOptions {
  /** The API transport: base URL `<instanceUrl>/api/now/table`, auth and JSON composed in. */
  transport: Transport;
  tableUrl: string;
  instanceUrl: string;
  pageSize: number;
  secrets: () => readonly string[];
}

export interface SnowPage {
  items: AppObject[];
  /** The next offset, when the instance said there is a next page (its Link header). */
  next?: number;
}

const isObject = (v: unknown): v is AppObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SnowClient {
  readonly #t: Transport;
  readonly #tableUrl: string;
  readonly #secrets: () => readonly string[];
  readonly #hook;
  readonly pageSize: number;

  constructor(opts: SnowClientOptions) {
    this.#t = opts.transport;
    this.#tableUrl = opts.tableUrl;
    this.#secrets = opts.secrets;
    this.#hook = snowErrorHook(opts.instanceUrl);
    this.pageSize = opts.pageSize;
  }

  /** Sends one request; an error answer throws (NotFoundError, ConflictError, RateLimitedError, AppError). */
  async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.#t.send(req);
    const error = errorOf(res, `${req.method} ${req.path.split('?')[0]}`, {
      hook: this.#hook,
      secrets: this.#secrets(),
    });
    if (error) throw error;
    return res;
  }

  /** The `result` object of an answer, or InvalidResponseError. */
  async #record(req: HttpRequest): Promise<AppObject> {
    const res = await this.call(req);
    const result = isObject(res.json) ? res.json.result : undefined;
    if (!isObject(result)) {
      throw new InvalidResponseError(
        `${req.method} ${req.path.split('?')[0]}: ServiceNow answered HTTP ${res.status} without a result record`,
        { status: res.status },
      );
    }
    return result;
  }

  /** GET {table}/{sys_id}; null when ServiceNow answers "No Record found" (404). */
  async get(table: Table, sysId: string, fields: readonly string[]): Promise<AppObject | null> {
    if (!SYS_ID.test(sysId)) return null;
    try {
      return await this.#record({ method: 'GET', path: withQuery(`${table}/${sysId}`, reads(fields)) });
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  /** One page of GET {table}?sysparm_query=...: the rows and, when the Link header has rel=next, the next offset. */
  async page(
    table: Table,
    query: string | undefined,
    fields: readonly string[],
    offset: number,
    limit = this.pageSize,
  ): Promise<SnowPage> {
    const params = { ...reads(fields), sysparm_query: query, sysparm_limit: limit, sysparm_offset: offset };
    const path = withQuery(table, params);
    const res = await this.call({ method: 'GET', path });
    const list = isObject(res.json) ? res.json.result : undefined;
    if (!Array.isArray(list)) {
      throw new InvalidResponseError(`GET ${table}: ServiceNow's answer has no result list`, {
        status: res.status,
      });
    }
    const items = list.filter(isObject);
    const hasNext = linkWithRel(res.headers.link, 'next') !== undefined;
    return hasNext && items.length > 0 ? { items, next: offset + items.length } : { items };
  }

  /** Every row a query matches, page by page (sysparm_limit/offset; the Link header's next link). */
  all(table: Table, query: string | undefined, fields: readonly string[]): AsyncGenerator<AppObject[]> {
    const path = withQuery(table, { ...reads(fields), sysparm_query: query, sysparm_offset: 0 });
    return paginate<AppObject>(
      (req) => this.#t.send(req),
      { method: 'GET', path },
      { style: 'link-header', itemsField: 'result', pageSize: this.pageSize, sizeParam: 'sysparm_limit' },
      { baseUrl: this.#tableUrl, hook: this.#hook, secrets: this.#secrets() },
    );
  }

  /** Every row of a query, read whole. */
  async list(table: Table, query: string | undefined, fields: readonly string[]): Promise<AppObject[]> {
    const out: AppObject[] = [];
    for await (const rows of this.all(table, query, fields)) out.push(...rows);
    return out;
  }

  /** POST {table} (201 with the record). */
  create(table: Table, body: AppObject, fields: readonly string[]): Promise<AppObject> {
    const req: HttpRequest = { method: 'POST', path: withQuery(table, reads(fields)), body };
    return this.#written(req, table, body, fields);
  }

  /** PATCH {table}/{sys_id} with the fields to set (200 with the record): the same however often sent. */
  update(table: Table, sysId: string, body: AppObject, fields: readonly string[]): Promise<AppObject> {
    const req: HttpRequest = {
      method: 'PATCH',
      path: withQuery(`${table}/${sysId}`, reads(fields)),
      body,
      idempotent: true,
    };
    return this.#written(req, table, body, fields, sysId);
  }

  /**
   * The record a write answered. ServiceNow always answers it; a dry run (http/dry-run.ts) answers
   * a captured POST with the body and id "dry-run" and a captured PATCH with 204: the record is then
   * what was sent (POST) or the unchanged record read back with what was sent over it (PATCH).
   */
  async #written(
    req: HttpRequest,
    table: Table,
    body: AppObject,
    fields: readonly string[],
    sysId?: string,
  ): Promise<AppObject> {
    const res = await this.call(req);
    const json = isObject(res.json) ? res.json : {};
    if (isObject(json.result)) return json.result;
    if (req.method === 'POST' && json.id === DRY_RUN_ID) return { ...body, sys_id: DRY_RUN_ID };
    if (req.method === 'PATCH' && res.status === 204 && sysId !== undefined) {
      const now = await this.get(table, sysId, fields);
      if (now) return { ...now, ...body };
    }
    throw new InvalidResponseError(
      `${req.method} ${table}: ServiceNow answered HTTP ${res.status} without a result record`,
      { status: res.status },
    );
  }

  /** DELETE {table}/{sys_id} (204); NotFoundError when ServiceNow says it does not exist. */
  async delete(table: Table, sysId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `${table}/${sysId}` });
  }
}

/** The read parameters of every call: only the mapped fields, references as plain sys_ids. */
function reads(fields: readonly string[]): Record<string, string> {
  return { sysparm_fields: fields.join(','), sysparm_exclude_reference_link: 'true' };
}
