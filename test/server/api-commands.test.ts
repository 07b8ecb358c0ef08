// The HTTP API by fastify inject: every command of the registry through its route, on a Local
// instance and on a SCIM instance (the repo's SCIM 2.0 test server), answered with the record
// `--output json` prints; the fan-out route; dry runs; the audit names the API key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMMANDS } from '../../src/commands/registry.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { auditLines, bearer, KEYS, type Setup, startApp, type TestApp, writeSetup } from './harness.js';

type Json = Record<string, unknown>;

let scim: ScimTestServer;
let setup: Setup;
let t: TestApp;

before(async () => {
  scim = await startScimServer();
  setup = writeSetup({ url: scim.url, token: scim.token });
  t = await startApp(setup);
});
after(async () => {
  await t.close();
  await scim.close();
});

async function post(path: string, body: unknown, key: string = KEYS.admin) {
  const res = await t.app.inject({ method: 'POST', url: path, headers: bearer(key), payload: body as Json });
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    json: res.json() as Json,
    text: res.body,
  };
}

const vendor = (r: { json: Json }) => (r.json.IAM as { Vendor: Json }).Vendor;

for (const instance of ['local', 'scim']) {
  describe(`every command through its route on the ${instance} instance`, () => {
    test('users: create, get, update, disable, enable, delete', async () => {
      const at = (c: string) => `/v1/instances/${instance}/${c}`;
      const created = await post(at('create-user'), {
        userProfile: { username: `ann.${instance}`, email: `ann.${instance}@example.com`, givenname: 'Ann' },
      });
      assert.equal(created.status, 200, created.text);
      assert.match(String(created.type), /^application\/json/);
      assert.deepEqual(Object.keys(created.json), ['IAM']);
      assert.equal(vendor(created).success, true, created.text);
      assert.equal(vendor(created).action, 'create');
      assert.equal(vendor(created).instanceName, instance);
      const id = String(vendor(created).id);
      const got = await post(at('get-user'), { userProfile: { username: `ann.${instance}` } });
      assert.equal(vendor(got).id, id);
      const updated = await post(at('update-user'), {
        userProfile: { username: `ann.${instance}`, title: 'CTO' },
        allowEnable: false,
      });
      assert.equal(vendor(updated).success, true, updated.text);
      const disabled = await post(at('disable-user'), { userProfile: { id } });
      assert.equal(vendor(disabled).active, false, disabled.text);
      const enabled = await post(at('enable-user'), { userProfile: { id } });
      assert.equal(vendor(enabled).active, true, enabled.text);
      const deleted = await post(at('delete-user'), { userProfile: { id } });
      assert.equal(vendor(deleted).success, true, deleted.text);
      const gone = await post(at('get-user'), { userProfile: { id } });
      assert.equal(gone.status, 200, 'a record, whatever its success');
      assert.equal(vendor(gone).success, false);
    });

    test('groups: create, update members, get with members, delete', async () => {
      const at = (c: string) => `/v1/instances/${instance}/${c}`;
      const user = await post(at('create-user'), { userProfile: { username: `gm.${instance}` } });
      const uid = String(vendor(user).id);
      const created = await post(at('create-group'), { scim: { displayName: `Eng ${instance}` } });
      const rec = created.json.CreateGroup as Json;
      assert.equal(rec.success, true, created.text);
      const gid = String(rec.id);
      const updated = await post(at('update-group'), { scim: { id: gid }, memberIdsToAdd: [uid] });
      assert.equal((updated.json.UpdateGroup as Json).success, true, updated.text);
      const got = await post(at('get-group'), { scim: { id: gid }, includeMembers: true });
      const members = JSON.stringify((got.json.GetGroup as Json).members);
      assert.ok(members.includes(uid), got.text);
      const deleted = await post(at('delete-group'), { scim: { id: gid } });
      assert.equal((deleted.json.DeleteGroup as Json).success, true, deleted.text);
    });

    test('test and get-mapping-fields (no body needed)', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/instances/${instance}/test`,
        headers: bearer(KEYS.reader),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json().Test as Json).success, true, res.body);
      const fields = await post(`/v1/instances/${instance}/get-mapping-fields`, {}, KEYS.reader);
      assert.ok(((fields.json.MappingFields as Json).fields as string[]).length > 0, fields.text);
    });
  });
}

test('every command of the registry has both routes', () => {
  const routes = t.app.printRoutes({ commonPrefix: false });
  for (const c of COMMANDS) {
    assert.ok(t.app.hasRoute({ method: 'POST', url: `/v1/instances/:instance/${c.name}` }), c.name);
    assert.ok(t.app.hasRoute({ method: 'POST', url: `/v1/${c.name}` }), `${c.name}\n${routes}`);
  }
});

test('the fan-out route answers one record per instance, in the order given', async () => {
  await post('/v1/instances/local/create-user', { userProfile: { username: 'fan' } });
  await post('/v1/instances/scim/create-user', { userProfile: { username: 'fan' } });
  const res = await post('/v1/get-user', { userProfile: { username: 'fan' }, instances: ['scim', 'local'] });
  assert.equal(res.status, 200, res.text);
  const list = res.json as unknown as { IAM: { Vendor: Json } }[];
  assert.deepEqual(
    list.map((r) => [r.IAM.Vendor.instanceName, r.IAM.Vendor.success]),
    [
      ['scim', true],
      ['local', true],
    ],
  );
});

test('a dry run changes nothing, says what it would have sent, and is audited as such', async () => {
  await post('/v1/instances/local/create-user', { userProfile: { username: 'dry' } });
  const res = await post('/v1/instances/local/disable-user', {
    userProfile: { username: 'dry' },
    dryRun: true,
  });
  assert.equal(vendor(res).skipped, true, res.text);
  assert.ok(Array.isArray((vendor(res).details as Json).dryRun), res.text);
  const after = await post('/v1/instances/local/get-user', { userProfile: { username: 'dry' } });
  assert.equal(vendor(after).active, true, 'still enabled');
  const line = auditLines(setup).find((l) => l.command === 'disable-user' && l.username === 'dry');
  assert.equal(line?.dryRun, true);
});

test('the audit names the API key as the actor, never the key itself', async () => {
  await post('/v1/instances/local/create-user', { userProfile: { username: 'bot.made' } }, KEYS.localOnly);
  const lines = auditLines(setup).filter((l) => l.username === 'bot.made');
  assert.ok(lines.length >= 2, 'an intent and an outcome');
  for (const l of lines) assert.equal(l.actor, 'local-bot');
  const soar = auditLines(setup).filter((l) => l.username === 'ann.local');
  assert.ok(soar.length > 0 && soar.every((l) => l.actor === 'soar'));
});

test('the batch route streams one record per JSON line, and a line it cannot read says so', async () => {
  const body = '{"username":"b1"}\n{"username":"b2"}\nnot json\n';
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch/create-user?instances=local,scim&concurrency=2',
    headers: { ...bearer(KEYS.admin), 'content-type': 'application/x-ndjson' },
    payload: body,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
  const lines = res.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { IAM?: { Vendor: Json }; Batch: Json });
  const records = lines.filter((l) => l.IAM);
  assert.equal(records.length, 4, res.body);
  assert.ok(
    records.every((r) => r.IAM?.Vendor.success === true),
    res.body,
  );
  assert.deepEqual(records.map((r) => `${r.IAM?.Vendor.instanceName}:${r.Batch.line}`).sort(), [
    'local:1',
    'local:2',
    'scim:1',
    'scim:2',
  ]);
  const bad = lines.find((l) => l.Batch.line === 3);
  assert.match(String(bad?.Batch.error), /invalid JSON/);
  const actors = auditLines(setup)
    .filter((l) => l.username === 'b1')
    .map((l) => l.actor);
  assert.ok(actors.length > 0 && actors.every((a) => a === 'soar'));
});

test('a batch dry run: every record says what it would have sent, and nothing is created', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch/create-user?instances=local&dryRun=true',
    headers: { ...bearer(KEYS.admin), 'content-type': 'application/x-ndjson' },
    payload: '{"username":"dry.b1"}\n{"username":"dry.b2"}\n',
  });
  assert.equal(res.statusCode, 200, res.body);
  const vendors = res.body
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { IAM: { Vendor: Json } }).IAM.Vendor);
  assert.equal(vendors.length, 2);
  assert.ok(
    vendors.every((v) => v.skipped === true && /Dry run/.test(String(v.reason))),
    res.body,
  );
  const after = await post('/v1/instances/local/get-user', { userProfile: { username: 'dry.b1' } });
  assert.equal(vendor(after).success, false, 'not created');
});

test('/metrics counts commands by instance, command and outcome, with latency', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(KEYS.reader) });
  assert.equal(res.statusCode, 200);
  assert.match(
    res.body,
    /iam_commands_total\{instance="local",command="create-user",outcome="success"\} \d+/,
  );
  assert.match(res.body, /iam_commands_total\{instance="scim",command="get-user",outcome="failed"\} \d+/);
  assert.match(res.body, /iam_command_duration_seconds_count\{instance="scim",command="create-user"\} \d+/);
  assert.match(res.body, /# TYPE iam_retries_total counter/);
  assert.match(res.body, /# TYPE iam_rate_limited_total counter/);
});

test('GET /v1/instances lists what the key may use; /v1/brands the brands; /healthz needs no key', async () => {
  const all = await t.app.inject({ method: 'GET', url: '/v1/instances', headers: bearer(KEYS.reader) });
  assert.deepEqual(
    (all.json() as Json[]).map((i) => i.name),
    ['local', 'scim'],
  );
  const mine = await t.app.inject({ method: 'GET', url: '/v1/instances', headers: bearer(KEYS.localOnly) });
  assert.deepEqual(
    (mine.json() as Json[]).map((i) => i.name),
    ['local'],
  );
  const brands = await t.app.inject({ method: 'GET', url: '/v1/brands', headers: bearer(KEYS.reader) });
  assert.ok((brands.json() as Json[]).some((b) => Array.isArray(b.settings)));
  const health = await t.app.inject({ method: 'GET', url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
});
