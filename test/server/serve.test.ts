// `iam serve` as a process on a real socket (port 0, read back from the one line it prints): every
// command through its route on a Local and a SCIM instance, the record byte for byte what
// `iam <command> --output json` prints, the API key in no output in any encoding, a graceful stop
// (the request in flight finishes and is audited), and start-up errors as one line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { COMMANDS } from '../../src/commands/registry.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { runIam } from '../support/run-iam.js';
import { secretForms } from '../support/secret-forms.js';
import { cliGetUser, KEYS, type Served, type Setup, serve, writeSetup } from './harness.js';

type Json = Record<string, unknown>;

async function call(s: Served, path: string, body: unknown, key: string = KEYS.admin) {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Json };
}

/** A body for each command of the registry (ids filled in as the run goes). */
function bodies(user: string, ids: { user?: string; group?: string }): Record<string, Json> {
  return {
    'create-user': { userProfile: { username: user, email: `${user}@example.com` } },
    'get-user': { userProfile: { username: user } },
    'update-user': { userProfile: { username: user, title: 'Engineer' } },
    'disable-user': { userProfile: { username: user } },
    'enable-user': { userProfile: { username: user } },
    'create-group': { scim: { displayName: `grp-${user}` } },
    'get-group': { scim: { id: ids.group }, includeMembers: true },
    'update-group': { scim: { id: ids.group }, memberIdsToAdd: [ids.user] },
    'delete-group': { scim: { id: ids.group } },
    'delete-user': { userProfile: { id: ids.user } },
    test: {},
    'get-mapping-fields': {},
  };
}

const ORDER = [
  'create-user',
  'get-user',
  'update-user',
  'disable-user',
  'enable-user',
  'create-group',
  'update-group',
  'get-group',
  'delete-group',
  'delete-user',
  'test',
  'get-mapping-fields',
];

