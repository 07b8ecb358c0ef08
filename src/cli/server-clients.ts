// The library clients `iam serve` and `iam mcp` run on, built from the CLI's options the same way:
// warnings and the debug log on stderr, the audit log on by default (or --audit-log FILE).
import type { IamClientOptions } from '../client.js';
import { type ServerClients, serverClients } from '../server/clients.js';
import type { CliIo } from './app.js';
import type { Opts } from './run.js';

export function cliServerClients(
  opts: Opts,
  io: CliIo,
  extra: Pick<IamClientOptions, 'actor' | 'onRetry'>,
): ServerClients {
  return serverClients({
    configPath: opts.config,
    env: io.env,
    cwd: io.cwd,
    onWarning: (m) => io.err(`iam: warning: ${m}`),
    logWrite: io.err,
    auditLog: typeof opts.auditLog === 'string' ? opts.auditLog : undefined,
    defaultAuditLog: true,
    ...extra,
  });
}
