// The audit log: one JSON line per write command, with who, where, what, outcome, correlation id and
// the changed fields' names (never values); reads are not audited; the file is 0600 and append-only;
// a log that cannot be opened stops the write before anything is sent.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { logLines, runIam } from './leaky-server.js';

type Line = Record<string, unknown>;
const dir = tempDir('iam-audit-');
after(() => dir.cleanup());

/** Every line, intents and outcomes, in file order (a line that is not whole JSON fails). */
const readAll = (path: string): Line[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
/** The outcome lines: one per write command. */
const readAudit = (path: string): Line[] => readAll(path).filter((l) => l.event === 'outcome');
const readIntents = (path: string): Line[] => readAll(path).filter((l) => l.event === 'intent');

let n = 0;
/** A fresh home with a one-instance Local config. */
function home(extraTop = ''): { path: string; config: string; db: string } {
  n += 1;
  const path = join(dir.path, `h${n}`);
  mkdirSync(path);
  const db = join(path, 'people.db');
  const config = join(path, 'iam.yaml');
  writeFileSync(config, `${extraTop}instances:\n  loc:\n    brand: Local\n    path: ${db}\n`);
  return { path, config, db };
}

const vendor = (line: Line | undefined) => ((line?.IAM as Line | undefined)?.Vendor ?? {}) as Line;

describe('audit log through the CLI (Local brand)', () => {
  test('every write is one line; reads are not; delegations, skips and failures are recorded', async () => {
    const h = home();
    const audit = join(h.path, 'audit.log');
    const iam = (...args: string[]) => runIam([...args, '--output', 'json', '--audit-log', audit], h.path);
    const jdoe = '{"username":"jdoe","email":"jdoe@example.com","title":"Chief Secret Officer"}';
    const created = await iam('create-user', '--user-profile', jdoe);
    const id = String(vendor(created.lines[0]).id);
    await iam('create-user', '--user-profile', '{"username":"jdoe","title":"CTO"}'); // becomes an update
    await iam('update-user', '--user-profile', '{"username":"ann","email":"ann@example.com"}'); // becomes a create
    await iam('get-user', '--user-profile', '{"username":"jdoe"}');
    await iam('disable-user', '--user-profile', '{"username":"jdoe"}');
    await iam('disable-user', '--user-profile', '{"username":"jdoe"}'); // already disabled: skipped
    await iam('enable-user', '--user-profile', `{"id":"${id}"}`);
    const group = await runIam(
      ['create-group', '--scim', '{"displayName":"Eng"}', '--output', 'json', '--audit-log', audit],
      h.path,
    );
    const gid = String((group.lines[0]?.CreateGroup as Line | undefined)?.id);
    await iam('update-group', '--scim', `{"id":"${gid}"}`, '--member-ids-to-add', id);
    await iam('get-group', '--scim', `{"id":"${gid}"}`, '--include-members', 'yes');
    await iam('delete-group', '--scim', `{"id":"${gid}"}`);
    await iam('delete-group', '--scim', `{"id":"${gid}"}`); // 404: failed
    await iam('test');

    const lines = readAudit(audit);
    const summary = lines.map((l) => [l.command, l.action, l.outcome]);
    assert.deepEqual(summary, [
      ['create-user', 'create', 'success'],
      ['create-user', 'update', 'success'],
      ['update-user', 'create', 'success'],
      ['disable-user', 'disable', 'success'],
      ['disable-user', 'disable', 'skipped'],
      ['enable-user', 'enable', 'success'],
      ['create-group', 'create', 'success'],
      ['update-group', 'update', 'success'],
      ['delete-group', 'delete', 'success'],
      ['delete-group', 'delete', 'failed'],
    ]);
    const first = lines[0] as Line;
    assert.equal(first.actor, userInfo().username);
    assert.equal(first.instance, 'loc');
    assert.equal(first.brand, 'Local');
    assert.equal(first.targetId, id);
    assert.equal(first.username, 'jdoe');
    assert.equal(first.dryRun, false);
    assert.equal(first.errorCode, null);
    assert.match(String(first.time), /^\d{4}-\d\d-\d\dT/);
    assert.match(String(first.correlationId), /^[0-9a-f-]{36}$/);
    assert.deepEqual(first.fields, ['username', 'email', 'title', 'active']);
    assert.deepEqual(lines[1]?.fields, ['title'], 'an update names only what it changed');
    assert.equal(lines[4]?.reason, 'User is already disabled.');
    assert.deepEqual(lines[4]?.fields, []);
    assert.equal(lines[6]?.displayName, 'Eng');
    assert.deepEqual(lines[7]?.fields, ['members']);
    assert.equal(lines[9]?.errorCode, 404);
    assert.equal(lines[9]?.errorMessage, 'Group Not Found');
    const text = readFileSync(audit, 'utf8');
    assert.equal(text.includes('Chief Secret Officer'), false, 'field values are never written');
    assert.equal(statSync(audit).mode & 0o777, 0o600);
    assert.equal(new Set(lines.map((l) => l.correlationId)).size, lines.length);
    // Every write sent has an intent before its outcome, with the same correlation id; a skip has none.
    const all = readAll(audit);
    for (const out of all.filter((l) => l.event === 'outcome')) {
      const at = all.indexOf(out);
      const intents = all.filter(
        (l, i) => l.event === 'intent' && l.correlationId === out.correlationId && i < at,
      );
      if (out.outcome === 'skipped') assert.deepEqual(intents, [], 'a skip sends nothing');
      if (out.outcome === 'success') assert.ok(intents.length > 0, `${out.command}: no intent`);
    }
    const insert = readIntents(audit)[0] ?? {};
    assert.deepEqual(
      [insert.command, insert.method, insert.path, insert.username, insert.targetId],
      ['create-user', 'INSERT', 'users', 'jdoe', null],
    );
    assert.deepEqual(insert.fields, ['username', 'email', 'title', 'active']);
    const members = readIntents(audit).find((l) => l.command === 'update-group') ?? {};
    assert.deepEqual([members.targetId, members.memberCount, members.fields], [gid, 1, ['members']]);
  });

  test('the audit line and the debug lines of a command share its correlation id', async () => {
    const h = home();
    const audit = join(h.path, 'audit.log');
    const r = await runIam(
      ['create-user', '--user-profile', '{"username":"cid"}', '--verbose', '--audit-log', audit],
      h.path,
    );
    const debug = logLines(r.stderr);
    assert.ok(debug.length >= 2, r.stderr);
    const [line] = readAudit(audit);
    for (const d of debug) assert.equal(d.correlationId, line?.correlationId);
  });

  test('where: --audit-log, else IAM_AUDIT_LOG, else auditLog in the config, else the data directory', async () => {
    const h = home('auditLog: from-config.log\n');
    const write = (args: string[], env: Record<string, string> = {}) =>
      runIam(['enable-user', '--user-profile', '{"username":"nobody"}', ...args], h.path, env);
    await write(['--audit-log', join(h.path, 'flag.log')], { IAM_AUDIT_LOG: join(h.path, 'env.log') });
    await write([], { IAM_AUDIT_LOG: join(h.path, 'env.log') });
    await write([]);
    const plain = home();
    await runIam(['enable-user', '--user-profile', '{"username":"nobody"}'], plain.path);
    for (const path of [
      join(h.path, 'flag.log'),
      join(h.path, 'env.log'),
      join(h.path, 'from-config.log'),
      join(plain.path, 'data', 'iam-commands', 'audit.log'),
    ]) {
      const lines = readAudit(path);
      assert.equal(lines.length, 1, path);
      assert.equal(lines[0]?.outcome, 'skipped');
      assert.equal(lines[0]?.reason, 'User does not exist');
    }
  });

  test('an audit log that cannot be opened stops the write before anything changes (exit 2)', async () => {
    const h = home();
    const blocked = join(h.path, 'not-a-dir');
    writeFileSync(blocked, '');
    const r = await runIam(
      ['create-user', '--user-profile', '{"username":"ghost"}', '--audit-log', join(blocked, 'audit.log')],
      h.path,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), /^iam: error: audit log .*not-a-dir\/audit\.log: cannot open it/);
    assert.equal(r.stdout, '');
    const get = await runIam(
      ['get-user', '--user-profile', '{"username":"ghost"}', '--output', 'json'],
      h.path,
    );
    assert.equal(vendor(get.lines[0]).errorCode, 404, 'the user was not created');
  });
});