describe('iam serve on a socket', () => {
  let scim: ScimTestServer;
  let setup: Setup;
  let s: Served;
  before(async () => {
    scim = await startScimServer({ token: 'scim-upstream-token-5e6f7a8b9c' });
    setup = writeSetup({ url: scim.url, token: scim.token });
    s = await serve(setup);
  });
  after(async () => {
    s.child.kill('SIGKILL');
    await scim.close();
  });

  test('binds loopback and prints one line with the address', () => {
    assert.match(s.out(), /^iam serve: listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  for (const instance of ['local', 'scim']) {
    test(`every command of the registry through its route on ${instance}`, async () => {
      assert.deepEqual([...ORDER].sort(), COMMANDS.map((c) => c.name).sort(), 'the list covers the registry');
      const ids: { user?: string; group?: string } = {};
      for (const name of ORDER) {
        const r = await call(s, `/v1/instances/${instance}/${name}`, bodies(`sock.${instance}`, ids)[name]);
        assert.equal(r.status, 200, `${name}: ${r.text}`);
        const key = COMMANDS.find((c) => c.name === name)?.recordKey ?? '';
        const rec = (key === 'IAM' ? (r.json.IAM as Json).Vendor : r.json[key]) as Json;
        assert.ok(rec.success !== false, `${name}: ${r.text}`);
        if (name === 'create-user') ids.user = String(rec.id);
        if (name === 'create-group') ids.group = String(rec.id);
      }
    });
  }

  test('the record is byte for byte what `iam get-user --output json` prints', async () => {
    await call(s, '/v1/instances/local/create-user', { userProfile: { username: 'same', givenname: 'Sam' } });
    const api = await call(s, '/v1/instances/local/get-user', { userProfile: { username: 'same' } });
    const cli = await cliGetUser(setup, 'same');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(api.text, cli.stdout.trim());
  });

  test('no API key, SCIM token or their encodings in stdout, stderr (debug log) or the audit log', async () => {
    await call(s, '/v1/instances/scim/create-user', { userProfile: { username: 'leak.check' } });
    await call(s, '/v1/instances/local/get-user', { userProfile: { username: 'x' } }, KEYS.reader);
    await call(s, '/v1/instances/local/get-user', { userProfile: { username: 'x' } }, `${KEYS.admin}-wrong`);
    const audit = readFileSync(setup.auditPath, 'utf8');
    assert.ok(audit.includes('"actor":"soar"'), 'audited');
    assert.ok(s.err().includes('correlationId'), 'the debug log ran');
    for (const secret of [KEYS.admin, KEYS.reader, KEYS.localOnly, scim.token]) {
      for (const form of secretForms(secret)) {
        for (const [name, text] of [
          ['stdout', s.out()],
          ['stderr', s.err()],
          ['audit', audit],
        ] as const)
          assert.ok(!text.includes(form), `${name} holds a form of a secret`);
      }
    }
  });
});

describe('iam serve start and stop', () => {
  test('SIGTERM: the request in flight finishes and is audited, then exit 0', async () => {
    const scim = await startScimServer({ writeDelayMs: 1500 });
    const setup = writeSetup({ url: scim.url, token: scim.token });
    const s = await serve(setup);
    try {
      const pending = call(s, '/v1/instances/scim/create-user', { userProfile: { username: 'in.flight' } });
      // The write has reached the app (it waits 1.5 s there) before the signal.
      for (let i = 0; i < 100 && !scim.requests.some((r) => r.method === 'POST'); i++)
        await new Promise((r) => setTimeout(r, 20));
      s.child.kill('SIGTERM');
      const r = await pending;
      assert.equal(r.status, 200, r.text);
      assert.equal(((r.json.IAM as Json).Vendor as Json).success, true, r.text);
      assert.equal(await s.exited, 0, s.err());
      const outcome = readFileSync(setup.auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Json)
        .find((l) => l.event === 'outcome' && l.username === 'in.flight');
      assert.equal(outcome?.outcome, 'success');
    } finally {
      s.child.kill('SIGKILL');
      await scim.close();
    }
  });

  test('an API key whose env reference is unset: serve stops with one line; other commands still run', async () => {
    const setup = writeSetup();
    const { IAM_API_KEY: _unset, ...env } = setup.env;
    const served = await runIam(['serve', '--config', setup.configPath, '--port', '0'], {
      cwd: setup.dir,
      env,
      killAfterMs: 60_000,
    });
    assert.equal(served.code, 2);
    assert.match(served.stderr, /^iam: error: .*server\.apiKeys\.0\.key.*IAM_API_KEY is not set/m);
    assert.equal(served.stderr.trim().split('\n').length, 1, served.stderr);
    const cli = await runIam(
      ['get-user', '--config', setup.configPath, '--instance', 'local', '--user-profile', '{"username":"a"}'],
      { cwd: setup.dir, env },
    );
    assert.equal(cli.code, 1, cli.stderr);
  });

  test('a bad server: key, a bad port: one line, exit 2', async () => {
    const setup = writeSetup();
    const text = readFileSync(setup.configPath, 'utf8');
    writeFileSync(setup.configPath, text.replace('scopes: [read]', 'scopes: [admin]'));
    const scope = await runIam(['serve', '--config', setup.configPath, '--port', '0'], {
      cwd: setup.dir,
      env: setup.env,
    });
    assert.equal(scope.code, 2);
    assert.match(
      scope.stderr,
      /^iam: error: .*key "server\.apiKeys\.1\.scopes\.0": expected read or write\n$/,
    );
    writeFileSync(setup.configPath, text.replace(KEYS.localOnly, 'short-key'));
    const short = await runIam(['serve', '--config', setup.configPath, '--port', '0'], {
      cwd: setup.dir,
      env: setup.env,
    });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /server\.apiKeys\.2\.key": expected at least 16 characters/);
    assert.ok(!short.stderr.includes('short-key'), 'the key is not echoed');
    writeFileSync(setup.configPath, text);
    const bad = await runIam(['serve', '--config', setup.configPath, '--port', '99999'], {
      cwd: setup.dir,
      env: setup.env,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^iam: error: port: expected a number from 0 to 65535/);
  });
});

describe('the README', () => {
  test("the Server section's configuration runs as is, and its curl routes answer", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Server\n'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(yaml, 'a yaml block');
    const setup = writeSetup();
    writeFileSync(setup.configPath, yaml);
    const env = { IAM_API_KEY: KEYS.admin, IAM_HELPDESK_KEY: KEYS.reader };
    const s = await serve(setup, env);
    try {
      const curls = section.split('\n').filter((l) => l.startsWith('curl '));
      assert.ok(curls.length >= 9, curls.join('\n'));
      for (const line of curls) {
        const route = /\$S(\/[^\s"']*)/.exec(line)?.[1] ?? '';
        const json = /-d '([^']*)'/.exec(line)?.[1];
        const lines = line.includes('--data-binary') ? '{"username":"j2"}\n' : undefined;
        const body = json ?? lines;
        const res = await fetch(`${s.url}${route}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            ...(line.includes('"$K"') ? { authorization: `Bearer ${KEYS.admin}` } : {}),
            'content-type': lines ? 'application/x-ndjson' : 'application/json',
          },
          ...(body === undefined ? {} : { body }),
        });
        assert.equal(res.status, 200, `${line}: ${await res.text()}`);
      }
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });
});
