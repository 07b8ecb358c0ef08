// `iam serve --config FILE [--host 127.0.0.1] [--port 8080]`: the HTTP API (src/server/app.ts).
// Prints one line with the address it listens on (port 0: the one the system chose). SIGTERM or
// SIGINT: stop accepting, let the requests in flight finish, flush and close the audit log, exit 0.
import type { AddressInfo } from 'node:net';
import { ConfigError, IamError, UsageError } from '../core/errors.js';
import { cleanMessage } from '../core/record.js';
import type { ServerClients } from '../server/clients.js';
import { ServerMetrics } from '../server/metrics.js';
import type { CliIo } from './app.js';
import type { Opts } from './run.js';
import { cliServerClients } from './server-clients.js';
import { VERSION } from './version.js';

export interface ServeOpts extends Opts {
  host?: string;
  port?: string;
  auditLog?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function portOf(value: string | undefined): number {
  const v = value ?? '8080';
  const n = /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 0 && n <= 65535))
    throw new UsageError(`port: expected a number from 0 to 65535, got "${v}"`, 'port');
  return n;
}

export async function runServe(opts: ServeOpts, io: CliIo): Promise<number> {
  const metrics = new ServerMetrics();
  let clients: ServerClients | undefined;
  try {
    const port = portOf(opts.port);
    const host = opts.host ?? '127.0.0.1';
    clients = cliServerClients(opts, io, { onRetry: metrics.retry });
    const { buildApp } = await import('../server/app.js');
    const app = await buildApp({ clients, metrics, version: VERSION });
    if (!clients.live.config.server?.apiKeys.length)
      io.err('iam: warning: no server.apiKeys in the config: every /v1 route answers 401');
    if (!LOOPBACK.test(host))
      io.err(`iam: warning: listening on ${host}, not loopback: put TLS (a reverse proxy) in front`);
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(signal);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await app.listen({ host, port });
    const address = app.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.out(`iam serve: listening on http://${shown}:${address.port}`);
    const signal = await stopped;
    io.err(`iam serve: ${signal}: finishing the requests in flight`);
    await app.close();
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const safe = cleanMessage(clients?.live.redactText(msg) ?? msg, []);
    const usage = e instanceof UsageError || e instanceof ConfigError;
    const address = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    io.err(`iam: ${usage || address || e instanceof IamError ? 'error' : 'internal error'}: ${safe}`);
    return 2;
  } finally {
    await clients?.close();
  }
}
