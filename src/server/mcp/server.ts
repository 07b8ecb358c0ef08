// The MCP server of `iam mcp`: one tool per command of the registry, its input schema the
// command's (commands/input-schema.ts) plus the instance to run on. A tool answers the record
// exactly as `--output json` prints it, flagged isError when the record failed. Without `allowWrites` every write tool runs as a dry run
// (looked up as usual, nothing sent) and its answer says so; every call is audited with actor `mcp`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { inputSchema } from '../../commands/input-schema.js';
import type { CommandEntry } from '../../commands/registry.js';
import { cleanMessage } from '../../core/record.js';
import { runRecord, type ServerContext } from '../commands.js';

export const MCP_ACTOR = 'mcp';

export const DRY_RUN_NOTE =
  'Dry run: nothing was changed (iam mcp runs write tools as dry runs; the operator starts it with --allow-writes to apply them).';

export interface McpOptions {
  allowWrites: boolean;
  commands: readonly CommandEntry[];
  version: string;
}

export function createMcpServer(ctx: ServerContext, opts: McpOptions): McpServer {
  const server = new McpServer({ name: 'iam-commands', version: opts.version });
  const names = [...ctx.clients.live.config.instances.keys()];
  const instance = z.enum(names as [string, ...string[]]).describe('the configured instance to run on');
  for (const entry of opts.commands) {
    const dryRun = entry.write && !opts.allowWrites;
    const note = dryRun ? ' Runs as a dry run: the answer says what would be sent, nothing is changed.' : '';
    server.registerTool(
      entry.name,
      {
        title: entry.title,
        description: `${entry.about}${note}`,
        inputSchema: { instance, ...inputSchema(entry.input).shape },
        annotations: {
          readOnlyHint: !entry.write || dryRun,
          destructiveHint: entry.write && !dryRun && entry.name.startsWith('delete'),
          openWorldHint: true,
        },
      },
      async (args: Record<string, unknown>) => {
        const { instance: where, ...input } = args;
        try {
          const r = await runRecord(ctx, entry, String(where), input, { actor: MCP_ACTOR, dryRun });
          const text = [{ type: 'text' as const, text: r.json }];
          const content = dryRun ? [...text, { type: 'text' as const, text: DRY_RUN_NOTE }] : text;
          // A record that failed (success false: an app error, get-user's not found) is the tool's
          // error, flagged so the agent sees it (MCP: tool errors go in the result with isError).
          return r.success ? { content } : { isError: true, content };
        } catch (e) {
          const message = ctx.clients.live.redactText(e instanceof Error ? e.message : String(e));
          return { isError: true, content: [{ type: 'text' as const, text: cleanMessage(message, []) }] };
        }
      },
    );
  }
  return server;
}
