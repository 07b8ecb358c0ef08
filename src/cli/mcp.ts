// `iam mcp --config FILE [--allow-writes]`: the commands as MCP tools over stdio (the official SDK).
// stdout carries the protocol only: warnings and errors go to stderr. It ends when stdin closes (the
// client went away) or on SIGTERM/SIGINT; the audit log is flushed and closed.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { COMMANDS } from '../commands/registry.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { cleanMessage } from '../core/record.js';
import type { ServerClients } from '../server/clients.js';
import { createMcpServer, MCP_ACTOR } from '../server/mcp/server.js';
import { ServerMetrics } from '../server/metrics.js';
import type { CliIo } from './app.js';
import type { Opts } from './run.js';
import { cliServerClients } from './server-clients.js';
import { VERSION } from './version.js';

export async function runMcp(opts: Opts, io: CliIo): Promise<number> {
  let clients: ServerClients | undefined;
  try {
    clients = cliServerClients(opts, io, { actor: MCP_ACTOR });
    const ctx = { clients, metrics: new ServerMetrics() };
    const allowWrites = opts.allowWrites === true;
    const server = createMcpServer(ctx, { allowWrites, commands: COMMANDS, version: VERSION });
    const stdin = io.stdin ?? process.stdin;
    const transport = new StdioServerTransport(stdin as NodeJS.ReadStream, process.stdout);
    const ended = new Promise<void>((resolve) => {
      const end = () => {
        process.off('SIGINT', end);
        process.off('SIGTERM', end);
        resolve();
      };
      stdin.on('end', end);
      stdin.on('close', end);
      process.on('SIGINT', end);
      process.on('SIGTERM', end);
    });
    await server.connect(transport);
    io.err(
      `iam mcp: serving ${COMMANDS.length} tools on stdio (writes ${allowWrites ? 'applied' : 'dry run'})`,
    );
    await ended;
    await server.close();
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const safe = cleanMessage(clients?.live.redactText(msg) ?? msg, []);
    const usage = e instanceof UsageError || e instanceof ConfigError;
    io.err(`iam: ${usage ? 'error' : 'internal error'}: ${safe}`);
    return 2;
  } finally {
    await clients?.close();
  }
}
