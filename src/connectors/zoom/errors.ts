// Zoom's error answers, classified once for the REST kit (http/classify.ts). Zoom API errors are
// `{ code, message[, errors] }` (Error Codes page); the vendor code, not the HTTP status alone,
// says what happened: 1001 "User does not exist" is not-found, 1005 "User already in the account"
// a conflict, 4130 "A group with this ... does not exist" not-found, 4132 a group name in use, 124
// "Invalid access token." (or "Access token is expired.") an auth failure. A 404 WITHOUT one of
// Zoom's not-found codes is not "the user does not exist": it is a wrong URL (baseUrl), so it is
// reported as a configuration problem naming the base URL, never as not-found (spec section 3).
import { AppError } from '../../core/errors.js';
import type { ErrorHook, ErrorKind } from '../../http/classify.js';

export const ZOOM_CODES = {
  userNotFound: 1001,
  userExists: 1005,
  groupNotFound: 4130,
  groupNameInUse: 4132,
  invalidToken: 124,
  rateLimited: 429,
} as const;

const KINDS: Readonly<Record<number, ErrorKind>> = {
  [ZOOM_CODES.userNotFound]: 'not-found',
  [ZOOM_CODES.userExists]: 'conflict',
  [ZOOM_CODES.groupNotFound]: 'not-found',
  [ZOOM_CODES.groupNameInUse]: 'conflict',
  [ZOOM_CODES.invalidToken]: 'auth',
  [ZOOM_CODES.rateLimited]: 'rate-limited',
};

/** Zoom's numeric code in an error body (some clients report it as a numeric string). */
export function zoomCode(json: Readonly<Record<string, unknown>>): number | undefined {
  const c = json.code;
  if (typeof c === 'number' && Number.isInteger(c)) return c;
  if (typeof c === 'string' && /^\d+$/.test(c)) return Number(c);
  return undefined;
}

/** The classify hook for Zoom, naming `baseUrl` when a 404 carries none of Zoom's not-found codes. */
export function zoomErrorHook(baseUrl: string): ErrorHook {
  return (res, json) => {
    const code = zoomCode(json);
    const kind = code === undefined ? undefined : KINDS[code];
    if (kind) return { kind, vendorCode: code as number };
    if (res.status === 404) {
      return {
        kind: 'unknown',
        message:
          `HTTP 404 without Zoom's "does not exist" code: check baseUrl ${baseUrl} ` +
          '(Zoom API v2 is https://api.zoom.us/v2)',
      };
    }
    return undefined;
  };
}

/** Is this Zoom's "user does not exist" (1001)? */
export const isUserNotFound = (e: unknown): boolean =>
  e instanceof AppError && e.vendorCode === ZOOM_CODES.userNotFound;

/** Is this Zoom's "group does not exist" (4130)? */
export const isGroupNotFound = (e: unknown): boolean =>
  e instanceof AppError && e.vendorCode === ZOOM_CODES.groupNotFound;

/**
 * A member that does not exist, in a membership change, is not "the group does not exist" (the
 * core reads NotFoundError from changeMembers as the group being gone): an AppError naming it.
 */
export function memberNotFound(e: AppError, groupId: string): AppError {
  return new AppError(`group ${groupId}: a member does not exist: ${e.message}`, {
    status: e.status ?? 404,
    vendorCode: ZOOM_CODES.userNotFound,
    mayHaveLanded: e.mayHaveLanded,
    cause: e,
  });
}
