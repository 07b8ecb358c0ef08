// Pagination declared as data, read by one async generator. A connector says how its app pages
// (start index, page number, next-page token, next link in the body, RFC 8288 Link header) and
// `paginate` yields the items page by page, holding one page at a time. It stops on the first
// sign there is no more to read, as the SCIM client does: an empty page, a page repeating one
// already read (a loop), a token or link already followed, the total reached, or the page cap (reported to
// `onLimit`, so a caller can refuse to act on a partial list). A next link is followed only when
// it stays under the transport's base URL: credentials are never sent to a host a body names.
import { createHash } from 'node:crypto';
import { InvalidResponseError } from '../core/errors.js';
import { type ErrorHook, errorOf } from './classify.js';
import { linkWithRel } from './link-header.js';
import type { Send } from './retry.js';
import type { HttpRequest, HttpResponse } from './transport.js';

/** One key (`next_page_token`, `@odata.nextLink`: dots are part of it) or a path of keys. */
export type FieldPath = string | readonly string[];

interface Common {
  /** Where the items are; absent when the body itself is the list (GitHub). */
  itemsField?: FieldPath;
  /** Page size to ask for, sent in `sizeParam` when both are set. */
  pageSize?: number;
  sizeParam?: string;
}

export type PagingSpec =
  | (Common & {
      style: 'start-index';
      /** Default `startIndex`, 1-based (RFC 7644 3.4.2.4). */
      startParam?: string;
      /** Default `totalResults`. Without a total the first page is the last, as in the SCIM client. */
      totalField?: FieldPath;
    })
  | (Common & {
      style: 'page-number';
      /** Default `page`. */
      pageParam?: string;
      /** Default 1. */
      firstPage?: number;
      totalField?: FieldPath;
      totalPagesField?: FieldPath;
    })
  | (Common & { style: 'next-token'; tokenField: FieldPath; param: string })
  | (Common & { style: 'next-link'; linkField: FieldPath })
  | (Common & { style: 'link-header' });

export interface PaginateOptions {
  /** The transport's base URL: next links must stay under it. */
  baseUrl: string;
  /** At most this many pages (default 100). */
  maxPages?: number;
  hook?: ErrorHook;
  secrets?: readonly string[];
  /** Told when the page cap stopped the listing while the app said there was more. */
  onLimit?: (pages: number) => void;
}

export const DEFAULT_MAX_PAGES = 100;

export function fieldAt(json: unknown, path: FieldPath | undefined): unknown {
  if (path === undefined) return json;
  let v = json;
  for (const key of typeof path === 'string' ? [path] : path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** `path` with `params` set (replacing any of the same name), the rest of its query untouched. */
export function withQuery(
  path: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  const at = path.indexOf('?');
  const base = at < 0 ? path : path.slice(0, at);
  const names = new Set(Object.keys(params).filter((k) => params[k] !== undefined));
  const keep = (at < 0 ? '' : path.slice(at + 1)).split('&').filter((kv) => {
    if (kv === '') return false;
    const name = kv.split('=')[0] ?? '';
    try {
      return !names.has(decodeURIComponent(name.replace(/\+/g, ' ')));
    } catch {
      return true;
    }
  });
  for (const k of names) keep.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`);
  return keep.length ? `${base}?${keep.join('&')}` : base;
}

function baseOf(baseUrl: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/`);
}

/** A next link as a path under the base URL, or an error: it is never followed elsewhere. */
export function pathUnderBase(link: string, current: string, baseUrl: string): string {
  const base = baseOf(baseUrl);
  let url: URL;
  try {
    url = new URL(link, new URL(current.replace(/^\/+/, ''), base));
  } catch {
    throw new InvalidResponseError(`the next-page link from ${base.host} is not a URL`);
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.username || url.password) {
    throw new InvalidResponseError(
      `the next-page link from ${base.host} points outside ${base.origin}${base.pathname} (to ${url.host}): not followed`,
    );
  }
  return `${url.pathname.slice(base.pathname.length)}${url.search}`;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
};
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function itemsOf(res: HttpResponse, spec: PagingSpec, what: string): unknown[] {
  const items = fieldAt(res.json, spec.itemsField);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    const where = spec.itemsField === undefined ? 'the body' : [spec.itemsField].flat().join('.');
    throw new InvalidResponseError(`${what}: the answer has no list at ${where}`, { status: res.status });
  }
  return items;
}

