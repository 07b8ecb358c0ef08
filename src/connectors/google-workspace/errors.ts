// Google's error answers, classified once for the REST kit (http/classify.ts). The Directory API
// answers `{ error: { code, message, errors: [{ domain, reason, message }] } }` (Directory API
// "Limits and quotas" and the Admin SDK error pages); the reason, not the status alone, says what
// happened: `notFound` is not-found, `duplicate` a conflict ("Entity already exists.", "Member
// already exists."), `forbidden` / `insufficientPermissions` an authorisation refusal, and
// `rateLimitExceeded`, `userRateLimitExceeded` and `quotaExceeded` (403) are rate limits like a 429,
// retried with backoff by the transport (see `isGoogleRateLimited`). A 404 without `notFound` is a
// wrong URL (baseUrl), reported as a configuration problem naming it, never as not-found.
import { AppError } from '../../core/errors.js';
import { asObject, classify, type ErrorHook, type ErrorKind } from '../../http/classify.js';
import type { HttpResponse } from '../../http/transport.js';

const KINDS: Readonly<Record<string, ErrorKind>> = {
  notFound: 'not-found',
  duplicate: 'conflict',
  forbidden: 'auth',
  insufficientPermissions: 'auth',
  authError: 'auth',
  rateLimitExceeded: 'rate-limited',
  userRateLimitExceeded: 'rate-limited',
  quotaExceeded: 'rate-limited',
  backendError: 'transient',
};

/** The first `errors[].reason` of Google's error body. */
export function googleReason(json: Readonly<Record<string, unknown>>): string | undefined {
  const errors = asObject(json.error).errors;
  if (!Array.isArray(errors)) return undefined;
  const reason = asObject(errors[0]).reason;
  return typeof reason === 'string' && reason ? reason : undefined;
}

/** The classify hook, naming `baseUrl` for a bare 404 and `subject` for an authorisation refusal. */
export function googleErrorHook(baseUrl: string, subject: string): ErrorHook {
  return (res, json) => {
    if (res.status < 400) return undefined;
    const reason = googleReason(json);
    const kind = reason === undefined ? undefined : KINDS[reason];
    if (kind === 'auth' && res.status === 403) {
      const said = asObject(json.error).message;
      return {
        kind,
        vendorCode: reason as string,
        message:
          `${typeof said === 'string' ? said : 'forbidden'} (the service account acts as ${subject}: ` +
          'it must be an admin allowed to manage users and groups, and domain-wide delegation must grant ' +
          'the admin.directory.user and admin.directory.group scopes)',
      };
    }
    // `notFound` under another status (a 400 "Domain not found.") is a refused input, not a lookup.
    if (kind === 'not-found' && res.status !== 404) return { vendorCode: reason as string };
    if (kind) return { kind, vendorCode: reason as string };
    if (res.status === 404) {
      return {
        kind: 'unknown',
        message:
          `HTTP 404 without Google's notFound reason: check baseUrl ${baseUrl} ` +
          '(the Admin SDK is https://admin.googleapis.com)',
      };
    }
    return reason === undefined ? undefined : { vendorCode: reason };
  };
}

/** For the transport: a 403 whose reason is a quota is a rate limit, retried and paced like a 429. */
export function isGoogleRateLimited(hook: ErrorHook): (res: HttpResponse) => boolean {
  return (res) => res.status === 403 && classify(res, hook)?.kind === 'rate-limited';
}

/** Google says which key it did not find: `Resource Not Found: memberKey` (or `groupKey`, `userKey`). */
export function notFoundKey(e: unknown): string | undefined {
  if (!(e instanceof AppError) || e.vendorCode !== 'notFound') return undefined;
  return /Resource Not Found: (\w+)/.exec(e.message)?.[1];
}

/**
 * A member that does not exist, in a membership change, is not "the group does not exist" (the
 * core reads NotFoundError from changeMembers as the group being gone): an AppError naming it.
 */
export function memberNotFound(e: AppError, groupId: string, memberId: string): AppError {
  return new AppError(`group ${groupId}: member ${memberId} does not exist: ${e.message}`, {
    status: e.status ?? 404,
    vendorCode: 'notFound',
    mayHaveLanded: e.mayHaveLanded,
    cause: e,
  });
}
