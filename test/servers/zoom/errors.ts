// Zoom API error bodies ({ code, message[, errors] }) and OAuth token-endpoint error bodies ({ reason, error }).
// Shapes and codes follow the pages listed in README.md ("Error Codes", per-endpoint "Responses").
import type { ServerResponse } from 'node:http';

export type Json = Record<string, unknown>;

/** One field-level complaint, as in the reference's "Validation Failed." example. */
export interface FieldError {
  field: string;
  message: string;
}

/** An API error the router turns into Zoom's JSON error body. */
export class ZoomApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }

  body(): Json {
    const body: Json = { code: this.code, message: this.message };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

/** "Error response example" on the Error Codes page. */
export function invalidJsonBody(): ZoomApiError {
  return new ZoomApiError(400, 300, 'Request Body should be a valid JSON object.');
}

/** "Error response when sending invalid fields" on the Error Codes page. */
export function validationFailed(fields: string[]): ZoomApiError {
  return new ZoomApiError(
    400,
    300,
    'Validation Failed.',
    fields.map((field) => ({ field, message: 'Invalid field.' })),
  );
}

/** 404 / 1001 on Get a user, Update user status and Delete a user ("User does not exist: $userId."). */
export function userNotFound(userId: string): ZoomApiError {
  return new ZoomApiError(404, 1001, `User does not exist: ${userId}.`);
}

/** 409 / 1005 on Create users (wording as Zoom returns it; see README). */
export function userExists(email: string): ZoomApiError {
  return new ZoomApiError(409, 1005, `User already in the account: ${email}`);
}

/** 404 / 4130 on the Groups endpoints ("A group with this {groupId} does not exist."). */
export function groupNotFound(groupId: string): ZoomApiError {
  return new ZoomApiError(404, 4130, `A group with this ${groupId} does not exist.`);
}

/** 409 / 4132 on Create a group and Update a group. */
export function groupNameInUse(name: string): ZoomApiError {
  return new ZoomApiError(409, 4132, `Group name ${name} is already in use.`);
}

/** 401 / 124 for a missing, unknown or expired bearer token. */
export function invalidAccessToken(expired: boolean): ZoomApiError {
  return new ZoomApiError(401, 124, expired ? 'Access token is expired.' : 'Invalid access token.');
}

/** Per-second (QPS) rate limit body quoted from the Error Definitions page (see README). */
export function rateLimited(): ZoomApiError {
  return new ZoomApiError(
    429,
    429,
    'You have reached the maximum per-second rate limit for this API. Try again later.',
  );
}

/** Daily rate limit body (the "Rate limits" page: the daily limit's wording). */
export function dailyRateLimited(): ZoomApiError {
  return new ZoomApiError(
    429,
    429,
    'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
  );
}

/** Writes a JSON body with Zoom's content type; 204 answers carry no body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
