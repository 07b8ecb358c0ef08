// LDAP result codes (RFC 4511 appendix A) and connection failures as the contract's error classes.
// The core reads only the class and the flags: not found, conflict, retryable, mayHaveLanded. The
// server's diagnostic text is kept (one line, scrubbed of every secret) so the user sees why.

import {
  AppError,
  ConflictError,
  IamError,
  InvalidValueError,
  NotFoundError,
  TransportError,
} from '../core/errors.js';
import { cleanText } from '../http/clean-text.js';
import { ldapts } from './lib.js';

export const RESULT = {
  noSuchAttribute: 16,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  notAllowedOnRdn: 67,
  entryAlreadyExists: 68,
  other: 80,
} as const;

/** RFC 4511's name of a result code, for a message when the server sent no text. */
const RESULT_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(RESULT).map(([k, v]) => [v, k]));

/** Result codes after which the same request may succeed unchanged. */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([RESULT.busy, RESULT.unavailable, RESULT.other]);
/** Result codes that say a value of the request was refused (the rest of it may be fine). */
const INVALID_VALUE_CODES: ReadonlySet<number> = new Set([
  RESULT.constraintViolation,
  RESULT.invalidAttributeSyntax,
  RESULT.objectClassViolation,
  RESULT.invalidDnSyntax,
  RESULT.namingViolation,
  RESULT.noSuchAttribute,
  RESULT.attributeOrValueExists,
  RESULT.notAllowedOnRdn,
]);

/** The numeric result code of an ldapts error, if it is one. */
export function resultCode(e: unknown): number | undefined {
  if (e instanceof ldapts().ResultCodeError) return e.code;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' && e instanceof Error ? code : undefined;
}

/** The server's diagnostic text without ldapts's " Code: 0x.." suffix, one line, scrubbed. */
export function diagnostic(e: unknown, secrets: readonly string[]): string {
  const raw = e instanceof Error ? e.message : String(e);
  return cleanText(raw.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, ''), secrets);
}

export interface ErrorContext {
  /** What was being done, for the message: `add uid=x,ou=people,...`. */
  what: string;
  /** true for add/modify/modifyDN/delete: a connection lost after sending may have applied it. */
  write: boolean;
  /** true when the request was written to the socket (a connect or bind failure was not). */
  sent: boolean;
  secrets: readonly string[];
}

/** A connection-level failure (no LDAP result): refused, reset, timed out, TLS. */
function transportError(e: unknown, ctx: ErrorContext): TransportError {
  const text = diagnostic(e, ctx.secrets);
  const landed = ctx.write && ctx.sent;
  const note = landed
    ? ' (the request was sent: it may have been applied; look before sending it again)'
    : '';
  return new TransportError(`LDAP ${ctx.what}: ${text}${note}`, {
    cause: e,
    retryable: true,
    mayHaveLanded: landed,
  });
}

/** Any error of a directory call as an IamError. */
export function toIamError(e: unknown, ctx: ErrorContext): IamError {
  if (e instanceof IamError) return e;
  const code = resultCode(e);
  if (code === undefined) return transportError(e, ctx);
  const text = diagnostic(e, ctx.secrets);
  const msg = `LDAP ${ctx.what}: ${text || (RESULT_NAMES.get(code) ?? `result code ${code}`)} (${code})`;
  if (code === RESULT.noSuchObject) return new NotFoundError(msg, { vendorCode: code, cause: e });
  if (code === RESULT.entryAlreadyExists) return new ConflictError(msg, { vendorCode: code, cause: e });
  if (INVALID_VALUE_CODES.has(code)) return new InvalidValueError(msg, { vendorCode: code, cause: e });
  if (code === RESULT.insufficientAccessRights || code === RESULT.invalidCredentials) {
    return new AppError(msg, { status: 403, vendorCode: code, cause: e, retryable: false });
  }
  if (RETRYABLE_CODES.has(code)) {
    // busy/unavailable: the server refused before doing anything; `other` may have been half-done.
    return new AppError(msg, {
      vendorCode: code,
      cause: e,
      retryable: true,
      mayHaveLanded: code === RESULT.other && ctx.write,
    });
  }
  return new AppError(msg, { vendorCode: code, cause: e, retryable: false, mayHaveLanded: false });
}

/** True for a failure worth retrying on a read: busy, unavailable, other, or a lost connection. */
export function isRetryableRead(e: unknown): boolean {
  const code = resultCode(e);
  return code === undefined ? !(e instanceof IamError) || e.retryable : RETRYABLE_CODES.has(code);
}
