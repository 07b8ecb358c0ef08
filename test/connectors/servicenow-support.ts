// A ServiceNow simulator and an IamClient on it (HTTP Basic by default, OAuth with `oauth: true`),
// as the conformance harness builds one: the real undici transport, the core's commands.
import { createIamClient, type IamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import {
  type SnowSimulator,
  type SnowSimulatorOptions,
  startServiceNowSimulator,
} from '../servers/servicenow/server.js';

export interface SnowSetup {
  sim: SnowSimulator;
  client(extra?: Record<string, unknown>): IamClient;
  close(): Promise<void>;
}

export async function startSnow(
  opts: { sim?: SnowSimulatorOptions; oauth?: boolean } = {},
): Promise<SnowSetup> {
  const sim = await startServiceNowSimulator(opts.sim);
  const { username, password, clientId, clientSecret } = sim.credentials;
  const auth = opts.oauth ? { clientId, clientSecret } : { username, password };
  const clients: IamClient[] = [];
  return {
    sim,
    client(extra = {}) {
      const c = createIamClient({
        config: {
          instances: {
            snow: { brand: 'ServiceNow', instanceUrl: sim.url, ...auth, allowDelete: true, ...extra },
          },
        },
        env: {},
      });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    },
  };
}

/** The vendor record of a command's result. */
export const v = async (p: Promise<{ vendor: VendorRecord }>): Promise<VendorRecord> => (await p).vendor;

/** A copy of every table's rows, to check that nothing changed. */
export function snapshot(sim: SnowSimulator): string {
  return JSON.stringify([...sim.store.tables.entries()]);
}
