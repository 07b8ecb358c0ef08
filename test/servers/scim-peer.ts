// The loopback SCIM server (createScimApp) with what startScimServer does not offer: HTTPS with a
// given certificate, and express middleware in front of the SCIM app to play a stricter or odder
// app (e.g. one that refuses escaped quotes in filters). Same request log and interface as
// startScimServer, so wire assertions read the same.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import express, { type RequestHandler } from 'express';
import { createScimApp, type RecordedRequest, type ScimTestServer } from './scim-server.js';
import { listen, recordRequests, scimErrors, sendScimError, storeHandle } from './scim-support.js';

export interface ScimPeerOptions {
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP without. */
  tls?: { cert: string; key: string };
  /** Middleware run after the request is logged and before the SCIM app (mounted at the SCIM root). */
  before?: RequestHandler[];
  token?: string;
  /** false: the store keeps a member added twice twice, as an app that does not de-duplicate. */
  dedupeMembers?: boolean;
}

export interface ScimPeer extends ScimTestServer {
  /** Origin and port, e.g. `https://127.0.0.1:40123`. */
  origin: string;
  port: number;
}

export async function startScimPeer(opts: ScimPeerOptions = {}): Promise<ScimPeer> {
  const token = opts.token ?? 'scim-peer-token';
  const requests: RecordedRequest[] = [];
  let url = '';
  const scim = createScimApp({
    token,
    patch: true,
    url: () => url,
    ...(opts.dedupeMembers === undefined ? {} : { dedupeMembers: opts.dedupeMembers }),
  });
  const app = express();
  app.use(recordRequests(requests));
  app.use('/scim/v2', ...(opts.before ?? []), scim.app);
  app.use((_req, res) => sendScimError(res, 404, 'Endpoint not found'));
  app.use(scimErrors);
  const server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, app)
    : createHttpServer(app);
  const listening = await listen(server);
  url = `${listening.origin}/scim/v2`;
  return {
    url,
    origin: listening.origin,
    port: listening.port,
    token,
    ...storeHandle(scim, requests, listening.close),
  };
}
