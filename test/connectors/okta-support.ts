// Runs the Okta connector's operations directly against the Okta simulator, with the real undici
// transport built as the core builds it (the brand's rate limit, retry, a separate token transport).
import { oktaConnector, oktaSettings } from '../../src/connectors/okta/index.js';
import type { Connector, ConnectorContext } from '../../src/core/connector.js';
import type { Secret } from '../../src/core/secrets.js';
import type { RetryInfo, TransportOptions } from '../../src/http/transport.js';
import { createHttpTransport, defaultTransportOptions } from '../../src/http/undici-transport.js';
import { type OktaSimulator, type OktaSimulatorOptions, startOktaSimulator } from '../servers/okta/server.js';

export interface OktaHarness {
  sim: OktaSimulator;
  okta: Connector;
  reported: Secret[];
  retries: RetryInfo[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: OktaSimulatorOptions;
  /** `token` (SSWS, default) or `oauth` (service app), or settings of one's own. */
  auth?: 'token' | 'oauth';
  settings?: Record<string, unknown>;
  transport?: Partial<TransportOptions>;
}

export async function startOkta(opts: HarnessOptions = {}): Promise<OktaHarness> {
  const sim = await startOktaSimulator(opts.sim);
  const auth =
    opts.auth === 'oauth'
      ? { clientId: sim.clientId, privateKey: sim.privateKeyPem }
      : { token: sim.apiToken };
  const settings = oktaSettings.parse({ orgUrl: sim.orgUrl, ...auth, ...opts.settings });
  const reported: Secret[] = [];
  const retries: RetryInfo[] = [];
  const build = (o: Pick<TransportOptions, 'baseUrl' | 'headers'>, limited: boolean) =>
    createHttpTransport({
      ...defaultTransportOptions,
      ...o,
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 5_000 },
      ...(limited && oktaConnector.capabilities.rateLimit
        ? { rateLimit: oktaConnector.capabilities.rateLimit }
        : {}),
      onRetry: (info) => retries.push(info),
      ...opts.transport,
    });
  const ctx: ConnectorContext = {
    instanceName: 'okta-test',
    transport: (o) => build(o, true),
    tokenTransport: (o) => build(o, false),
    secrets: { env: {}, readFile: () => '' },
    dataDir: '/nonexistent/okta-test',
    onSecret: (s) => reported.push(s),
  };
  const okta = oktaConnector.create(settings, ctx);
  return {
    sim,
    okta,
    reported,
    retries,
    async close() {
      await okta.close();
      await sim.close();
    },
  };
}

let n = 0;
/** A user put in the simulator's org in the given status. */
export function seed(
  sim: OktaSimulator,
  status: Parameters<OktaSimulator['store']['seedUser']>[1] = 'ACTIVE',
  extra = {},
) {
  n += 1;
  return sim.store.seedUser(
    {
      login: `user${n}@example.com`,
      email: `user${n}@example.com`,
      firstName: 'Ada',
      lastName: `L${n}`,
      ...extra,
    },
    status,
  );
}
