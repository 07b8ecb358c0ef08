// A real forward proxy on loopback for tests: the npm package `proxy` (plain HTTP forwarding with
// absolute-URI requests, and CONNECT tunnels), with a log of what passed through it so tests can
// tell "went via the proxy" from "went direct". Optional Basic credentials: a request without the
// right Proxy-Authorization gets 407, as from a corporate proxy.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';

export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the forwarded method. */
  method: string;
  /** `host:port` for CONNECT, else the absolute URL asked for. */
  target: string;
  /** Whether the request carried the right Proxy-Authorization (always true without credentials). */
  authorized: boolean;
  /** The raw Proxy-Authorization header, if any (to check what the client sent). */
  proxyAuthorization: string | undefined;
}

export interface ForwardProxy {
  /** e.g. `http://127.0.0.1:40123` (no credentials). */
  url: string;
  host: string;
  port: number;
  log: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startForwardProxy(
  opts: { username?: string; password?: string } = {},
): Promise<ForwardProxy> {
  const log: ProxiedRequest[] = [];
  const expected =
    opts.username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
  const server = createProxy(createServer());
  server.authenticate = (req: IncomingMessage) => {
    const header = req.headers['proxy-authorization'];
    const authorized = expected === undefined || header === expected;
    log.push({ method: req.method ?? '', target: req.url ?? '', authorized, proxyAuthorization: header });
    return authorized;
  };
  // Tunnelled sockets leave the HTTP server's bookkeeping: track them to end them on close.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    log,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
