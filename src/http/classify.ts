// Error answers of any REST app, classified once: by HTTP status, then by a per-vendor hook that
// reads the vendor's own codes in the body (Zoom `{code: 1001}` is "not found" even as a 400, a
// Slack 200 with `{ok: false}` is an error). The result says what the user will notice (not found,
// conflict, try later...) and what the core needs to decide without looking at a status:
// `retryable` (the same request may succeed later unchanged) and `mayHaveLanded` (the change may
// already be applied: look before writing again). `toIamError` turns it into the error tree.
// The SCIM client keeps its own mapping (scim/errors.ts); `scimHook` gives SCIM's scimType here.
import { AppError, ConflictError, NotFoundError, RateLimitedError } from '../core/errors.js';
import { cleanText } from './clean-text.js';
import { retryAtNote, waitHintMs } from './rate-headers.js';
import { RETRYABLE_STATUSES } from './retry.js';
import type { HttpResponse } from './transport.js';

export type ErrorKind =
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'transient'
  | 'auth'
  | 'invalid'
  | 'unknown';

export interface Classification {
  kind: ErrorKind;
  retryable: boolean;
  mayHaveLanded: boolean;
  status: number;
  vendorCode?: string | number;
  /** The app's own words, raw (toIamError cleans them); empty when it said nothing usable. */
  message: string;
  /** For rate-limited answers: how long the app asked us to wait, from `at` (ms since the epoch). */
  retryAfterMs?: number;
  at?: number;
}

/** What a vendor's body says, each part optional; a hook returns undefined when it has nothing to add. */
export interface VendorVerdict {
  kind?: ErrorKind;
  vendorCode?: string | number;
  message?: string;
}

/** Reads a vendor's error body (or a 2xx body that is an error, e.g. Slack's `ok: false`). */
export type ErrorHook = (
  res: HttpResponse,
  json: Readonly<Record<string, unknown>>,
) => VendorVerdict | undefined;

const KIND_BY_STATUS: Readonly<Record<number, ErrorKind>> = {
  400: 'invalid',
  401: 'auth',
  403: 'auth',
  404: 'not-found',
  408: 'transient',
  409: 'conflict',
  410: 'not-found',
  412: 'conflict',
  422: 'invalid',
  429: 'rate-limited',
};

export const asObject = (v: unknown): Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const code = (v: unknown): string | number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : text(v);

/**
 * The message and code in the common shapes of JSON error bodies: SCIM (`detail`, `scimType`),
 * `{code, message}`, `{errorCode, errorSummary}`, `{error: {code, message}}`, OAuth's
 * `{error, error_description}`, problem+json (`title`, `detail`).
 */
export function commonError(json: Readonly<Record<string, unknown>>): VendorVerdict {
  const nested = asObject(json.error);
  const message =
    text(json.detail) ??
    text(json.message) ??
    text(json.errorSummary) ??
    text(nested.message) ??
    text(json.error_description) ??
    text(json.error) ??
    text(json.title);
  const vendorCode =
    code(json.scimType) ?? code(json.errorCode) ?? code(nested.code) ?? code(json.code) ?? code(json.error);
  return { ...(message ? { message } : {}), ...(vendorCode === undefined ? {} : { vendorCode }) };
}

/** SCIM (RFC 7644 3.12): `uniqueness` is a conflict even when sent with 400; other scimTypes are invalid requests. */
export const scimHook: ErrorHook = (res, json) => {
  const scimType = text(json.scimType);
  if (!scimType || res.status < 400) return undefined;
  if (scimType === 'uniqueness') return { kind: 'conflict' };
  return res.status === 400 ? { kind: 'invalid' } : undefined;
};

/** A 403 that is a rate limit (GitHub's primary limit: `x-ratelimit-remaining: 0`), with its wait. */
function rateLimited403(res: HttpResponse): boolean {
  return (
    res.status === 403 &&
    (res.headers['x-ratelimit-remaining'] === '0' || res.headers['retry-after'] !== undefined)
  );
}

