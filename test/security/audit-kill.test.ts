// Killed runs: every change that may have landed is in the audit log. The built CLI runs a batch of
// creates, or an update-group of many members, against a slow loopback SCIM server and is killed
// mid-run (kill -9, or SIGTERM); then every account and member the server holds must have an intent
// line, and `iam audit verify` must list the intents left with no outcome.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { runIam } from './leaky-server.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-audit-kill-');
type Line = Record<string, unknown>;

let server: ScimTestServer;
before(async () => {
  server = await startScimServer({ writeDelayMs: 40 });
});
after(async () => {
  await server.close();
  dir.cleanup();
});

let n = 0;
function home(): { path: string; config: string; audit: string; env: Record<string, string> } {
  n += 1;
  const path = join(dir.path, `h${n}`);
  mkdirSync(path);
  const config = join(path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:SCIM_TOKEN}\n`,
    { mode: 0o600 },
  );
  const env = { HOME: path, XDG_DATA_HOME: join(path, 'xdg'), SCIM_TOKEN: server.token };
  return { path, config, audit: join(path, 'audit.log'), env };
}

function start(args: string[], h: ReturnType<typeof home>): ChildProcess & { done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args, '--config', h.config, '--audit-log', h.audit], {
    cwd: h.path,
    env: { PATH: process.env.PATH ?? '', ...h.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const done = new Promise<number | null>((ok) =>
    child.on('close', (code, signal) => ok(code ?? (signal ? -1 : null))),
  );
  return Object.assign(child, { done });
}

/** Every line whole JSON (a torn line fails here). */
const readAudit = (path: string): Line[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** After a kill, the requests the server had already received still land: let them. */
const settle = () => sleep(400);

describe('killed runs leave no write the audit log does not know of', () => {
  const profiles = (prefix: string) =>
    Array.from({ length: 2000 }, (_, i) => JSON.stringify({ username: `${prefix}${i}` })).join('\n');

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    test(`batch create-user killed with ${signal}: every account on the server has an intent`, async () => {
      server.reset();
      const h = home();
      const input = join(h.path, 'in.jsonl');
      writeFileSync(input, profiles(`${signal}-`));
      const run = start(['batch', 'create-user', '--input', input, '--concurrency', '16'], h);
      await until('20 accounts on the server', () => server.users().length >= 20);
      // Kill while a write is in flight (an intent with no outcome yet), not between two commands.
      await until('a write in flight', () => {
        let now: Line[] = [];
        try {
          now = existsSync(h.audit) ? readAudit(h.audit) : [];
        } catch {
          return false; // a line being written as we read: look again
        }
        const done = new Set(now.filter((l) => l.event === 'outcome').map((l) => l.correlationId));
        return now.some((l) => l.event === 'intent' && !done.has(l.correlationId));
      });
      run.kill(signal);
      const code = await run.done;
      await settle();
      const created = server.users().map((u) => String(u.userName));
      assert.ok(created.length < 2000, 'the kill landed mid-run');
      const lines = readAudit(h.audit);
      const intents = new Set(lines.filter((l) => l.event === 'intent').map((l) => l.username));
      const missing = created.filter((u) => !intents.has(u));
      assert.deepEqual(missing, [], 'accounts on the server with no intent line');
      for (const l of lines.filter((x) => x.event === 'intent')) {
        assert.equal(l.command, 'create-user');
        assert.equal(l.method, 'POST');
        assert.equal(l.path, 'Users');
        assert.equal(typeof l.correlationId, 'string');
        assert.ok(!JSON.stringify(l).includes('value'), 'names only');
      }
      const verify = await runIam(['audit', 'verify', h.audit], h.path);
      const outcomes = new Set(lines.filter((l) => l.event === 'outcome').map((l) => l.correlationId));
      const open = lines.filter((l) => l.event === 'intent' && !outcomes.has(l.correlationId));
      if (signal === 'SIGKILL') {
        assert.ok(open.length > 0, 'kill -9 mid-run leaves writes in flight');
        assert.equal(verify.code, 1, verify.stdout + verify.stderr);
        const listed = verify.stdout.trim().split('\n').slice(0, -1);
        assert.equal(listed.length, open.length);
        for (const l of open) {
          const expected = `${l.correlationId} create-user instance app username ${l.username} (POST Users): no outcome`;
          assert.ok(verify.stdout.includes(expected), verify.stdout);
        }
        assert.match(
          verify.stdout.trim().split('\n').at(-1) ?? '',
          new RegExp(`${open.length} intents with no outcome$`),
        );
      } else {
        // SIGTERM is the first Ctrl-C: reading stops, what was sent finishes and is recorded.
        assert.equal(code, 143);
        assert.deepEqual(open, []);
        assert.equal(verify.code, 0, verify.stdout);
        for (const u of created) assert.ok(lines.some((l) => l.event === 'outcome' && l.username === u));
      }
    });
  }

  test('update-group of 1,000 members killed with kill -9: every member on the server was in an intent', async () => {
    server.reset();
    const h = home();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i += 100) {
      const batch = Array.from({ length: 100 }, (_, j) =>
        fetch(`${server.url}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: `m${i + j}`,
          }),
        }).then(async (r) => String(((await r.json()) as Line).id)),
      );
      ids.push(...(await Promise.all(batch)));
    }
    const g = await fetch(`${server.url}/Groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Big' }),
    });
    const gid = String(((await g.json()) as Line).id);
    const patches = () => server.requests.filter((r) => r.method === 'PATCH').length;
    const before = patches();
    const run = start(
      ['update-group', '--scim', JSON.stringify({ id: gid }), '--member-ids-to-add', ids.join(',')],
      h,
    );
    await until('the first member PATCH', () => patches() > before);
    run.kill('SIGKILL');
    await run.done;
    await settle();
    const group = server.groups().find((x) => x.id === gid) ?? {};
    const members = ((group.members ?? []) as { value: string }[]).map((m) => m.value);
    assert.ok(
      members.length > 0 && members.length < ids.length,
      `killed mid-run (${members.length} members)`,
    );
    const intents = readAudit(h.audit).filter((l) => l.event === 'intent');
    for (const l of intents) {
      assert.equal(l.command, 'update-group');
      assert.equal(l.targetId, gid);
      assert.deepEqual(l.fields, ['members']);
    }
    // Chunks go out in input order, so the intents cover the first `covered` ids of the list.
    const covered = intents.reduce((sum, l) => sum + Number(l.memberCount ?? 0), 0);
    const allowed = new Set(ids.slice(0, covered));
    assert.deepEqual(
      members.filter((m) => !allowed.has(m)),
      [],
      'members added with no intent line',
    );
    const verify = await runIam(['audit', 'verify', h.audit], h.path);
    assert.equal(verify.code, 1);
    assert.equal(verify.stdout.trim().split('\n').length, intents.length + 1, verify.stdout);
    assert.match(verify.stdout, new RegExp(`update-group instance app id ${gid}`));
  });
});

describe('iam audit verify', () => {
  const intent = (cid: string, user: string) =>
    JSON.stringify({
      event: 'intent',
      time: '2026-12-01T10:00:00.000Z',
      correlationId: cid,
      command: 'create-user',
      instance: 'app',
      targetId: null,
      username: user,
      method: 'POST',
      path: 'Users',
      fields: ['userName'],
    });
  const outcome = (cid: string) =>
    JSON.stringify({ event: 'outcome', correlationId: cid, outcome: 'success' });

  test('a large log is read as a stream: answered intents pass, older lines without `event` are outcomes', async () => {
    const h = home();
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i += 1) lines.push(intent(`c${i}`, `u${i}`), outcome(`c${i}`));
    lines.push(JSON.stringify({ correlationId: 'legacy', outcome: 'success' }));
    writeFileSync(h.audit, `${lines.join('\n')}\n`);
    const ok = await runIam(['audit', 'verify', h.audit], h.path);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(
      ok.stdout.trim(),
      'iam: audit verify ok: 200001 lines, 100000 intents, 100001 outcomes, 0 intents with no outcome',
    );
  });

  test('unanswered intents are listed one a line (exit 1); a torn line or a missing file is exit 2', async () => {
    const h = home();
    writeFileSync(h.audit, `${[intent('a', 'ann'), outcome('a'), intent('b', 'bob')].join('\n')}\n`);
    const open = await runIam(['audit', 'verify', h.audit], h.path);
    assert.equal(open.code, 1);
    assert.deepEqual(open.stdout.trim().split('\n'), [
      '2026-12-01T10:00:00.000Z b create-user instance app username bob (POST Users): no outcome',
      'iam: audit verify found writes with no outcome: 3 lines, 2 intents, 1 outcomes, 1 intents with no outcome',
    ]);
    writeFileSync(h.audit, `${intent('a', 'ann')}\n{"event":"intent","ti\n${outcome('a')}\n`);
    const torn = await runIam(['audit', 'verify', h.audit], h.path);
    assert.equal(torn.code, 2);
    assert.match(torn.stderr.trim(), /^iam: error: .*audit\.log: line 2 is not a whole JSON object/);
    const missing = await runIam(['audit', 'verify', join(h.path, 'none.log')], h.path);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr.trim(), /^iam: error: .*none\.log: cannot read it \(ENOENT\)$/);
  });
});