/** The first request's path with the paging parameters of page 1. */
function firstPath(req: HttpRequest, spec: PagingSpec): string {
  const size = spec.sizeParam && spec.pageSize ? { [spec.sizeParam]: spec.pageSize } : {};
  if (spec.style === 'start-index')
    return withQuery(req.path, { ...size, [spec.startParam ?? 'startIndex']: 1 });
  if (spec.style === 'page-number')
    return withQuery(req.path, { ...size, [spec.pageParam ?? 'page']: spec.firstPage ?? 1 });
  return withQuery(req.path, size);
}

/**
 * Yields the items of each page of a GET list. Error answers throw the error tree (classify.ts,
 * with `opts.hook`); an answer without a list where the spec says throws InvalidResponseError.
 */
export async function* paginate<T = unknown>(
  send: Send,
  request: HttpRequest,
  spec: PagingSpec,
  opts: PaginateOptions,
): AsyncGenerator<T[], void, undefined> {
  const maxPages = Math.max(1, Math.floor(opts.maxPages ?? DEFAULT_MAX_PAGES));
  let path = firstPath(request, spec);
  // Fingerprints of the pages read (at most maxPages): a page seen before means the app is looping.
  const prints = new Set<string>();
  let seen = 0;
  let startIndex = 1;
  let page = spec.style === 'page-number' ? (spec.firstPage ?? 1) : 1;
  const followed = new Set<string>();
  for (let pages = 0; ; ) {
    const what = `${request.method} ${path}`;
    const res = await send({ ...request, path });
    const error = errorOf(res, what, {
      ...(opts.hook ? { hook: opts.hook } : {}),
      secrets: opts.secrets ?? [],
    });
    if (error) throw error;
    const items = itemsOf(res, spec, what);
    const print = createHash('sha256').update(JSON.stringify(items)).digest('base64');
    if (items.length === 0 || prints.has(print)) return;
    prints.add(print);
    pages++;
    seen += items.length;
    yield items as T[];

    let next: string | undefined;
    if (spec.style === 'start-index') {
      const total = num(fieldAt(res.json, spec.totalField ?? 'totalResults'));
      if (total === undefined || startIndex - 1 + items.length >= total) return;
      startIndex += items.length;
      next = withQuery(path, { [spec.startParam ?? 'startIndex']: startIndex });
    } else if (spec.style === 'page-number') {
      const total = num(fieldAt(res.json, spec.totalField));
      const totalPages = num(fieldAt(res.json, spec.totalPagesField));
      if ((total !== undefined && seen >= total) || (totalPages !== undefined && page >= totalPages)) return;
      page++;
      next = withQuery(path, { [spec.pageParam ?? 'page']: page });
    } else if (spec.style === 'next-token') {
      const token = nonEmpty(fieldAt(res.json, spec.tokenField));
      if (token === undefined || followed.has(token)) return;
      followed.add(token);
      next = withQuery(path, { [spec.param]: token });
    } else {
      const link =
        spec.style === 'next-link'
          ? nonEmpty(fieldAt(res.json, spec.linkField))
          : linkWithRel(res.headers.link, 'next');
      if (link === undefined) return;
      next = pathUnderBase(link, path, opts.baseUrl);
      if (followed.has(next)) return;
      followed.add(next);
    }
    if (pages >= maxPages) {
      opts.onLimit?.(pages);
      return;
    }
    path = next;
  }
}