/** An HTML error page (a proxy's 502) is known by its title. */
function htmlTitle(body: string): string | undefined {
  return text(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]);
}

function kindOf(res: HttpResponse): ErrorKind | undefined {
  if (res.status < 400) return undefined;
  if (rateLimited403(res)) return 'rate-limited';
  if (RETRYABLE_STATUSES.has(res.status)) return 'transient';
  return KIND_BY_STATUS[res.status] ?? 'unknown';
}

/**
 * The classification of an answer, or undefined when it is not an error (2xx/3xx that the hook
 * does not call an error). `mayHaveLanded` is true after a 5xx or when an earlier attempt's answer
 * was lost (the retry wrapper says so).
 */
export function classify(
  res: HttpResponse,
  hook?: ErrorHook,
  now: () => number = Date.now,
): Classification | undefined {
  const json = asObject(res.json);
  const verdict = hook?.(res, json);
  const kind = verdict?.kind ?? kindOf(res);
  if (kind === undefined) return undefined;
  const common = commonError(json);
  const vendorCode = verdict?.vendorCode ?? common.vendorCode;
  const retryable = kind === 'rate-limited' || kind === 'transient';
  const mayHaveLanded = res.mayHaveLanded === true || (res.status >= 500 && res.status !== 501);
  const page = res.json === null && res.text.trim() ? (htmlTitle(res.text) ?? res.text) : '';
  const message = verdict?.message ?? common.message ?? page;
  const at = now();
  const wait = kind === 'rate-limited' ? waitHintMs(res.headers, at) : undefined;
  return {
    kind,
    retryable,
    mayHaveLanded,
    status: res.status,
    message,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(wait === undefined ? {} : { retryAfterMs: wait, at }),
  };
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  auth: 'check the credentials and the permissions (scopes) they grant',
};

/**
 * The error a classification stands for: NotFoundError, ConflictError, RateLimitedError, or an
 * AppError carrying the status, vendor code, `retryable` and `mayHaveLanded`. `what` names the call
 * for a generic message (e.g. `GET users/abc`); `secrets` are hidden from the app's words.
 */
export function toIamError(
  c: Classification,
  what: string,
  secrets: readonly string[] = [],
  attempts = 1,
): AppError {
  const said = c.message ? cleanText(c.message, secrets) : '';
  const hint = HINTS[c.kind];
  const base = said ? `${what}: ${said}` : `${what} failed: HTTP ${c.status}`;
  const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
  const when = c.kind === 'rate-limited' ? retryAtNote(c.retryAfterMs, c.at ?? Date.now()) : '';
  const message = `${base}${hint ? `: ${hint}` : ''}${tries}${when}`;
  const vendorCode = typeof c.vendorCode === 'string' ? cleanText(c.vendorCode, secrets, 60) : c.vendorCode;
  const codeInit = vendorCode === undefined ? {} : { vendorCode };
  const landed = { mayHaveLanded: c.mayHaveLanded };
  if (c.kind === 'not-found') return new NotFoundError(message, { status: c.status, ...codeInit, ...landed });
  if (c.kind === 'conflict') return new ConflictError(message, { status: c.status, ...codeInit, ...landed });
  if (c.kind === 'rate-limited') {
    return new RateLimitedError(message, {
      ...codeInit,
      ...landed,
      ...(c.retryAfterMs === undefined ? {} : { retryAfterMs: c.retryAfterMs }),
    });
  }
  return new AppError(message, { status: c.status, ...codeInit, retryable: c.retryable, ...landed });
}

/** classify + toIamError for one answer: undefined when it is not an error. */
export function errorOf(
  res: HttpResponse,
  what: string,
  opts: { hook?: ErrorHook; secrets?: readonly string[]; now?: () => number } = {},
): AppError | undefined {
  const c = classify(res, opts.hook, opts.now);
  return c && toIamError(c, what, opts.secrets, res.attempts);
}
