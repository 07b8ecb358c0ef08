// Microsoft Graph error bodies (`{ error: { code, message, innerError } }`, "Microsoft Graph error
// responses and resource types") and Microsoft identity platform token errors (`{ error,
// error_description, error_codes, ... }`, "Microsoft Entra authentication and authorization error
// codes"). The codes and messages are the ones those pages and the per-endpoint pages show.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type Json = Record<string, unknown>;

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/** A Graph API error; the server writes it as Graph's JSON error body. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Json {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        innerError: {
          date: new Date().toISOString(),
          'request-id': randomUUID(),
          'client-request-id': randomUUID(),
        },
      },
    };
  }
}

/** "Resource '{id}' does not exist or one of its queried reference-property objects are not present." */
export const notFound = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** A unique property in use: 400 Request_BadRequest with an ObjectConflict detail naming the property. */
export function conflict(property: string): GraphError {
  const message = `Another object with the same value for property ${property} already exists.`;
  return new GraphError(400, 'Request_BadRequest', message, [
    { code: 'ObjectConflict', message, target: property },
  ]);
}

export const badRequest = (message: string) => new GraphError(400, 'Request_BadRequest', message);

export const invalidProperty = (property: string, resource: 'User' | 'Group') =>
  badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);

/** An unknown path segment (e.g. graphUrl without the version). */
export const noSegment = (segment: string) =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

export const expiredToken = () =>
  new GraphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
export const emptyToken = () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');

/** Throttled: 429 TooManyRequests with Retry-After in seconds ("Microsoft Graph throttling guidance"). */
export const throttled = (retryAfterS: number) =>
  new GraphError(429, 'TooManyRequests', 'Too many requests.', undefined, {
    'retry-after': String(retryAfterS),
  });

export const unavailable = (retryAfterS: number) =>
  new GraphError(
    503,
    'serviceNotAvailable',
    'Service is temporarily unavailable. Please try again later.',
    undefined,
    {
      'retry-after': String(retryAfterS),
    },
  );

/** A token endpoint refusal: `AADSTSnnnnnn: text` in error_description, the number in error_codes. */
export function tokenError(
  status: number,
  error: string,
  aadsts: number,
  text: string,
): { status: number; body: Json } {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

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
    'content-type':
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'request-id': randomUUID(),
    ...headers,
  });
  res.end(text);
}
