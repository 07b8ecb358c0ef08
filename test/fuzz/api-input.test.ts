// Property: whatever a caller of the HTTP API (`iam serve`) posts to a command route, the answer is
// a record (200) or an RFC 9457 problem below 500 whose `detail` is one readable line: never a 5xx,
// a stack trace or a polluted prototype, and the server still answers afterwards. Bodies are any
// JSON, command-shaped or not, with the keys and nesting that broke other parsers here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { COMMANDS } from '../../src/commands/registry.js';
import { bearer, KEYS, type Setup, startApp, type TestApp, writeSetup } from '../server/harness.js';
import { anyText, deepJsonText, hugeText, idListArgument, TRICKY_KEYS, trickyObject } from './arbitraries.js';
import { assertOneLineMessage } from './harness.js';
import './report.js';

const RUNS = 150;
let setup: Setup;
let t: TestApp;

before(async () => {
  setup = writeSetup();
  t = await startApp(setup);
});
after(async () => {
  await t.close();
});

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const cleanPrototype = prototypeKeys();

const command = fc.constantFrom(...COMMANDS.filter((c) => c.name !== 'test').map((c) => c.name));
const profile = fc.oneof(
  trickyObject,
  fc.record(
    {
      username: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue()),
      email: anyText,
      id: fc.oneof(anyText, fc.jsonValue()),
      givenname: anyText,
      title: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const body = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record(
        {
          userProfile: profile,
          scim: fc.oneof(trickyObject, fc.record({ id: anyText, displayName: anyText }), fc.jsonValue()),
          memberIdsToAdd: fc.oneof(idListArgument, fc.jsonValue()),
          memberIdsToDelete: fc.oneof(idListArgument, fc.jsonValue()),
          allowEnable: fc.jsonValue(),
          strict: fc.jsonValue(),
          dryRun: fc.jsonValue(),
          instances: fc.oneof(fc.array(anyText, { maxLength: 3 }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      )
      .chain((b) => trickyObject.map((extra) => JSON.stringify({ ...extra, ...b }))),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: deepJsonText },
  {
    weight: 1,
    arbitrary: hugeText.map((s) => JSON.stringify({ userProfile: { username: s.slice(0, 200_000) } })),
  },
);
const route = fc.oneof(
  command.map((c) => `/v1/instances/local/${c}`),
  command.map((c) => `/v1/${c}`),
  fc
    .tuple(fc.constantFrom(...TRICKY_KEYS, 'nope', '%00', '..'), command)
    .map(([i, c]) => `/v1/instances/${i}/${c}`),
);

describe('fuzz: what a caller posts to the HTTP API', () => {
  test('any body on any command route answers a record or a one-line problem', async () => {
    await fc.assert(
      fc.asyncProperty(route, body, async (url, payload) => {
        const label = `POST ${url} ${payload.slice(0, 200)}`;
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { ...bearer(KEYS.admin), 'content-type': 'application/json' },
          payload,
        });
        assert.ok(res.statusCode < 500, `${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        assert.doesNotMatch(res.body, /\n\s+at .+:\d+:\d+/, `${label}: no stack trace`);
        const json = JSON.parse(res.body) as Record<string, unknown>;
        if (res.statusCode >= 400) {
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/, label);
          assert.equal(json.status, res.statusCode, label);
          assertOneLineMessage(json.detail, label);
        } else {
          // A command's record (IAM.Vendor / IAM.Group), or get-mapping-fields' answer.
          assert.ok(typeof json === 'object' && json !== null, `${label}: ${res.body.slice(0, 200)}`);
          if (!url.endsWith('get-mapping-fields'))
            assert.ok('IAM' in json, `${label}: ${res.body.slice(0, 200)}`);
        }
        assert.equal(prototypeKeys(), cleanPrototype, `${label}: Object.prototype was changed`);
      }),
      { numRuns: RUNS },
    );
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, health.body);
  });
});
