// Microsoft Graph's error answers, classified once for the REST kit (http/classify.ts). Graph
// errors are `{ error: { code, message, details?, innerError } }` ("Microsoft Graph error
// responses and resource types"); the code, not the HTTP status alone, says what happened:
// `Request_ResourceNotFound` is not-found; a unique property in use is a 400 `Request_BadRequest`
// whose details carry `ObjectConflict` ("Another object with the same value for property
// userPrincipalName already exists."): a conflict; `Authorization_RequestDenied` a missing
// permission. A 404 or "Resource not found for the segment" WITHOUT Graph's not-found code is a
// wrong URL (graphUrl), reported as a configuration problem naming it, never as not-found.
import { AppError } from '../../core/errors.js';
import { asObject, type ErrorHook } from '../../http/classify.js';

export const GRAPH_CODES = {
  notFound: 'Request_ResourceNotFound',
  conflict: 'ObjectConflict',
  denied: 'Authorization_RequestDenied',
  throttled: 'TooManyRequests',
} as const;

const NOT_FOUND = new Set(['Request_ResourceNotFound', 'ResourceNotFound', 'ErrorItemNotFound']);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The classify hook for Graph, naming `graphUrl` when the path itself was not understood. */
export function graphErrorHook(graphUrl: string): ErrorHook {
  return (res, json) => {
    const error = asObject(json.error);
    const code = text(error.code);
    const message = text(error.message);
    const details = Array.isArray(error.details) ? error.details.map(asObject) : [];
    const said = (m: string | undefined) => (code && m ? `${code}: ${m}` : m);
    if (code && NOT_FOUND.has(code))
      return { kind: 'not-found', vendorCode: code, ...(message ? { message } : {}) };
    const objectConflict = details.find((d) => d.code === GRAPH_CODES.conflict);
    if (objectConflict || /another object with the same value for property/i.test(message ?? '')) {
      const m = text(objectConflict?.message) ?? message;
      return { kind: 'conflict', vendorCode: GRAPH_CODES.conflict, ...(m ? { message: m } : {}) };
    }
    if (code === GRAPH_CODES.denied) {
      return {
        kind: 'auth',
        vendorCode: code,
        message:
          `${message ?? 'Insufficient privileges'} (grant the app the Microsoft Graph application ` +
          'permissions User.ReadWrite.All and GroupMember.ReadWrite.All, with admin consent)',
      };
    }
    const badPath =
      /^Resource not found for the segment/i.test(message ?? '') ||
      (code === 'BadRequest' && /^Invalid version/i.test(message ?? ''));
    if (res.status === 404 || badPath) {
      return {
        kind: 'unknown',
        ...(code ? { vendorCode: code } : {}),
        message:
          `HTTP ${res.status} without Graph's not-found code${message ? ` (${message})` : ''}: check graphUrl ` +
          `${graphUrl} (Microsoft Graph is https://graph.microsoft.com; the connector adds /v1.0)`,
      };
    }
    if (res.status >= 400 && message)
      return { ...(code ? { vendorCode: code } : {}), message: said(message) ?? message };
    return undefined;
  };
}

/** Is this Graph's "does not exist"? */
export const isNotFound = (e: unknown): boolean =>
  e instanceof AppError && typeof e.vendorCode === 'string' && NOT_FOUND.has(e.vendorCode);

/** Graph's answer to adding a member that already is one. */
export const isAlreadyMember = (e: unknown): boolean =>
  e instanceof AppError && /added object references already exist/i.test(e.message);
