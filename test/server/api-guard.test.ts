// The HTTP API's refusals by fastify inject: 401 without a valid key, 403 without the scope or the
// instance (checked before the body is read, and nothing runs), 400 problem documents of one line
// naming the field for bad bodies, 413 over the body limit; the OpenAPI document is valid OpenAPI
// 3.1 (an independent validator) and covers every route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { BODY_LIMIT } from '../../src/server/app.js';
import { auditLines, bearer, KEYS, type Setup, startApp, type TestApp, writeSetup } from './harness.js';

type Json = Record<string, unknown>;

let setup: Setup;
let t: TestApp;

before(async () => {
  setup = writeSetup();
  t = await startApp(setup);
});
after(() => t.close());

async function post(url: string, payload: unknown, headers: Record<string, string> = bearer(KEYS.admin)) {
  const type = typeof payload === 'string' ? { 'content-type': 'application/json' } : {};
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...type, ...headers },
    payload: payload as string,
  });
  return { status: res.statusCode, type: String(res.headers['content-type']), json: res.json() as Json, res };
}

function assertProblem(r: Awaited<ReturnType<typeof post>>, status: number, detail: RegExp, field?: string) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.match(r.type, /^application\/problem\+json/);
  assert.equal(r.json.status, status);
  assert.equal(typeof r.json.title, 'string');
  assert.match(String(r.json.detail), detail);
  assert.doesNotMatch(String(r.json.detail), /\n/, 'one line');
  assert.doesNotMatch(JSON.stringify(r.json), /at .*\.ts:\d+/, 'no stack');
  if (field !== undefined) assert.equal(r.json.field, field);
}

describe('keys', () => {
  const body = { userProfile: { username: 'nobody' } };
  test('no key, a wrong key, another scheme: 401 with WWW-Authenticate, before the body is read', async () => {
    for (const headers of [
      {},
      bearer('not-a-key-0000000000000000'),
      bearer(`${KEYS.admin}x`),
      { authorization: `Basic ${Buffer.from(`soar:${KEYS.admin}`).toString('base64')}` },
    ]) {
      const r = await post('/v1/instances/local/get-user', '{"not json', headers);
      assertProblem(r, 401, /API key is required/);
      assert.equal(r.res.headers['www-authenticate'], 'Bearer');
    }
  });

  test('a read key cannot write (403), can read', async () => {
    const r = await post('/v1/instances/local/create-user', body, bearer(KEYS.reader));
    assertProblem(r, 403, /"auditor" does not have the write scope/);
    const ok = await post('/v1/instances/local/get-user', body, bearer(KEYS.reader));
    assert.equal(ok.status, 200);
    assert.ok(!auditLines(setup).some((l) => l.actor === 'auditor' && l.command === 'create-user'));
  });

  test('a key limited to an instance: 403 on another, whether or not it exists; write implies read', async () => {
    const r = await post('/v1/instances/elsewhere/get-user', body, bearer(KEYS.localOnly));
    assertProblem(r, 403, /"local-bot" may not use the instance named/);
    const ok = await post('/v1/instances/local/get-user', body, bearer(KEYS.localOnly));
    assert.equal(ok.status, 200, 'write implies read');
  });

  test('fan-out: one refused instance refuses the whole request, and nothing runs', async () => {
    const r = await post(
      '/v1/create-user',
      { userProfile: { username: 'fan.refused' }, instances: ['local', 'other'] },
      bearer(KEYS.localOnly),
    );
    assertProblem(r, 403, /may not use the instance/);
    const got = await post('/v1/instances/local/get-user', { userProfile: { username: 'fan.refused' } });
    assert.equal(((got.json.IAM as Json).Vendor as Json).success, false, 'not created');
  });

  test('an unknown instance: 404 in the path, 400 naming instances in a fan-out', async () => {
    assertProblem(
      await post('/v1/instances/nope/get-user', body),
      404,
      /unknown instance "nope"/,
      'instance',
    );
    assertProblem(
      await post('/v1/get-user', { ...body, instances: ['nope'] }),
      400,
      /unknown instance/,
      'instances',
    );
  });
});

