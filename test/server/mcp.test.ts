// `iam mcp` through the official SDK's client over a spawned process (StdioClientTransport): the
// tools are the registry's commands with their input schemas; get-user answers the record; a write
// without --allow-writes is a dry run that says so and changes nothing; with it, it is applied;
// every call is audited with actor `mcp`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { BIN } from '../support/run-iam.js';
import { cliGetUser, type Setup, writeSetup } from './harness.js';

type Json = Record<string, unknown>;

async function connect(setup: Setup, extra: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--config', setup.configPath, '--audit-log', setup.auditPath, ...extra],
    env: setup.env,
    cwd: setup.dir,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'iam-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const textOf = (r: Awaited<ReturnType<Client['callTool']>>): string[] =>
  (r.content as { type: string; text: string }[]).map((c) => c.text);

const setup = writeSetup();
const clients: Client[] = [];
after(async () => {
  for (const c of clients) await c.close();
});

async function cliGet(username: string): Promise<Json> {
  const r = await cliGetUser(setup, username);
  return r.vendors[0] ?? {};
}

describe('iam mcp without --allow-writes', () => {
  let client: Client;
  test('lists one tool per command, each with its input schema and the instance', async () => {
    client = await connect(setup);
    clients.push(client);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), COMMANDS.map((c) => c.name).sort());
    const update = tools.find((t) => t.name === 'update-group');
    assert.deepEqual(Object.keys(update?.inputSchema.properties ?? {}).sort(), [
      'instance',
      'memberIdsToAdd',
      'memberIdsToDelete',
      'scim',
    ]);
    assert.ok(update?.inputSchema.required?.includes('instance'));
    const create = tools.find((t) => t.name === 'create-user');
    assert.match(String(create?.description), /dry run/);
    assert.equal(create?.annotations?.readOnlyHint, true);
  });

  test('a write tool runs as a dry run, says so, and changes nothing', async () => {
    const r = await client.callTool({
      name: 'create-user',
      arguments: { instance: 'local', userProfile: { username: 'mcp.user', email: 'mcp.user@example.com' } },
    });
    const [record, note] = textOf(r);
    const vendor = (JSON.parse(String(record)) as { IAM: { Vendor: Json } }).IAM.Vendor;
    assert.equal(vendor.skipped, true, record);
    assert.match(String(vendor.reason), /Dry run/);
    assert.match(String(note), /Dry run: nothing was changed.*--allow-writes/);
    assert.equal((await cliGet('mcp.user')).success, false, 'not created');
  });

  test('a failed record is an error result (isError), so the agent sees it failed; a found user is not', async () => {
    // MCP: errors that come from the tool belong in the result with isError set. Was: a record with
    // success false answered as a success.
    const missing = await client.callTool({
      name: 'get-user',
      arguments: { instance: 'local', userProfile: { username: 'nobody.here' } },
    });
    assert.equal(missing.isError, true);
    const [record = ''] = textOf(missing);
    const vendor = (JSON.parse(record) as { IAM: { Vendor: Json } }).IAM.Vendor;
    assert.deepEqual([vendor.success, vendor.errorCode], [false, 404], 'the record is still the answer');
    const skipped = await client.callTool({
      name: 'create-user',
      arguments: { instance: 'local', userProfile: { username: 'dry.one' } },
    });
    assert.equal(skipped.isError, undefined, 'a dry run (skipped, success true) is not an error');
  });

  test('bad input is an error result with one line, not a crash', async () => {
    const r = await client.callTool({ name: 'get-user', arguments: { instance: 'local', userProfile: 7 } });
    assert.equal(r.isError, true);
    assert.equal(textOf(r).length, 1);
    assert.doesNotMatch(String(textOf(r)[0]), /\n/);
  });
});

describe('iam mcp --allow-writes', () => {
  test('the write is applied, get-user answers the record, and the audit names mcp', async () => {
    const client = await connect(setup, ['--allow-writes']);
    clients.push(client);
    const created = await client.callTool({
      name: 'create-user',
      arguments: { instance: 'local', userProfile: { username: 'mcp.user', email: 'mcp.user@example.com' } },
    });
    assert.equal(textOf(created).length, 1, 'no dry-run note');
    const got = await client.callTool({
      name: 'get-user',
      arguments: { instance: 'local', userProfile: { username: 'mcp.user' } },
    });
    const [record = ''] = textOf(got);
    const vendor = (JSON.parse(record) as { IAM: { Vendor: Json } }).IAM.Vendor;
    assert.equal(vendor.success, true, record);
    assert.equal(vendor.email, 'mcp.user@example.com');
    assert.equal((await cliGet('mcp.user')).id, vendor.id, 'the same record the CLI reads');
    const lines = readFileSync(setup.auditPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json)
      .filter((l) => l.username === 'mcp.user');
    assert.ok(
      lines.some((l) => l.dryRun === true) && lines.some((l) => l.dryRun === false && l.event === 'outcome'),
    );
    assert.ok(
      lines.every((l) => l.actor === 'mcp'),
      JSON.stringify(lines),
    );
  });
});
