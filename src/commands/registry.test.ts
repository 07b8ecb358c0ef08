// Adding a command is one registry entry: every consumer (CLI help and options, war-room names,
// batch, the audit's read/write split, the record printer, the client's dispatch) reads the
// registry, so each one's list is checked against it here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BATCH_COMMANDS } from '../batch/types.js';
import { runCli } from '../cli/app.js';
import { groupTable, userJson } from '../cli/output.js';
import { warRoomToArgv } from '../cli/warroom.js';
import { IamClient } from '../client.js';
import { inputSchema } from './input-schema.js';
import {
  COMMANDS,
  commandEntry,
  GROUP_COMMANDS,
  isWriteCommand,
  USER_COMMANDS,
  type UserCommandEntry,
  type UserCommandName,
} from './registry.js';

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io = {
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(l),
    isTTY: false,
    env: {},
    cwd: '.',
  };
  const code = await runCli(argv, io);
  return { code, out: lines.join('\n') };
}

test('the CLI lists every registry command, with its options and --dry-run exactly on writes', async () => {
  const help = await cli(['--help']);
  for (const c of COMMANDS) assert.match(help.out, new RegExp(`\\n  ${c.name} `), `${c.name} in iam --help`);
  for (const c of COMMANDS) {
    const h = await cli([c.name, '--help']);
    assert.equal(h.code, 0);
    assert.ok(h.out.includes(c.about), `${c.name}: about`);
    for (const o of c.options) assert.ok(h.out.includes(o.flags), `${c.name}: ${o.flags}`);
    for (const a of c.options.flatMap((o) => o.aliases ?? []))
      assert.ok(h.out.includes(a), `${c.name}: ${a}`);
    assert.equal(h.out.includes('--dry-run'), c.write, `${c.name}: --dry-run only on writes`);
  }
});

test('one more entry is one more command: the CLI lists it with its options, the war room takes its names', async () => {
  const base = USER_COMMANDS[4];
  const extra: UserCommandEntry = {
    ...base,
    name: 'suspend-user',
    warRoom: 'iam-suspend-user',
    about: 'Suspend a user (a test entry).',
    options: [
      ...base.options,
      { flags: '--reason <text>', description: 'why', key: 'reason', warRoom: ['reason'] },
    ],
  };
  const commands = [...COMMANDS, extra];
  const lines: string[] = [];
  const io = {
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(l),
    isTTY: false,
    env: {},
    cwd: '.',
  };
  assert.equal(await runCli(['--help'], io, commands), 0);
  assert.match(lines.join('\n'), /\n {2}suspend-user .*Suspend a user/);
  lines.length = 0;
  assert.equal(await runCli(['suspend-user', '--help'], io, commands), 0);
  assert.match(lines.join('\n'), /--reason <text>[\s\S]*--dry-run/);
  assert.deepEqual(warRoomToArgv('!iam-suspend-user reason=leaver using=a', commands), [
    'suspend-user',
    '--reason=leaver',
    '--instance=a',
  ]);
  assert.throws(() => warRoomToArgv('!iam-disable-user reason=leaver'), /unknown argument "reason"/);
});

test('every option key is a key of its command input schema, and every input key has a description', () => {
  for (const c of COMMANDS) {
    const schema = inputSchema(c.input);
    const shape = Object.keys(schema.shape);
    for (const o of c.options)
      if (o.key !== undefined) assert.ok(shape.includes(o.key), `${c.name}: ${o.key}`);
    for (const [k, s] of Object.entries(schema.shape))
      assert.ok((s as { description?: string }).description, `${c.name}: ${k} is described`);
  }
});

test('the war-room form knows every war-room name of every option', () => {
  for (const c of COMMANDS) {
    assert.equal(c.warRoom, `iam-${c.name}`);
    for (const o of c.options) {
      for (const name of o.warRoom ?? []) {
        const flag = o.flags.split(' ')[0];
        assert.deepEqual(warRoomToArgv(`!${c.warRoom} ${name}=1`), [c.name, `${flag}=1`]);
      }
    }
  }
});

test('batch runs exactly the batch entries; the audit writes exactly the write entries', () => {
  assert.deepEqual(
    BATCH_COMMANDS,
    USER_COMMANDS.filter((c) => c.batch).map((c) => c.name),
  );
  for (const c of COMMANDS) assert.equal(isWriteCommand(c.name), c.write, c.name);
  assert.equal(isWriteCommand('not-a-command'), true, 'an unknown command is audited as a write');
  assert.equal(commandEntry('get-user')?.write, false);
});

test('records print under each entry key and title', () => {
  for (const c of GROUP_COMMANDS) {
    const rec = { brand: 'Local', instanceName: 'l', success: true, id: null, displayName: null };
    const table = groupTable(c.recordKey, {
      ...rec,
      active: null,
      email: null,
      username: null,
      members: null,
      errorCode: null,
      errorMessage: null,
      details: {},
    });
    assert.ok(table.startsWith(`${c.title} Results (Local)`), table);
  }
  for (const c of USER_COMMANDS) {
    const vendor = { action: c.action, brand: 'Local', instanceName: 'l', success: true };
    const json = userJson({ vendor, userProfile: {} } as never, true);
    assert.ok(json.startsWith(`{"${c.firstGenKey}":`), json);
  }
});

test('the client dispatches every user and group entry (a dry run on the embedded directory)', async () => {
  const client = new IamClient({
    config: { instances: { l: { brand: 'Local', path: ':memory:' } } },
    env: {},
    auditLog: false,
    dryRun: true,
  });
  try {
    for (const c of USER_COMMANDS) {
      const r = await client.user(c.name as UserCommandName, 'l', { userProfile: { username: 'x.y' } });
      // A create of an existing account updates it; an update of a missing one creates it.
      const upsert = c.action === 'create' || c.action === 'update';
      const ran = upsert ? ['create', 'update'].includes(r.vendor.action) : r.vendor.action === c.action;
      assert.ok(ran, `${c.name}: ${r.vendor.action}`);
    }
    for (const c of GROUP_COMMANDS) {
      const input = { scim: { id: 'g1', displayName: 'G' }, memberIdsToAdd: ['u1'] };
      const r = await client.group(c.name, 'l', input);
      assert.equal(r.brand, 'Local', c.name);
    }
  } finally {
    await client.close();
  }
});
