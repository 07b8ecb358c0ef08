// Vendor error hooks as the connectors will declare them: data about each vendor's own codes,
// taken from the vendors' API references (Zoom, Okta, Microsoft Graph, Slack, GitHub).
import { asObject, type ErrorHook, type ErrorKind } from '../../src/http/classify.js';
import type { HttpResponse } from '../../src/http/transport.js';

const ZOOM_CODES: Record<number, ErrorKind> = {
  1001: 'not-found',
  1005: 'conflict',
  4130: 'not-found',
  124: 'auth',
};
export const zoomHook: ErrorHook = (_res, json) => {
  const kind = typeof json.code === 'number' ? ZOOM_CODES[json.code] : undefined;
  return kind ? { kind } : undefined;
};
export const oktaHook: ErrorHook = (_res, json) => {
  const causes = Array.isArray(json.errorCauses)
    ? json.errorCauses.map((c) => String(asObject(c).errorSummary))
    : [];
  if (json.errorCode === 'E0000001' && causes.some((c) => /already exists/i.test(c)))
    return { kind: 'conflict', message: causes.join('; ') };
  return json.errorCode === 'E0000007' ? { kind: 'not-found' } : undefined;
};
export const graphHook: ErrorHook = (_res, json) => {
  const err = asObject(json.error);
  const details = Array.isArray(err.details) ? err.details.map((d) => asObject(d).code) : [];
  return details.includes('ObjectConflict') ? { kind: 'conflict', vendorCode: 'ObjectConflict' } : undefined;
};
const SLACK: Record<string, ErrorKind> = {
  user_not_found: 'not-found',
  users_not_found: 'not-found',
  invalid_auth: 'auth',
  not_authed: 'auth',
  ratelimited: 'rate-limited',
  username_taken: 'conflict',
};
export const slackHook: ErrorHook = (_res, json) => {
  const scim = asObject(json.Errors);
  if (typeof scim.description === 'string')
    return {
      kind: SLACK[scim.description] ?? 'invalid',
      vendorCode: scim.description,
      message: scim.description,
    };
  if (json.ok !== false) return undefined;
  return { kind: SLACK[String(json.error)] ?? 'unknown' };
};
export const githubHook: ErrorHook = (res, json) => {
  const errors = Array.isArray(json.errors) ? json.errors.map((e) => asObject(e)) : [];
  if (res.status === 422 && errors.some((e) => e.code === 'already_exists'))
    return { kind: 'conflict', vendorCode: 'already_exists' };
  return undefined;
};

/** An error answer as the transport returns it (a string body is not JSON). */
export function answer(status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return { status, headers, json: typeof json === 'string' ? null : json, text };
}

export type Row = [
  vendor: string,
  res: HttpResponse,
  hook: ErrorHook | undefined,
  kind: ErrorKind,
  retryable: boolean,
  code?: string | number,
];
