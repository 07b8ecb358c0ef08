import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidResponseError, NotFoundError, RateLimitedError, TransportError } from '../core/errors.js';
import type { HttpRequest, HttpResponse, Transport } from '../http/transport.js';
import { idempotentPatch, ScimClient } from './client.js';
import { eq } from './filter.js';
import { genericScimProfile, type ScimProfile } from './profile.js';

type Answer = HttpResponse | Error | ((req: HttpRequest) => HttpResponse);

/** A Transport that answers from a script and records what it was asked. */
function fake(answers: Answer[] | ((req: HttpRequest, n: number) => HttpResponse)) {
  const seen: HttpRequest[] = [];
  const transport: Transport = {
    async send(req) {
      seen.push(req);
      if (typeof answers === 'function') return answers(req, seen.length);
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${req.method} ${req.path}`);
      if (next instanceof Error) throw next;
      return typeof next === 'function' ? next(req) : next;
    },
    async close() {},
  };
  return { transport, seen };
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  json: body,
  text: JSON.stringify(body),
  headers: {},
});
const users = (ids: string[], extra: Record<string, unknown> = {}) =>
  json(200, { totalResults: 1000, itemsPerPage: ids.length, Resources: ids.map((id) => ({ id })), ...extra });
const client = (t: Transport, over: Partial<ScimProfile> = {}) =>
  new ScimClient({ transport: t, profile: { ...genericScimProfile, pageSize: 2, ...over } });

test('paging walks startIndex/count until totalResults', async () => {
  const f = fake([
    users(['a', 'b'], { totalResults: 5 }),
    users(['c', 'd'], { totalResults: 5 }),
    users(['e'], { totalResults: 5 }),
  ]);
  const found = await client(f.transport).findUsers(eq('title', 'x'));
  assert.deepEqual(
    found.map((r) => r.id),
    ['a', 'b', 'c', 'd', 'e'],
  );
  assert.deepEqual(
    f.seen.map((r) => r.path),
    [
      'Users?filter=title%20eq%20%22x%22&startIndex=1&count=2',
      'Users?filter=title%20eq%20%22x%22&startIndex=3&count=2',
      'Users?filter=title%20eq%20%22x%22&startIndex=5&count=2',
    ],
  );
});

test('paging stops on an empty page, a repeated page, bad counters, or the page cap', async () => {
  const cases: Array<[string, Answer[], number]> = [
    ['empty page', [users(['a', 'b']), users([])], 2],
    ['repeated page (startIndex ignored)', [users(['a', 'b']), users(['a', 'b'])], 2],
    ['missing totalResults', [users(['a', 'b'], { totalResults: undefined })], 1],
    ['invalid totalResults', [users(['a', 'b'], { totalResults: '7' })], 1],
    ['itemsPerPage 0', [users(['a', 'b'], { itemsPerPage: 0 })], 1],
  ];
  for (const [name, answers, requests] of cases) {
    const f = fake(answers);
    await client(f.transport).findUsers();
    assert.equal(f.seen.length, requests, name);
  }
  let n = 0;
  const endless = fake(() => users([`x${n++}`, `y${n++}`], { totalResults: 1_000_000 }));
  const found = await client(endless.transport, { maxPages: 4 }).findUsers();
  assert.equal(endless.seen.length, 4);
  assert.equal(found.length, 8);
});

test("paging 'none' sends count only, one request", async () => {
  const f = fake([users(['a', 'b'])]);
  await client(f.transport, { paging: 'none', pageSize: 50 }).findUsers(eq('userName', 'a'));
  assert.deepEqual(
    f.seen.map((r) => r.path),
    ['Users?filter=userName%20eq%20%22a%22&count=50'],
  );
});

test('getUser: ids are encoded in the path; 404 is null; other errors classified', async () => {
  const f = fake([
    json(404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'nope' }),
    json(200, { userName: 'no id' }),
    json(200, { id: 'a/b?c', userName: 'x' }),
  ]);
  const c = client(f.transport);
  assert.equal(await c.getUser('a/b?c'), null);
  await assert.rejects(c.getUser('x'), InvalidResponseError);
  assert.equal((await c.getUser('a/b?c'))?.id, 'a/b?c');
  assert.equal(f.seen[0]?.path, 'Users/a%2Fb%3Fc');
});

test('deleteGroup of a missing group is NotFoundError; PATCH 204 reads as null', async () => {
  const f = fake([json(404, { detail: 'Group gone' }), { status: 204, json: null, text: '', headers: {} }]);
  const c = client(f.transport);
  await assert.rejects(c.deleteGroup('g1'), NotFoundError);
  assert.equal(await c.patchGroup('g1', [{ op: 'add', path: 'members', value: [{ value: 'u' }] }]), null);
  assert.deepEqual(f.seen[1]?.body, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'add', path: 'members', value: [{ value: 'u' }] }],
  });
});

test('ServiceProviderConfig is read once; 404 means fallback; the profile wins', async () => {
  const spc = fake([json(200, { patch: { supported: true }, filter: { supported: true, maxResults: 200 } })]);
  const c = client(spc.transport);
  assert.equal(await c.patchSupported(), true);
  assert.equal(await c.patchSupported(), true);
  assert.deepEqual(await c.serviceProviderConfig(), {
    patch: true,
    filter: true,
    maxResults: 200,
    fallback: false,
  });
  assert.equal(spc.seen.length, 1);

  const missing = fake([json(404, { detail: 'no such endpoint' })]);
  const m = client(missing.transport);
  assert.equal(await m.patchSupported(), false);
  assert.equal((await m.serviceProviderConfig()).fallback, true);
  assert.equal(missing.seen.length, 1);

  const none = fake([]);
  assert.equal(await client(none.transport, { patch: 'always' }).patchSupported(), true);
  assert.equal(await client(none.transport, { patch: 'never' }).patchSupported(), false);
  assert.equal(none.seen.length, 0);
});

test('a network failure during discovery is thrown, and asked again next time', async () => {
  const f = fake([
    new TransportError('cannot reach h', { retryable: true }),
    json(200, { patch: { supported: true } }),
  ]);
  const c = client(f.transport);
  await assert.rejects(c.patchSupported(), TransportError);
  assert.equal(await c.patchSupported(), true);
  assert.equal(f.seen.length, 2);
});

test('PATCHes of replace ops are marked idempotent; member adds/removes, other PATCHes and POSTs are not', async () => {
  const ok = json(200, { id: 'x' });
  const f = fake([ok, ok, ok, ok, json(201, { id: 'x' })]);
  const c = client(f.transport);
  await c.patchUser('u1', [{ op: 'replace', path: 'active', value: false }]);
  await c.patchGroup('g1', [{ op: 'add', path: 'members', value: [{ value: 'u' }] }]);
  await c.patchGroup('g1', [{ op: 'remove', path: 'members[value eq "u"]' }]);
  await c.patchUser('u1', [{ op: 'add', path: 'emails', value: [{ value: 'a@example.com' }] }]);
  await c.createUser({ userName: 'x' });
  assert.deepEqual(
    f.seen.map((r) => [r.method, r.idempotent]),
    [
      ['PATCH', true],
      // A re-sent member add duplicates the member on an app that does not de-duplicate.
      ['PATCH', false],
      ['PATCH', false],
      ['PATCH', false],
      ['POST', undefined],
    ],
  );
  assert.equal(idempotentPatch([{ op: 'add', path: 'Members' }]), false);
  assert.equal(idempotentPatch([{ op: 'add', value: { members: [] } }]), false);
});

test('a DELETE retried after a lost answer that then finds nothing (404) has succeeded', async () => {
  const notFound = (extra: Partial<HttpResponse>): HttpResponse => ({
    ...json(404, { detail: 'Group g1 not found' }),
    ...extra,
  });
  const f = fake([notFound({ attempts: 2, mayHaveLanded: true }), notFound({ attempts: 2 })]);
  const c = client(f.transport);
  await c.deleteGroup('g1');
  // The earlier attempt was refused (429), not lost: this 404 means it never existed.
  await assert.rejects(c.deleteGroup('g1'), NotFoundError);
});

test('an error answer after retries says how many attempts were made', async () => {
  const f = fake([{ ...json(429, { detail: 'Rate exceeded' }), attempts: 5 }]);
  await assert.rejects(client(f.transport).getUser('u1'), (e: unknown) => {
    assert.ok(e instanceof RateLimitedError);
    assert.equal(e.message, 'Rate exceeded (gave up after 5 attempts)');
    return true;
  });
});
