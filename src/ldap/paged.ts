// Lists with the simple paged results control (RFC 2696) behind the contract's opaque cursor. A
// paged search's cookie is only valid on the connection that started it (RFC 2696 section 3), so
// each list holds a dedicated connection (not a pooled one) until its last page is read, the cursor
// is abandoned (the connector closes), or it is left unread for `idleMs`. The cursor is a random
// token naming that list in this process; an unknown one is a usage error, never a silent restart.
import { randomUUID } from 'node:crypto';
import type { Client, Filter, SearchResult } from 'ldapts';
import { UsageError } from '../core/errors.js';
import { type DirEntry, type DirectoryClient, toDirEntry } from './client.js';
import { toIamError } from './errors.js';

export interface ListQuery {
  base: string;
  filter: Filter;
  attributes: readonly string[];
  binary?: readonly string[];
}

interface OpenList {
  client: Client;
  pages: AsyncGenerator<SearchResult>;
  /** The page read ahead (so a page knows whether another follows), or null after the last. */
  ahead: SearchResult | null;
  attributes: readonly string[];
  timer?: NodeJS.Timeout;
}

export class PagedLister {
  readonly #dir: DirectoryClient;
  readonly #open = new Map<string, OpenList>();
  readonly #idleMs: number;

  constructor(dir: DirectoryClient, idleMs = 300_000) {
    this.#dir = dir;
    this.#idleMs = idleMs;
  }

  /** One page: the first when `cursor` is absent, else the page after the one that gave `cursor`. */
  async page(
    query: ListQuery,
    req: { cursor?: string; limit?: number },
  ): Promise<{ items: DirEntry[]; cursor?: string }> {
    let token = req.cursor;
    let list: OpenList | undefined;
    if (token === undefined) {
      token = randomUUID();
      list = await this.#start(query, Math.min(1000, Math.max(1, Math.trunc(req.limit ?? 100) || 100)));
      this.#open.set(token, list);
    } else {
      list = this.#open.get(token);
      if (!list)
        throw new UsageError('cursor: unknown or expired list cursor (start the list again)', 'cursor');
      clearTimeout(list.timer);
    }
    const page = list.ahead;
    try {
      const next = await list.pages.next();
      list.ahead = next.done ? null : next.value;
    } catch (e) {
      await this.#end(token);
      throw toIamError(e, {
        what: `search ${query.base}`,
        write: false,
        sent: true,
        secrets: this.#dir.options.secrets,
      });
    }
    const items = (page?.searchEntries ?? []).map((e) => toDirEntry(e, list.attributes));
    if (!list.ahead) {
      await this.#end(token);
      return { items };
    }
    list.timer = setTimeout(() => void this.#end(token), this.#idleMs);
    list.timer.unref();
    return { items, cursor: token };
  }

  async #start(query: ListQuery, pageSize: number): Promise<OpenList> {
    const client = await this.#dir.openDedicated();
    const pages = client.searchPaginated(query.base, {
      scope: 'sub',
      filter: query.filter,
      attributes: [...query.attributes],
      explicitBufferAttributes: [...(query.binary ?? [])],
      paged: { pageSize },
    });
    try {
      const firstPage = await pages.next();
      return { client, pages, ahead: firstPage.done ? null : firstPage.value, attributes: query.attributes };
    } catch (e) {
      await client.unbind().catch(() => {});
      throw toIamError(e, {
        what: `search ${query.base}`,
        write: false,
        sent: true,
        secrets: this.#dir.options.secrets,
      });
    }
  }

  async #end(token: string): Promise<void> {
    const list = this.#open.get(token);
    if (!list) return;
    this.#open.delete(token);
    clearTimeout(list.timer);
    await list.pages.return(undefined).catch(() => {});
    await list.client.unbind().catch(() => {});
  }

  async close(): Promise<void> {
    await Promise.all([...this.#open.keys()].map((t) => this.#end(t)));
  }
}
