// The loopback SCIM server of the tests (test/servers/scim-server.ts) in a process of its own, so
// that the load generator and the CLI under test never share its event loop. Driven over IPC:
// it answers `ready` with its URL, `reset` empties it, `count` reports the number of users.
import { startScimServer } from '../test/servers/scim-server.js';

export type ServerMessage =
  | { type: 'ready'; url: string; token: string }
  | { type: 'reset-done' }
  | { type: 'count'; users: number };
export type ServerCommand = { type: 'reset' } | { type: 'count' } | { type: 'stop' };

const server = await startScimServer();
const send = (m: ServerMessage) => process.send?.(m);

process.on('message', (m: ServerCommand) => {
  if (m.type === 'reset') {
    server.reset();
    send({ type: 'reset-done' });
  } else if (m.type === 'count') {
    send({ type: 'count', users: server.users().length });
  } else if (m.type === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
// The request log would grow by every benchmark request: keep it empty.
setInterval(() => {
  server.requests.length = 0;
}, 1000).unref();
send({ type: 'ready', url: server.url, token: server.token });
