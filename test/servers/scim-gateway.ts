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
  /** Every line fastify logs (level trace), e.g. to check a token never shows. */
  log?: (line: string) => void;
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { Resources?: Record<string, unknown>[] };
}

/** One request to a gateway with its token (or the headers given), JSON in and out. */
export async function scimCall(
  g: Pick<GatewayServer, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${g.token}` },
): Promise<ScimAnswer> {
  const res = await fetch(`${g.url}${path}`, {
    method,
    headers: { 'content-type': 'application/scim+json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

export async function startScimGateway(opts: GatewayOptions): Promise<GatewayServer> {
  const token = opts.token ?? 'gateway-token-1234567890';
  const path = opts.path ?? opts.instance;
  const client = createIamClient({ config: { instances: opts.instances }, env: {}, ...opts.client });
  const log = opts.log;
  const app = Fastify({
    logger: log ? { level: 'trace', stream: { write: (line: string) => log(line) } } : false,
  });
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
