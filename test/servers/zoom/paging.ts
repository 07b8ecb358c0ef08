// next_page_token paging: opaque tokens, bound to the list and filter they came from, that expire
// (the reference: "This token's expiration period is 15 minutes").
import { randomBytes } from 'node:crypto';
import { validationFailed, ZoomApiError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 300;
export const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;

interface Cursor {
  scope: string;
  offset: number;
  expiresAt: number;
}

export interface Page<T> {
  items: T[];
  page_size: number;
  page_count: number;
  page_number: number;
  total_records: number;
  next_page_token: string;
}

export class PageTokens {
  readonly #cursors = new Map<string, Cursor>();

  constructor(
    public ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** Reads page_size: default 30, at most 300; anything else is refused with Validation Failed. */
  static pageSize(raw: string | null): number {
    if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
    const size = Number(raw);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw validationFailed(['page_size']);
    return size;
  }

  /**
   * Slices `all` (already filtered, in a stable order) at the cursor the token names. `scope` names
   * the list and its filters: a token is only good for the query that produced it.
   */
  page<T>(all: T[], scope: string, pageSize: number, token: string | null): Page<T> {
    let offset = 0;
    if (token) {
      const cursor = this.#cursors.get(token);
      if (!cursor || cursor.scope !== scope) {
        throw new ZoomApiError(400, 300, 'The next page token is invalid or expired.');
      }
      if (this.now() >= cursor.expiresAt) {
        this.#cursors.delete(token);
        throw new ZoomApiError(400, 300, 'The next page token is invalid or expired.');
      }
      offset = cursor.offset;
    }
    const items = all.slice(offset, offset + pageSize);
    const nextOffset = offset + items.length;
    let next = '';
    if (nextOffset < all.length) {
      next = randomBytes(24).toString('base64url');
      this.#cursors.set(next, { scope, offset: nextOffset, expiresAt: this.now() + this.ttlMs });
    }
    return {
      items,
      page_size: pageSize,
      page_count: Math.ceil(all.length / pageSize),
      page_number: Math.floor(offset / pageSize) + 1,
      total_records: all.length,
      next_page_token: next,
    };
  }

  reset(): void {
    this.#cursors.clear();
  }
}
