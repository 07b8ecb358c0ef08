// A loopback SCIM gateway for tests: a fastify instance with only the gateway plugin mounted as
// `iam serve` mounts it (`/scim/<path>/v2`), in front of an instance of a library client built from
// the given config. Port 0; the caller closes it (the client too).
import Fastify from 'fastify';
import { createIamClient, type IamClient, type IamClientOptions } from '../../src/index.js';
import { scimGateway } from '../../src/server/scim/plugin.js';

export interface GatewayServer {
  /** The gateway's base URL, e.g. `http://127.0.0.1:40123/scim/local/v2`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  client: IamClient;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** `instances:` of the config. */
  instances: Record<string, unknown>;
  instance: string;
  path?: string;
  token?: string;
  client?: Partial<IamClientOptions>;
}

export async function startScimGateway(opts: GatewayOptions): Promise<GatewayServer> {
  const token = opts.token ?? 'gateway-token-1234567890';
  const path = opts.path ?? opts.instance;
  const client = createIamClient({ config: { instances: opts.instances }, env: {}, ...opts.client });
  const app = Fastify({ logger: false });
  await app.register(scimGateway, {
    prefix: `/scim/${path}/v2`,
    entry: { path, instance: opts.instance, token },
    client,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(address).port);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/scim/${path}/v2`,
    origin,
    port,
    token,
    client,
    async close() {
      await app.close();
      await client.close();
    },
  };
}
