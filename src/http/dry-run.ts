// The one HTTP choke point for writes (as authentik does dry run in its client's `_request`): a
// wrapper around a Transport that reports every unsafe request (POST, PUT, PATCH, DELETE) to the
// command that sends it and, in a dry run, does not send it. Reads go through, so lookups work as
// usual; a captured write is answered with a synthetic response just good enough for the connector
// to carry on: POST 201 with the body and `id: "dry-run"`, PUT 200 with the body and the path's id,
// PATCH and DELETE 204 (the connector then re-reads the unchanged resource).
// The client applies it around whatever transport factory it was given, so no injected transport
// can bypass a dry run.
import type { WriteDescription, WriteObserver } from '../core/dry-run.js';
import { redact } from '../core/redact.js';
import type { HttpMethod, HttpRequest, HttpResponse, Transport } from './transport.js';

export const DRY_RUN_ID = 'dry-run';

export const UNSAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface WriteWrapOptions {
  baseUrl: string;
  /** true: unsafe requests are reported and answered synthetically, never sent. */
  dryRun: boolean;
  /** Told of every unsafe request before it is sent (or instead of sending it). */
  onWrite?: WriteObserver;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(req: HttpRequest, baseUrl: string): WriteDescription {
  const url = `${baseUrl.replace(/\/+$/, '')}/${req.path.replace(/^\/+/, '')}`;
  const path = req.path.replace(/^\/+/, '');
  const base: WriteDescription =
    req.body === undefined
      ? { method: req.method, path, url }
      : { method: req.method, path, url, body: redact(req.body) };
  return req.fields ? { ...base, fields: [...req.fields] } : base;
}

function jsonResponse(status: number, json: Record<string, unknown>): HttpResponse {
  const text = JSON.stringify(json);
  return { status, headers: { 'content-type': 'application/scim+json' }, json, text };
}

/** What the app would plausibly have answered. */
export function syntheticResponse(req: HttpRequest): HttpResponse {
  const body = isObject(req.body) ? req.body : {};
  if (req.method === 'POST') return jsonResponse(201, { ...body, id: DRY_RUN_ID });
  if (req.method === 'PUT' && isObject(req.body)) {
    const last = req.path.split('?')[0]?.split('/').filter(Boolean).pop() ?? DRY_RUN_ID;
    return jsonResponse(200, { ...body, id: decodeURIComponent(last) });
  }
  return { status: 204, headers: {}, json: null, text: '' };
}

export function withWriteControl(transport: Transport, opts: WriteWrapOptions): Transport {
  return {
    async send(req) {
      if (!UNSAFE_METHODS.has(req.method)) return transport.send(req);
      opts.onWrite?.(describe(req, opts.baseUrl));
      return opts.dryRun ? syntheticResponse(req) : transport.send(req);
    },
    close: () => transport.close(),
  };
}
