// Turns an error answer into the project's error tree, once (like authentik's status -> exception
// table): 404 NotFound, 409 Conflict, 429 RateLimited, anything else AppError(status, scimType).
// The message is the app's own `detail` made printable: one line, no HTML, no control characters,
// no known secret, capped. An HTML error page becomes its title or first words. When the transport
// retried, the message ends with how many attempts were made.
import {
  AppError,
  ConfigError,
  ConflictError,
  InvalidValueError,
  NotFoundError,
  RateLimitedError,
} from '../core/errors.js';
import { cleanText } from '../http/clean-text.js';
import { retryAtNote, waitHintMs } from '../http/rate-headers.js';
import type { HttpResponse } from '../http/transport.js';
import { SCHEMA, scimErrorBody } from './wire.js';

export { cleanText };

function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text);
  return m?.[1];
}

/**
 * The first entry of a SCIM 1.1 error body (`{"Errors": [{"description", "code"}]}`, or one object
 * instead of the array), which some apps (Slack) still send from their 2.0 endpoints.
 */
function scim11Error(json: unknown): { description?: string } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const errors = (json as Record<string, unknown>).Errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : errors;
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return undefined;
  const o = first as Record<string, unknown>;
  if (!('description' in o) && !('code' in o)) return undefined;
  return typeof o.description === 'string' ? { description: o.description } : {};
}

/** The app's own words for an error answer, cleaned; a generic line when it said nothing usable. */
export function errorMessage(res: HttpResponse, what: string, secrets: readonly string[]): string {
  const legacy = scim11Error(res.json)?.description;
  if (legacy !== undefined && cleanText(legacy, secrets)) return cleanText(legacy, secrets);
  const body = scimErrorBody.safeParse(res.json);
  if (body.success) {
    const detail = body.data.detail ?? (typeof res.json === 'object' ? pickMessage(res.json) : undefined);
    const cleaned = detail === undefined ? '' : cleanText(detail, secrets);
    if (cleaned) return cleaned;
    if (body.data.scimType)
      return `${what} failed: HTTP ${res.status} (${cleanText(body.data.scimType, secrets)})`;
  }
  const fromText = res.json === null ? cleanText(htmlTitle(res.text) ?? res.text, secrets, 200) : '';
  return fromText ? `HTTP ${res.status}: ${fromText}` : `${what} failed: HTTP ${res.status}`;
}

/** Non-SCIM JSON error bodies: `message`, `error_description`, `error` (strings only). */
function pickMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  for (const k of ['message', 'error_description', 'error', 'title']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return undefined;
}

/** The error a non-2xx answer stands for. `what` names the call for generic messages, e.g. `GET Users/abc`. */
export function scimError(
  res: HttpResponse,
  what: string,
  secrets: readonly string[],
  now: () => number = Date.now,
): AppError {
  // After retries, say so: the user then knows waiting a little was already tried.
  const tries = res.attempts ?? 1;
  const message = errorMessage(res, what, secrets) + (tries > 1 ? ` (gave up after ${tries} attempts)` : '');
  const parsed = scimErrorBody.safeParse(res.json);
  const scimType = parsed.success ? parsed.data.scimType : undefined;
  const vendorCode = scimType ? cleanText(scimType, secrets, 60) : undefined;
  const init = vendorCode === undefined ? {} : { vendorCode };
  if (res.status === 404) return new NotFoundError(message, init);
  if (res.status === 409) return new ConflictError(message, init);
  if (res.status === 429) {
    const at = now();
    const retryAfterMs = waitHintMs(res.headers, at);
    return new RateLimitedError(message + retryAtNote(retryAfterMs, at), {
      ...init,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  // A 400 may be about a value (an unknown member id: the core splits the request to find it),
  // unless its scimType says it is about the request as a whole.
  if (res.status === 400 && !(scimType && NOT_ABOUT_A_VALUE.has(scimType))) {
    return new InvalidValueError(message, { status: 400, ...init });
  }
  return new AppError(message, { status: res.status, ...init });
}

/** SCIM error types (RFC 7644 3.12) that are about the request as a whole, never about one value. */
const NOT_ABOUT_A_VALUE: ReadonlySet<string> = new Set([
  'invalidSyntax',
  'invalidVers',
  'mutability',
  'sensitive',
]);

/**
 * Whether an error answer is the app's own (RFC 7644 3.12): the Error schema, or the fields of one
 * (`detail`, `scimType`, `status`) as some apps send them without `schemas`, or SCIM 1.1's `Errors`. A framework's default
 * page (`{"status":404,"error":"Not Found","path":...}`), HTML, text or an empty body is not.
 */
export function isScimErrorBody(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.schemas) && o.schemas.includes(SCHEMA.error)) return true;
  if (scim11Error(o) !== undefined) return true;
  if (typeof o.detail === 'string' || typeof o.scimType === 'string') return true;
  const status = typeof o.status === 'string' || typeof o.status === 'number';
  return status && !(typeof o.error === 'string' && typeof o.path === 'string');
}

/** The base URL as it may be printed: no user or password, query or fragment. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/**
 * A 404 without a SCIM error body: nothing SCIM answered, so the URL is wrong (a configuration
 * error), never "the account does not exist". `url` is the request's printable URL.
 */
export function wrongEndpoint(
  method: string,
  url: string,
  res: HttpResponse,
  secrets: readonly string[],
): ConfigError {
  const said = res.json === null ? cleanText(htmlTitle(res.text) ?? res.text, secrets, 80) : '';
  return new ConfigError(
    `${method} ${url} answered HTTP 404${said ? ` (${said})` : ''} without a SCIM error body: ` +
      "no SCIM endpoint there; check the instance's baseUrl (the SCIM root, the part before /Users)",
  );
}
