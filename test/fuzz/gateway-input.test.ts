// Property: whatever a provisioning client (or anyone holding its token) sends the SCIM gateway,
// the answer is RFC 7644's: a success, or an error status below 500 with a SCIM Error body (3.12)
// whose `detail` is one readable line. Never a 5xx, a stack trace, a hang or a polluted prototype,
// and the gateway still serves its users afterwards. Filters are generated from RFC 7644 3.4.2.2's
// grammar and broken on purpose; bodies are any JSON, SCIM-shaped or not, and text that is not JSON.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { type GatewayServer, startScimGateway } from '../servers/scim-gateway.js';
import { assertOneLineMessage } from './harness.js';
import './report.js';
import { body, listQuery, memberPatch, patchBody } from './scim-client-arbitraries.js';

const RUNS = 120;
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

let g: GatewayServer;
/** The seeded user, never written to by the properties (each PUT or PATCH gets a fresh user). */
const ANN = JSON.stringify({
  schemas: [USER_SCHEMA],
  userName: 'ann',
  emails: [{ value: 'ann@corp.example' }],
});
let userId = '';
let groupId = '';

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

/** The raw exchange: the body is sent as given (text may be anything), the answer parsed if JSON. */
async function send(method: string, path: string, body?: string): Promise<Answer> {
  const res = await fetch(`${g.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed };
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const cleanPrototype = prototypeKeys();

/** What every answer must be, whatever was asked. */
function assertScimAnswer(a: Answer, label: string): void {
  // A request line over Node's 16 KiB header limit is refused by the HTTP layer (fastify's client
  // error handler, shared by every route of the server) before the gateway sees it: 431, its body.
  if (a.status === 431) return;
  assert.ok(a.status < 500, `${label}: ${a.status} ${a.text.slice(0, 300)}`);
  assert.doesNotMatch(a.text, /\n\s+at .+:\d+:\d+/, `${label}: no stack trace`);
  if (a.status >= 400) {
    const body = a.body as Record<string, unknown> | undefined;
    assert.ok(body && typeof body === 'object', `${label}: a JSON error body: ${a.text.slice(0, 200)}`);
    assert.deepEqual(body.schemas, [ERROR_SCHEMA], `${label}: a SCIM Error: ${a.text.slice(0, 200)}`);
    assert.equal(body.status, String(a.status), `${label}: status as a string (RFC 7644 3.12)`);
    assertOneLineMessage(body.detail, label);
  } else if (a.status !== 204) {
    assert.ok(a.body && typeof a.body === 'object', `${label}: a JSON body: ${a.text.slice(0, 200)}`);
  }
  assert.equal(prototypeKeys(), cleanPrototype, `${label}: Object.prototype was changed`);
}

before(async () => {
  g = await startScimGateway({
    instances: { local: { brand: 'Local', path: ':memory:', allowDelete: true } },
    instance: 'local',
  });
  const ann = await send('POST', '/Users', ANN);
  assert.equal(ann.status, 201, ann.text);
  userId = String((ann.body as { id: string }).id);
  const group = await send('POST', '/Groups', JSON.stringify({ displayName: 'fuzzers' }));
  assert.equal(group.status, 201, group.text);
  groupId = String((group.body as { id: string }).id);
});
after(() => g.close());

let fresh = 0;
/** A user of its own for one PUT or PATCH run: what one run changes never decides the next. */
async function freshUser(): Promise<string> {
  fresh += 1;
  const emails = [{ value: `f${fresh}@corp.example`, type: 'work' }];
  const made = await send(
    'POST',
    '/Users',
    JSON.stringify({ userName: `fresh${fresh}`, emails, title: 'T' }),
  );
  assert.equal(made.status, 201, made.text);
  return String((made.body as { id: string }).id);
}

/** The seeded user is still served as it was: nothing the fuzzing sent broke the gateway. */
async function assertStillServing(): Promise<void> {
  const a = await send('GET', `/Users/${userId}`);
  assert.equal(a.status, 200, a.text);
  assert.equal((a.body as { userName: string }).userName, 'ann');
}

describe('the gateway: exact answers for what the fuzzing found', () => {
  const cases: [string, string, string, string, RegExp][] = [
    [
      'a body nested 5,000 levels (was: 500, the walk overflowed the stack)',
      'POST',
      '/Users',
      `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      /^body: not accepted: nesting deeper than 64 levels at "a\.a\.a/,
    ],
    [
      'an array nested 5,000 levels in a PUT',
      'PUT',
      '/Users/x',
      `{"userName":"deep","title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      /^body: not accepted: nesting deeper than 64 levels at "title\.0\.0/,
    ],
    [
      'a __proto__ key',
      'POST',
      '/Users',
      '{"userName":"p","name":{"__proto__":{"givenName":"x"}}}',
      /^body: not accepted: a "__proto__" key at "name"$/,
    ],
  ];
  test('a PATCH path with a newline: the detail echoes it escaped, on one line', async () => {
    const op = { op: 'add', path: 'emails[type eq ""\n].value', value: 'x' };
    const a = await send(
      'PATCH',
      `/Users/${userId}`,
      JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [op] }),
    );
    assertScimAnswer(a, 'newline path');
    assert.equal(a.status, 400, a.text);
    assert.equal(
      (a.body as Record<string, unknown>).detail,
      'path: not an attribute path: emails[type eq ""\\n].value',
    );
  });
  for (const [name, method, path, text, detail] of cases) {
    test(name, async () => {
      const a = await send(method, path, text);
      assertScimAnswer(a, name);
      assert.equal(a.status, 400, a.text);
      const body = a.body as Record<string, unknown>;
      assert.equal(body.scimType, 'invalidSyntax');
      assert.match(String(body.detail), detail);
    });
  }
});

describe('fuzz: what a SCIM client sends the gateway', () => {
  test('list queries: any filter, paging and attribute selection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/Users', '/Groups'), listQuery, async (path, q) => {
        const a = await send('GET', `${path}?${q}`);
        assertScimAnswer(a, `GET ${path}?${q.slice(0, 200)}`);
        if (a.status === 200) {
          const list = a.body as { totalResults: unknown; Resources?: unknown[] };
          assert.equal(typeof list.totalResults, 'number', `${q.slice(0, 200)}: totalResults`);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    await assertStillServing();
  });

  test('POST /Users and PUT /Users/{id}: any body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'PUT'), body, async (method, b) => {
        const path = method === 'POST' ? '/Users' : `/Users/${await freshUser()}`;
        const a = await send(method, path, b);
        assertScimAnswer(a, `${method} ${path} ${b.slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
    await assertStillServing();
  });

  test('PATCH /Users/{id}: any operations', async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, async (b) => {
        const a = await send('PATCH', `/Users/${await freshUser()}`, b);
        assertScimAnswer(a, `PATCH /Users ${b.slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
    await assertStillServing();
  });

  test('groups: POST any body, PATCH any member operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, memberPatch), fc.boolean(), async (b, post) => {
        const [method, path] = post ? ['POST', '/Groups'] : ['PATCH', `/Groups/${groupId}`];
        const a = await send(method, path, b);
        assertScimAnswer(a, `${method} ${path} ${b.slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
    const a = await send('GET', `/Groups/${groupId}`);
    assert.equal(a.status, 200, a.text);
  });
});