describe('audit log through the library (SCIM, on the wire)', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const client = (auditLog: string, debug: string[] = []) =>
    createIamClient({
      config: { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: server.token } } },
      env: {},
      auditLog,
      actor: 'playbook-42',
      logLevel: 'debug',
      logWrite: (l) => debug.push(l),
    });

  test('fields are the PATCH paths sent; the correlation id is on the HTTP debug lines too', async () => {
    const audit = join(dir.path, 'scim-audit.log');
    const debug: string[] = [];
    const c = client(audit, debug);
    await c.createUser('app', { userProfile: { username: 'sam', email: 'sam@example.com' } });
    await c.updateUser('app', { userProfile: { username: 'sam', title: 'CFO', department: 'Finance' } });
    await c.close();
    const lines = readAudit(audit);
    assert.equal(lines.length, 2);
    const intents = readIntents(audit);
    assert.deepEqual(
      intents.map((l) => [l.method, l.correlationId === lines[0]?.correlationId ? 0 : 1]),
      [
        ['POST', 0],
        ['PATCH', 1],
      ],
    );
    assert.deepEqual(intents[1]?.fields, lines[1]?.fields);
    assert.equal(lines[0]?.actor, 'playbook-42');
    assert.deepEqual(lines[0]?.fields, ['userName', 'emails', 'active']);
    assert.deepEqual(lines[1]?.fields, [
      'title',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    ]);
    const patch = logLines(debug.join('\n')).find((l) => l.method === 'PATCH');
    assert.equal(patch?.correlationId, lines[1]?.correlationId);
    assert.ok(server.requests.some((r) => r.method === 'PATCH'));
  });

  test('concurrent commands each write one whole line with their own correlation id', async () => {
    const audit = join(dir.path, 'concurrent.log');
    const c = client(audit);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => c.createUser('app', { userProfile: { username: `u${i}` } })),
    );
    await c.close();
    const lines = readAudit(audit);
    assert.equal(lines.length, 40);
    assert.equal(readAll(audit).length, 80, 'an intent and an outcome each, every line whole');
    assert.equal(new Set(lines.map((l) => l.correlationId)).size, 40);
    assert.deepEqual(
      new Set(lines.map((l) => l.username)),
      new Set(Array.from({ length: 40 }, (_, i) => `u${i}`)),
    );
  });

  test('reads (get-user, get-group, test) write nothing to the audit log', async () => {
    const audit = join(dir.path, 'reads-only.log');
    const c = client(audit);
    await c.getUser('app', { userProfile: { username: 'nobody' } });
    await c.getGroup('app', { scim: { displayName: 'nothing' } });
    await c.test('app');
    await c.close();
    assert.throws(() => statSync(audit), /ENOENT/);
  });
});
