// Okta's error answers, classified once for the REST kit (http/classify.ts). Okta API errors are
// `{ errorCode, errorSummary, errorLink, errorId, errorCauses: [{ errorSummary }] }` (Error codes
// page, developer.okta.com/docs/reference/error-codes/). The code, not the status alone, says what
// happened: E0000007 not found; E0000001 "Api validation failed" is a conflict when a cause says the
// value "already exists" (a login in use), else an invalid request; E0000011 "Invalid token
// provided" and E0000006 (no permission: scopes or admin role) are auth failures; E0000047 the rate
// limit. The message is one line: the summary, its causes, and the code. A 404 WITHOUT an Okta code
// is a wrong URL (orgUrl), reported as such, never as "the user does not exist".
import { AppError } from '../../core/errors.js';
import type { ErrorHook, ErrorKind } from '../../http/classify.js';

export const OKTA_CODES = {
  validation: 'E0000001',
  forbidden: 'E0000006',
  notFound: 'E0000007',
  invalidToken: 'E0000011',
  rateLimited: 'E0000047',
  alreadyActive: 'E0000016',
  statusForbids: 'E0000038',
} as const;

const KINDS: Readonly<Record<string, ErrorKind>> = {
  [OKTA_CODES.notFound]: 'not-found',
  [OKTA_CODES.invalidToken]: 'auth',
  [OKTA_CODES.forbidden]: 'auth',
  [OKTA_CODES.rateLimited]: 'rate-limited',
  // Sent with 403, but a user's status, not the credentials, refused them: no "check the credentials".
  [OKTA_CODES.alreadyActive]: 'invalid',
  [OKTA_CODES.statusForbids]: 'invalid',
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The `errorSummary` of each of `errorCauses`. */
export function causesOf(json: Readonly<Record<string, unknown>>): string[] {
  const causes = Array.isArray(json.errorCauses) ? json.errorCauses : [];
  return causes
    .map((c) =>
      typeof c === 'object' && c !== null ? text((c as Record<string, unknown>).errorSummary) : undefined,
    )
    .filter((c): c is string => c !== undefined);
}

/** Okta's error body as one line: `summary (cause; cause) [code]`. */
export function oktaMessage(json: Readonly<Record<string, unknown>>): string | undefined {
  const summary = text(json.errorSummary);
  if (!summary) return undefined;
  const causes = causesOf(json).filter((c) => c !== summary);
  const code = text(json.errorCode);
  return `${summary}${causes.length ? ` (${causes.join('; ')})` : ''}${code ? ` [${code}]` : ''}`;
}

const HINTS: Readonly<Record<string, string>> = {
  [OKTA_CODES.invalidToken]: 'check token (an API token, sent as SSWS) or the OAuth service app',
  [OKTA_CODES.forbidden]:
    'the token lacks a scope (okta.users.manage, okta.groups.manage) or its admin role does not allow this',
};

/** The classify hook for Okta, naming `orgUrl` when a 404 carries no Okta error code. */
export function oktaErrorHook(orgUrl: string): ErrorHook {
  return (res, json) => {
    const code = text(json.errorCode);
    if (code === undefined) {
      if (res.status !== 404) return undefined;
      return {
        kind: 'unknown',
        message: `HTTP 404 without an Okta error code: check orgUrl ${orgUrl} (e.g. https://example.okta.com)`,
      };
    }
    const said = oktaMessage(json);
    const hint = HINTS[code];
    const message = said && hint ? `${said}: ${hint}` : said;
    let kind = KINDS[code];
    if (code === OKTA_CODES.validation)
      kind = causesOf(json).some((c) => /already exists/i.test(c)) ? 'conflict' : 'invalid';
    return { vendorCode: code, ...(kind ? { kind } : {}), ...(message ? { message } : {}) };
  };
}

/** Is this Okta's E0000007 "Not found"? */
export const isOktaNotFound = (e: unknown): boolean =>
  e instanceof AppError && e.vendorCode === OKTA_CODES.notFound;
