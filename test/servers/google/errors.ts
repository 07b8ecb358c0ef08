// Google's JSON error answers as the Directory API sends them (Admin SDK "Directory API: Limits and
// quotas", Google's "Standard error responses" for the JSON API format):
// `{ error: { code, message, errors: [{ message, domain, reason }] } }`.
import type { ServerResponse } from 'node:http';

export type Json = Record<string, unknown>;

export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    readonly extra: Json = {},
  ) {
    super(message);
  }

  body(): Json {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason, ...this.extra }],
      },
    };
  }
}

/** users.get / groups.get / members.* of a key that does not exist: "Resource Not Found: <param>". */
export const notFound = (param: 'userKey' | 'groupKey' | 'memberKey') =>
  new GoogleApiError(404, `Resource Not Found: ${param}`, 'notFound');

export const duplicate = (what = 'Entity already exists.') => new GoogleApiError(409, what, 'duplicate');

export const invalid = (message: string) => new GoogleApiError(400, message, 'invalid');

export const forbidden = () =>
  new GoogleApiError(403, 'Not Authorized to access this resource/api', 'forbidden');

export const insufficientScopes = () =>
  new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');

/** An access token that is missing, unknown or expired (the reference's 401 authError). */
export const invalidCredentials = () =>
  new GoogleApiError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'authError',
    'global',
    { location: 'Authorization', locationType: 'header' },
  );

/** "403 userRateLimitExceeded" (Limits and quotas): 2,400 queries per minute per user per project. */
export const userRateLimited = () =>
  new GoogleApiError(
    403,
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.",
    'userRateLimitExceeded',
    'usageLimits',
  );

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(text);
}
