// A vendor-neutral SCIM 2.0 client (RFC 7644) over an injected Transport. It speaks the protocol
// and classifies answers; the ScimProfile tells it how this app pages and whether to PATCH. No I/O
// happens at construction: ServiceProviderConfig is read on first need, once per client.
import type { AppObject } from '../core/connector.js';
import { InvalidResponseError, NotFoundError, TransportError } from '../core/errors.js';
import type { Secret } from '../core/secrets.js';
import type { HttpMethod, HttpRequest, HttpResponse, Transport } from '../http/transport.js';
import { isScimErrorBody, printableUrl, scimError, wrongEndpoint } from './errors.js';
import type { ScimFilter } from './filter.js';
import { type PatchOp, patchFieldNames, patchRequest } from './patch.js';
import type { ScimProfile } from './profile.js';
import {
  FALLBACK_FEATURES,
  listResponse,
  type ResourceType,
  readAnswer,
  type ScimFeatures,
  type ScimResource,
  scimResource,
  serviceProviderConfig,
} from './wire.js';

export interface ScimClientOptions {
  transport: Transport;
  profile: ScimProfile;
  /** Secrets to scrub from any message built from an app's answer (e.g. a token echoed back). */
  secrets?: readonly Secret[];
  /** The SCIM root the transport sends to, to name the URL when it is not a SCIM endpoint. */
  endpoint?: string;
}

export interface ReadOptions {
  /** RFC 7644 3.4.2.5 `excludedAttributes`, e.g. `members`. */
  excludedAttributes?: readonly string[];
}

/** One page of a list; `next` is the next page's startIndex, absent on the last page. */
export interface ScimPage {
  items: ScimResource[];
  next?: number;
}

export interface ListOptions extends ReadOptions {
  filter?: ScimFilter;
  /** Overrides the profile's page size, e.g. 1 for a connection check. */
  count?: number;
  /** Stop after this many pages (at most the profile's maxPages). */
  maxPages?: number;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** `k=v&...` with RFC 3986 escaping (spaces as %20: not every server reads `+` as a space). */
function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * `Users/<id>` with the id percent-encoded, so `/`, `?` and `#` stay inside it. `.` and `..` cannot
 * be made safe that way (URL parsing reads them, and `%2e`, as dot segments and would send the
 * request to the collection or the SCIM root): no resource has such an id, so nothing is sent.
 */
function resourcePath(type: ResourceType, id: string): string {
  if (id === '.' || id === '..' || id === '') {
    throw new NotFoundError(`no ${type === 'Users' ? 'user' : 'group'} has the id ${JSON.stringify(id)}`);
  }
  return `${type}/${encodeURIComponent(id)}`;
}

/**
 * A PATCH is safe to send again when applying it twice leaves what applying it once does:
 * `replace` sets a value. An `add` may append a second value (e.g. to `emails`, or a second entry
 * for the same member on an app that does not de-duplicate members), so it is not; nor is a member
 * `remove` (a strict app answers a repeated one `400 noTarget`). Member changes that got no answer
 * are checked and re-sent by the core instead (core/commands/members.ts).
 */
export function idempotentPatch(ops: readonly PatchOp[]): boolean {
  return ops.every((op) => op.op === 'replace');
}

export class ScimClient {
  readonly #transport: Transport;
  readonly #profile: ScimProfile;
  readonly #secrets: readonly Secret[];
  readonly #endpoint: string | undefined;
  #features: Promise<ScimFeatures> | undefined;

  constructor(opts: ScimClientOptions) {
    this.#transport = opts.transport;
    this.#profile = opts.profile;
    this.#secrets = opts.secrets ?? [];
    this.#endpoint = opts.endpoint === undefined ? undefined : printableUrl(opts.endpoint);
  }

  get profile(): ScimProfile {
    return this.#profile;
  }

  /**
   * Sends one request; a non-2xx answer becomes the matching error of the tree. `idempotent`
   * marks a request the transport may repeat after a lost answer or a 5xx (see retry.ts).
   */
  async #call(
    method: HttpMethod,
    path: string,
    body?: unknown,
    opts: { idempotent?: boolean; fields?: readonly string[] } = {},
  ): Promise<HttpResponse> {
    const req: HttpRequest = body === undefined ? { method, path } : { method, path, body };
    if (opts.idempotent !== undefined) req.idempotent = opts.idempotent;
    if (opts.fields !== undefined) req.fields = opts.fields;
    const res = await this.#transport.send(req);
    // A retried DELETE whose earlier attempt may have landed answers 404: it is gone, as asked.
    if (method === 'DELETE' && res.status === 404 && res.mayHaveLanded === true) return res;
    if (!is2xx(res.status)) {
      const secrets = this.#secrets.map((s) => s.reveal());
      const bare = path.split('?')[0] ?? path;
      // A 404 nobody SCIM answered (an HTML page, text, nothing): the URL is wrong, not the account.
      if (res.status === 404 && !isScimErrorBody(res.json)) {
        const url = this.#endpoint === undefined ? bare : `${this.#endpoint}/${bare}`;
        throw wrongEndpoint(method, url, res, secrets);
      }
      throw scimError(res, `${method} ${bare}`, secrets);
    }
    return res;
  }

