// Runs the Zoom connector's operations directly against the Zoom simulator, with the real undici
// transport built as the core builds it (the connector's published rate limit, retry, a separate
// token transport), and collects what the connector reports (secrets) and what the transport did (retries).

import { zoomConnector, zoomSettings } from '../../src/connectors/zoom/index.js';
import type { Connector, ConnectorContext } from '../../src/core/connector.js';
import type { Secret } from '../../src/core/secrets.js';
import type { RetryInfo, Transport, TransportOptions } from '../../src/http/transport.js';
import { createHttpTransport, defaultTransportOptions } from '../../src/http/undici-transport.js';
import {
  startZoomSimulator,
  type ZoomRecordedRequest,
  type ZoomSimulator,
  type ZoomSimulatorOptions,
} from '../servers/zoom/server.js';

export interface ZoomHarness {
  sim: ZoomSimulator;
  zoom: Connector;
  /** Secrets the connector reported through ctx.onSecret (fetched tokens, the Basic pair). */
  reported: Secret[];
  retries: RetryInfo[];
  /** The API requests the simulator saw (token requests left out). */
  api(): ZoomRecordedRequest[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: ZoomSimulatorOptions;
  settings?: Record<string, unknown>;
  transport?: Partial<TransportOptions>;
  /** Wraps the API transport as the core does (e.g. the dry run's write control); never the token transport. */
  wrap?: (inner: Transport, baseUrl: string) => Transport;
}

export async function startZoom(opts: HarnessOptions = {}): Promise<ZoomHarness> {
  const sim = await startZoomSimulator(opts.sim);
  const settings = zoomSettings.parse({
    accountId: sim.credentials.accountId,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    baseUrl: sim.url,
    tokenUrl: sim.tokenUrl,
    ...opts.settings,
  });
  const reported: Secret[] = [];
  const retries: RetryInfo[] = [];
  const build = (o: Pick<TransportOptions, 'baseUrl' | 'headers'>, limited: boolean) =>
    createHttpTransport({
      ...defaultTransportOptions,
      ...o,
      retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 5_000 },
      ...(limited && zoomConnector.capabilities.rateLimit
        ? { rateLimit: zoomConnector.capabilities.rateLimit }
        : {}),
      onRetry: (info) => retries.push(info),
      ...opts.transport,
    });
  const ctx: ConnectorContext = {
    instanceName: 'zoom-test',
    transport: (o) => (opts.wrap ? opts.wrap(build(o, true), o.baseUrl) : build(o, true)),
    tokenTransport: (o) => build(o, false),
    secrets: { env: {}, readFile: () => '' },
    dataDir: '/nonexistent/zoom-test',
    onSecret: (s) => reported.push(s),
  };
  const zoom = zoomConnector.create(settings, ctx);
  return {
    sim,
    zoom,
    reported,
    retries,
    api: () => sim.requests.filter((r) => r.path.startsWith('/v2/')),
    async close() {
      await zoom.close();
      await sim.close();
    },
  };
}

/** A user put in the simulator's store as Zoom would hold it. */
export function seed(
  sim: ZoomSimulator,
  email: string,
  extra: Record<string, unknown> = {},
): { id: string; email: string } {
  const user = sim.store.seedUser({ email, first_name: 'Ada', last_name: 'Lovelace', type: 1, ...extra });
  return { id: user.id, email: user.email };
}

/** An empty account and request log, keeping the issued tokens (sim.reset() would revoke the connector's token). */
export function fresh(sim: ZoomSimulator): void {
  sim.store.reset();
  sim.pages.reset();
  sim.rateLimiter.reset();
  sim.requests.length = 0;
}
