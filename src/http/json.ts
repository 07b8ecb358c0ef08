// JSON as the default content type of REST connectors: every request asks for JSON
// (`Accept: application/json`) and a request with a body says it sends JSON
// (`Content-Type: application/json`), unless the request names its own type (SCIM sets
// application/scim+json; a token request sends a form). The transport's own defaults are SCIM's.
import type { HttpRequest, Transport } from './transport.js';

export const JSON_TYPE = 'application/json';

const has = (headers: Record<string, string>, name: string) =>
  Object.keys(headers).some((k) => k.toLowerCase() === name);

/** The request with JSON Accept and (when it has a body) Content-Type, unless it set them. */
export function jsonRequest(req: HttpRequest): HttpRequest {
  const headers = { ...(req.headers ?? {}) };
  if (!has(headers, 'accept')) headers.accept = JSON_TYPE;
  if (req.body !== undefined && !has(headers, 'content-type')) headers['content-type'] = JSON_TYPE;
  return { ...req, headers };
}

/** A transport whose requests default to JSON. */
export function withJson(inner: Transport): Transport {
  const out: Transport = {
    send: (req) => inner.send(jsonRequest(req)),
    close: () => inner.close(),
  };
  if (inner.retry) out.retry = inner.retry;
  return out;
}