  #resource(res: HttpResponse, what: string): ScimResource {
    const parsed = readAnswer(scimResource, res);
    if (!parsed.success) {
      throw new InvalidResponseError(
        `${what}: the app's answer is not a SCIM resource with an id (${parsed.why})`,
        { status: res.status },
      );
    }
    return parsed.data;
  }

  /** A resource from an answer that may legitimately be empty (204 after PUT/PATCH). */
  #maybeResource(res: HttpResponse, what: string): ScimResource | null {
    if (res.status === 204 || res.json === null) return null;
    return this.#resource(res, what);
  }

  async #get(type: ResourceType, id: string, opts: ReadOptions = {}): Promise<ScimResource | null> {
    try {
      const path = resourcePath(type, id) + query({ excludedAttributes: opts.excludedAttributes?.join(',') });
      return this.#resource(await this.#call('GET', path), `GET ${type}`);
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  /**
   * Reads every page of a list (RFC 7644 3.4.2.4) and stops on the first sign that there is no
   * more to read: an empty page, a page repeating the previous one, a missing or invalid
   * totalResults, itemsPerPage 0, totalResults reached, or the profile's page cap.
   */
  async #list(type: ResourceType, opts: ListOptions): Promise<ScimResource[]> {
    const p = this.#profile;
    const count = opts.count ?? p.pageSize;
    const maxPages = Math.max(1, Math.min(opts.maxPages ?? p.maxPages, p.maxPages));
    const found = new Map<string, ScimResource>();
    let startIndex = 1;
    let previous = '';
    for (let page = 0; page < maxPages; page++) {
      const q = query({
        filter: opts.filter,
        excludedAttributes: opts.excludedAttributes?.join(','),
        startIndex: p.paging === 'index' ? startIndex : undefined,
        count,
      });
      const res = await this.#call('GET', `${type}${q}`);
      const parsed = readAnswer(listResponse, res);
      if (!parsed.success) {
        throw new InvalidResponseError(
          `GET ${type}: the app's answer is not a SCIM list response (${parsed.why})`,
          { status: res.status },
        );
      }
      const items = parsed.data.Resources ?? [];
      const ids = items.map((r) => r.id).join('\n');
      if (items.length === 0 || ids === previous) break;
      previous = ids;
      for (const r of items) found.set(r.id, r);
      const { totalResults, itemsPerPage } = parsed.data;
      if (p.paging !== 'index' || totalResults === undefined || itemsPerPage === 0) break;
      if (found.size >= totalResults || startIndex - 1 + items.length >= totalResults) break;
      startIndex += items.length;
    }
    return [...found.values()];
  }

  /**
   * One page of a list from `startIndex` (1-based): its resources and the next page's startIndex,
   * absent on the last page (and always for an app that cannot page, which answers one page).
   */
  async #page(type: ResourceType, startIndex: number, count?: number): Promise<ScimPage> {
    const p = this.#profile;
    const size = count ?? p.pageSize;
    const index = p.paging === 'index';
    const res = await this.#call(
      'GET',
      `${type}${query({ startIndex: index ? startIndex : undefined, count: size })}`,
    );
    const parsed = readAnswer(listResponse, res);
    if (!parsed.success) {
      throw new InvalidResponseError(
        `GET ${type}: the app's answer is not a SCIM list response (${parsed.why})`,
        { status: res.status },
      );
    }
    const items = parsed.data.Resources ?? [];
    const { totalResults } = parsed.data;
    const end = startIndex - 1 + items.length;
    const more =
      index && items.length > 0 && (totalResults === undefined ? items.length >= size : end < totalResults);
    return more ? { items, next: end + 1 } : { items };
  }

  listUsersPage(startIndex: number, count?: number): Promise<ScimPage> {
    return this.#page('Users', startIndex, count);
  }
  listGroupsPage(startIndex: number, count?: number): Promise<ScimPage> {
    return this.#page('Groups', startIndex, count);
  }

  async #create(type: ResourceType, body: AppObject): Promise<ScimResource> {
    return this.#resource(await this.#call('POST', type, body), `POST ${type}`);
  }

  async #replace(type: ResourceType, id: string, body: AppObject): Promise<ScimResource | null> {
    return this.#maybeResource(await this.#call('PUT', resourcePath(type, id), body), `PUT ${type}`);
  }

  async #patch(type: ResourceType, id: string, ops: readonly PatchOp[]): Promise<ScimResource | null> {
    const res = await this.#call('PATCH', resourcePath(type, id), patchRequest(ops), {
      idempotent: idempotentPatch(ops),
      fields: patchFieldNames(ops),
    });
    return this.#maybeResource(res, `PATCH ${type}`);
  }

  getUser(id: string, opts?: ReadOptions): Promise<ScimResource | null> {
    return this.#get('Users', id, opts);
  }
  findUsers(filter?: ScimFilter, opts: Omit<ListOptions, 'filter'> = {}): Promise<ScimResource[]> {
    return this.#list('Users', { ...opts, ...(filter === undefined ? {} : { filter }) });
  }
  createUser(body: AppObject): Promise<ScimResource> {
    return this.#create('Users', body);
  }
  /** PUT; null when the app answers without a body. */
  replaceUser(id: string, body: AppObject): Promise<ScimResource | null> {
    return this.#replace('Users', id, body);
  }
  /** PATCH; null when the app answers without a body (204). */
  patchUser(id: string, ops: readonly PatchOp[]): Promise<ScimResource | null> {
    return this.#patch('Users', id, ops);
  }

  getGroup(id: string, opts?: ReadOptions): Promise<ScimResource | null> {
    return this.#get('Groups', id, opts);
  }
  findGroups(filter?: ScimFilter, opts: Omit<ListOptions, 'filter'> = {}): Promise<ScimResource[]> {
    return this.#list('Groups', { ...opts, ...(filter === undefined ? {} : { filter }) });
  }
  createGroup(body: AppObject): Promise<ScimResource> {
    return this.#create('Groups', body);
  }
  replaceGroup(id: string, body: AppObject): Promise<ScimResource | null> {
    return this.#replace('Groups', id, body);
  }
  patchGroup(id: string, ops: readonly PatchOp[]): Promise<ScimResource | null> {
    return this.#patch('Groups', id, ops);
  }
  /**
   * NotFoundError when the group is not there. A 404 after a retry whose earlier attempt may have
   * landed is success (it was our first attempt that deleted it).
   */
  async deleteGroup(id: string): Promise<void> {
    await this.#call('DELETE', resourcePath('Groups', id));
  }
  /** DELETE Users/{id} (RFC 7644 3.6); NotFoundError when the user is not there. */
  async deleteUser(id: string): Promise<void> {
    await this.#call('DELETE', resourcePath('Users', id));
  }

  /**
   * ServiceProviderConfig (RFC 7644 4), read once per client. A missing or unreadable config
   * (404, other error, wrong shape) means "supports nothing optional", flagged `fallback`. A
   * network failure is not an answer: it is thrown and the next call asks again.
   */
  serviceProviderConfig(): Promise<ScimFeatures> {
    this.#features ??= this.#discover().catch((e: unknown) => {
      this.#features = undefined;
      throw e;
    });
    return this.#features;
  }

  async #discover(): Promise<ScimFeatures> {
    let res: HttpResponse;
    try {
      res = await this.#call('GET', 'ServiceProviderConfig');
    } catch (e) {
      if (e instanceof TransportError) throw e;
      return { ...FALLBACK_FEATURES };
    }
    const parsed = serviceProviderConfig.safeParse(res.json);
    if (!parsed.success) return { ...FALLBACK_FEATURES };
    const spc = parsed.data;
    return {
      patch: spc.patch?.supported === true,
      filter: spc.filter?.supported === true,
      maxResults: spc.filter?.maxResults,
      fallback: false,
    };
  }

  /** A discovery endpoint's JSON as the app answers it (RFC 7644 4: `Schemas`, `ResourceTypes`). */
  async discovery(path: 'Schemas' | 'ResourceTypes'): Promise<unknown> {
    return (await this.#call('GET', path)).json;
  }

  /** Whether to PATCH: the profile's `always`/`never` win; `discover` asks ServiceProviderConfig. */
  async patchSupported(): Promise<boolean> {
    const setting = this.#profile.patch;
    if (setting !== 'discover') return setting === 'always';
    return (await this.serviceProviderConfig()).patch;
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}
