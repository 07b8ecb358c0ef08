// Property: whatever a SCIM app answers (wrong types, wrong statuses, broken or non-JSON bodies),
// every command comes back as a record: `success: false` with a one-line errorMessage, or a
// success that really is usable. No exception, no stack. The peer is test/servers/hostile-scim.ts;
// the named cases (50 MB, silence, resets...) are in hostile-cases.test.ts.
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import type { IamClient } from '../../src/client.js';
import { type HostileReply, type HostileServer, startHostileServer } from '../servers/hostile-scim.js';
import { assertOutcome, COMMANDS, hostileClient, type Outcome } from './hostile-client.js';
import './report.js';

let server: HostileServer;
before(async () => {
  server = await startHostileServer();
});
after(() => server.close());

// Values of the wrong type for any field, and resources/lists built from them.
const weird = fc.oneof(
  fc.constantFrom('False', 'True', 'false', '', 'x', -1, 0, 1.5, null, {}, [], [null], { value: {} }),
  fc.jsonValue({ maxDepth: 2 }),
);
const resourceLike = fc.record(
  {
    id: fc.oneof(fc.constantFrom('u1', 'g1', 7), weird),
    userName: fc.oneof(fc.constant('jdoe'), weird),
    active: weird,
    emails: fc.oneof(
      weird,
      fc.array(fc.record({ value: weird, primary: weird }, { requiredKeys: [] }), { maxLength: 3 }),
    ),
    name: weird,
    displayName: weird,
    members: fc.oneof(
      weird,
      fc.array(fc.oneof(weird, fc.record({ value: weird, display: weird }, { requiredKeys: [] })), {
        maxLength: 3,
      }),
    ),
    meta: weird,
    schemas: weird,
  },
  { requiredKeys: [] },
);
const listLike = fc.record(
  {
    schemas: weird,
    totalResults: fc.oneof(fc.constantFrom(-1, 0, 1, 2, 1e9), weird),
    itemsPerPage: weird,
    startIndex: weird,
    Resources: fc.oneof(weird, fc.array(resourceLike, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const reply = (body: fc.Arbitrary<unknown>): fc.Arbitrary<HostileReply> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        body: fc.oneof({ weight: 4, arbitrary: body }, { weight: 1, arbitrary: weird }),
        status: fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 404, 409, 429, 500),
        contentType: fc.constantFrom(
          'application/scim+json',
          'application/json',
          'text/plain',
          'text/html; charset=utf-8',
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('text' as const),
        text: fc.oneof(
          body.map((b) => (JSON.stringify(b) ?? '').slice(0, -3)),
          fc.constantFrom('', ' ', 'null', '<html><title>Down</title></html>', '{"Resources":['),
          fc.string(),
        ),
        status: fc.constantFrom(200, 201, 500, 502),
      }),
    },
  );
const scenario = fc.record({
  list: reply(listLike),
  resource: reply(resourceLike),
  discovery: reply(fc.oneof(weird, fc.record({ patch: fc.record({ supported: weird }) }))),
  command: fc.constantFrom(...Object.keys(COMMANDS)),
});

describe('fuzz: hostile SCIM app', () => {
  test('wrong types, wrong statuses, broken bodies: every command answers a clean record', async () => {
    const c = hostileClient(server);
    try {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          server.reply = (req) =>
            req.path === 'ServiceProviderConfig' ? s.discovery : req.path.includes('/') ? s.resource : s.list;
          const run = COMMANDS[s.command] as (c: IamClient) => Promise<Outcome>;
          assertOutcome(await run(c), s.command);
        }),
        {
          numRuns: 250,
          examples: [
            // Each printed "Internal error: Maximum call stack size exceeded" before answers were depth-checked.
            [
              {
                list: {
                  kind: 'text',
                  text: `{"totalResults":1,"Resources":[{"id":"u1","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
                  contentType: 'application/scim+json',
                },
                resource: { kind: 'json', body: {} },
                discovery: { kind: 'json', body: {} },
                command: 'get-user',
              },
            ],
            [
              {
                list: { kind: 'json', body: { Resources: [] } },
                resource: {
                  kind: 'text',
                  text: `{"id":"g1","members":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
                  contentType: 'application/json',
                },
                discovery: { kind: 'json', body: {} },
                command: 'get-group by id',
              },
            ],
          ],
        },
      );
    } finally {
      await c.close();
    }
  });
});
