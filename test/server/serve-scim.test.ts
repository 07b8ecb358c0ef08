// `iam serve` with a `server.scim` entry: the SCIM 2.0 gateway is mounted at /scim/<path>/v2 of the
// same process, answers only its own bearer token (not an API key), runs the same commands on the
// instance behind it (the record a user is created with is there for get-user on the CLI), and the
// audit names the gateway entry as the actor. The API keys' routes are not opened by the SCIM token.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { cliGetUser, KEYS, type Served, type Setup, serve, writeSetup } from './harness.js';

const SCIM_TOKEN = 'gateway-token-4d5e6f7a8b9c0d1e';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('iam serve mounts the SCIM gateway of server.scim', () => {
  let setup: Setup;
  let s: Served;
  before(async () => {
    setup = writeSetup();
    const config = readFileSync(setup.configPath, 'utf8');
    writeFileSync(
      setup.configPath,
      `${config}  scim:\n    - path: local\n      instance: local\n      token: \${env:IAM_SCIM_TOKEN}\n`,
      { mode: 0o600 },
    );
    s = await serve(setup, { IAM_SCIM_TOKEN: SCIM_TOKEN });
  });
  after(async () => {
    s.child.kill('SIGTERM');
    await s.exited;
  });

  const scim = (path: string, init: RequestInit = {}, token = SCIM_TOKEN) =>
    fetch(`${s.url}/scim/local/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    });

  test('a user created through the gateway is in the instance, audited as scim:local', async () => {
    const body = {
      schemas: [USER],
      userName: 'gw.jane',
      emails: [{ value: 'gw.jane@example.com', primary: true }],
    };
    const created = await scim('/Users', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(created.status, 201, await created.clone().text());
    const user = (await created.json()) as { id: string; userName: string };
    assert.equal(user.userName, 'gw.jane');

    const listed = await scim(`/Users?filter=${encodeURIComponent('userName eq "gw.jane"')}`);
    assert.equal(listed.status, 200);
    const list = (await listed.json()) as { totalResults: number; Resources: { id: string }[] };
    assert.equal(list.totalResults, 1);
    assert.equal(list.Resources[0]?.id, user.id);

    // The same store, read by the CLI with the same config.
    const cli = await cliGetUser(setup, 'gw.jane', ['--output', 'json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { IAM: { Vendor: { id: string } } }).IAM.Vendor.id, user.id);

    const audit = readFileSync(setup.auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const create = audit.find((e) => e.command === 'create-user' && e.event !== 'intent');
    assert.equal(create?.actor, 'scim:local', JSON.stringify(create));
  });

  test('the gateway refuses an API key, and the API refuses the SCIM token', async () => {
    const wrong = await scim('/Users', {}, KEYS.admin);
    assert.equal(wrong.status, 401);
    const api = await fetch(`${s.url}/v1/instances/local/get-user`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userProfile: { username: 'gw.jane' } }),
    });
    assert.equal(api.status, 401);
  });
});
