// Property: whatever arguments an MCP client (an agent) passes to a tool of `iam mcp`, the answer is
// a tool result (a record, or isError with one readable line) or a JSON-RPC invalid-params error,
// never a crash, a stack trace or a hang; the server keeps serving, and without --allow-writes
// nothing is written. Runs the built `iam mcp` through the official SDK client over stdio.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import * as fc from 'fast-check';
import { COMMANDS } from '../../src/commands/registry.js';
import { type Setup, writeSetup } from '../server/harness.js';
import { BIN } from '../support/run-iam.js';
import { anyText, idListArgument, TRICKY_KEYS, trickyObject } from './arbitraries.js';
import { assertOneLineMessage } from './harness.js';
import './report.js';

const RUNS = 80;
let setup: Setup;
let client: Client;
let stderr = '';

before(async () => {
  setup = writeSetup();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--config', setup.configPath, '--audit-log', setup.auditPath],
    env: setup.env,
    cwd: setup.dir,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  client = new Client({ name: 'iam-fuzz', version: '1.0.0' });
  await client.connect(transport);
});
after(async () => {
  await client?.close();
});

const tool = fc.constantFrom(...COMMANDS.map((c) => c.name));
const value = fc.oneof(anyText, fc.jsonValue({ maxDepth: 3 }), trickyObject, idListArgument);
const args = fc.oneof(
  fc.record(
    {
      instance: fc.oneof(fc.constantFrom('local', 'nope', '__proto__', ''), value),
      userProfile: fc.oneof(trickyObject, value, fc.record({ username: anyText, email: anyText })),
      scim: fc.oneof(trickyObject, value, fc.record({ id: anyText, displayName: anyText })),
      memberIdsToAdd: value,
      memberIdsToDelete: value,
      includeMembers: value,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.constantFrom(...TRICKY_KEYS, 'instance'), value, { maxKeys: 4 }),
);

describe('fuzz: what an MCP client passes to the tools', () => {
  test('any arguments to any tool: a result or an invalid-params error, one readable line', async () => {
    await fc.assert(
      fc.asyncProperty(tool, args, async (name, a) => {
        const label = `${name} ${JSON.stringify(a).slice(0, 300)}`;
        try {
          const r = await client.callTool({ name, arguments: a as Record<string, unknown> });
          const content = r.content as { type: string; text: string }[];
          assert.ok(Array.isArray(content) && content.length > 0, `${label}: content`);
          // A record (first item, JSON; isError when it failed), then perhaps the dry-run note; or
          // an error: ours one line, the SDK's schema check one issue per line ("... at instance").
          const [first, ...rest] = content.map((c) => c.text);
          let record: { IAM?: { Vendor?: { success?: unknown } } } | undefined;
          try {
            record = JSON.parse(String(first));
          } catch {
            record = undefined;
          }
          if (record === undefined) {
            assert.equal(r.isError, true, `${label}: not a record, yet not an error: ${first}`);
            for (const l of String(first).split('\n')) assertOneLineMessage(l, label);
          } else if (record.IAM?.Vendor) {
            assert.equal(
              r.isError === true,
              record.IAM.Vendor.success === false,
              `${label}: isError as the record`,
            );
          }
          for (const note of rest) assertOneLineMessage(note, label);
        } catch (e) {
          assert.ok(e instanceof McpError, `${label}: ${(e as Error).message}`);
          assert.doesNotMatch(e.message, /\n\s+at /, `${label}: no stack trace`);
        }
      }),
      { numRuns: RUNS },
    );
    const { tools } = await client.listTools();
    assert.equal(tools.length, COMMANDS.length, 'the server still serves');
    assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace on stderr');
  });
});
