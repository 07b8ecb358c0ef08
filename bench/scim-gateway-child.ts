// The SCIM gateway in a process of its own for bench/scim-gateway.ts: a fastify instance with the
// gateway plugin in front of a Local store file (argv[2]), as `iam serve` mounts it. Says `ready`
// with its URL and token over IPC; on `stop`, answers its peak RSS (getrusage maxRSS) and exits.
import Fastify from 'fastify';
import { createIamClient } from '../src/index.js';
import { scimGateway } from '../src/server/scim/plugin.js';

const store = process.argv[2] ?? ':memory:';
const token = 'bench-gateway-token';
const client = createIamClient({
  config: { instances: { local: { brand: 'Local', path: store } } },
  env: {},
});
const app = Fastify({ logger: false });
await app.register(scimGateway, {
  prefix: '/scim/local/v2',
  entry: { path: 'local', instance: 'local', token },
  client,
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ type: 'ready', url: `${address}/scim/local/v2`, token });
process.on('message', async (m: { type: string }) => {
  if (m.type !== 'stop') return;
  await app.close();
  await client.close();
  process.send?.({ type: 'stopped', peakRssMb: process.resourceUsage().maxRSS / 1024 }, () =>
    process.exit(0),
  );
});
