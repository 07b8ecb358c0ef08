// The clients a server runs commands through. One live client for the whole process (its
// connections, rate limits and stores are shared by every request); the audit's actor is given per
// command. A dry run cannot share it: a client is dry or not for its life, and a dry run of a store
// such as Local's reads a copy taken when it opens. So each dry-run request gets a fresh dry-run
// client, closed when the request ends: it sees the data as it is now, and changes nothing.
import { IamClient, type IamClientOptions } from '../client.js';

export interface ServerClients {
  readonly live: IamClient;
  /** A new dry-run client: the caller closes it when its request ends. */
  openDryRun(): IamClient;
  /** Runs `fn` on a new dry-run client, closed after. */
  dryRun<T>(fn: (client: IamClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function serverClients(opts: IamClientOptions): ServerClients {
  const live = new IamClient(opts);
  // The same file, read again: its warnings were shown once by the live client.
  const { onWarning: _shown, ...quiet } = opts;
  const openDryRun = () => new IamClient({ ...quiet, dryRun: true });
  return {
    live,
    openDryRun,
    async dryRun(fn) {
      const client = openDryRun();
      try {
        return await fn(client);
      } finally {
        await client.close();
      }
    },
    close: () => live.close(),
  };
}