describe('bad bodies: 400, one line naming the field, nothing sent', () => {
  const at = '/v1/instances/local/create-user';
  test('not JSON', async () => {
    assertProblem(await post(at, '{"userProfile": {'), 400, /^body: not valid JSON/);
  });
  test('a JSON array, a string', async () => {
    assertProblem(await post(at, '[1]'), 400, /^body: /);
    assertProblem(await post(at, '"x"'), 400, /^body: /);
  });
  test('a missing required key', async () => {
    assertProblem(await post(at, {}), 400, /^body\.userProfile: is required/, 'userProfile');
  });
  test('an unknown key (a typo) is refused, not ignored', async () => {
    assertProblem(await post(at, { user_profile: { username: 'x' } }), 400, /user_profile/, 'user_profile');
    const get = '/v1/instances/local/get-user';
    assertProblem(await post(get, { userProfile: { username: 'x' }, dryRun: true }), 400, /dryRun/, 'dryRun');
  });
  test('a key that would reach Object.prototype is refused', async () => {
    const r = await post(at, '{"userProfile":{"username":"x","__proto__":{"admin":true}}}');
    assertProblem(r, 400, /__proto__/);
  });
  test('a profile that is not an object, a bad allowEnable, dryRun not a boolean', async () => {
    assertProblem(await post(at, { userProfile: 42 }), 400, /user-profile|userProfile/, 'userProfile');
    assertProblem(
      await post(at, { userProfile: { username: 'x' }, allowEnable: 'maybe' }),
      400,
      /allow-enable/,
      'allowEnable',
    );
    assertProblem(await post(at, { userProfile: { username: 'x' }, dryRun: 'yes' }), 400, /dryRun/, 'dryRun');
  });
  test('userProfile and scim both: refused (they could name different accounts)', async () => {
    const r = await post(at, { userProfile: { username: 'a' }, scim: { userName: 'b' } });
    assertProblem(r, 400, /not both/, 'scim');
  });
  test('group commands: scim required, ids as expected', async () => {
    assertProblem(await post('/v1/instances/local/create-group', {}), 400, /scim/, 'scim');
    assertProblem(await post('/v1/instances/local/update-group', { scim: {} }), 400, /id/);
  });
  test('a body over the limit: 413', async () => {
    const big = { userProfile: { username: 'x', title: 'y'.repeat(BODY_LIMIT) } };
    assertProblem(await post(at, big), 413, /larger than/);
  });
  test('batch: a JSON body instead of JSON Lines is 415, a bad option 400', async () => {
    const r = await post('/v1/batch/create-user?instances=local', { username: 'x' });
    assertProblem(r, 415, /JSON Lines/);
    const c = await t.app.inject({
      method: 'POST',
      url: '/v1/batch/create-user?instances=local&concurrency=0',
      headers: { ...bearer(KEYS.admin), 'content-type': 'application/x-ndjson' },
      payload: '{"username":"never"}\n',
    });
    assert.equal(c.statusCode, 400, c.body);
    assert.match(c.json().detail as string, /concurrency/);
  });
  test('no route: 404 problem', async () => {
    assertProblem(await post('/v1/instances/local/drop-table', {}), 404, /no route/);
  });
  test('none of these wrote anything', () => {
    const wrote = auditLines(setup).filter((l) => ['x', 'a', 'never'].includes(String(l.username)));
    assert.deepEqual(wrote, []);
  });
});

describe('/openapi.json', () => {
  test('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as Json;
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
  });
  test('covers every route the server answers, with the command input keys', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Json>>;
    };
    assert.ok(t.routes.length > 30, `routes found: ${t.routes.length}`);
    for (const r of t.routes) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      assert.ok(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path} is documented`);
    }
    const create = doc.paths['/v1/instances/{instance}/update-group']?.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Json } } } };
    };
    const keys = Object.keys(create.requestBody.content['application/json'].schema.properties);
    assert.deepEqual(keys.sort(), ['dryRun', 'memberIdsToAdd', 'memberIdsToDelete', 'scim']);
  });
});
