// The SCIM quirk profile as data (src/scim/profile.ts): each value changes what goes on the wire and
// what the record says, against the test SCIM server. The brand here is declared with defineScimApp
// from a profile only, as a vendor's folder does.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { createIamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { secretSetting, urlSetting } from '../../src/core/settings.js';
import { httpConnectionSettings } from '../../src/http/settings.js';
import { defineScimApp } from '../../src/scim/app.js';
import { genericScimProfile, type ScimProfile } from '../../src/scim/profile.js';
import {
  createScimApp,
  type RecordedRequest,
  type ScimTestServer,
  startScimServer,
} from '../servers/scim-server.js';
import { listen, recordRequests, storeHandle } from '../servers/scim-support.js';

const settings = z.strictObject({
  baseUrl: urlSetting(),
  token: secretSetting(),
  ...httpConnectionSettings.shape,
});

/** A brand that is only a profile (and headers), on the shared SCIM client. */
function brand(profile: Partial<ScimProfile>, headers: Record<string, string> = {}) {
  return defineScimApp<z.output<typeof settings>>({
    brand: 'Profiled',
    description: 'a SCIM app declared by its profile',
    settings,
    profile: { ...genericScimProfile, ...profile },
    root: (s) => s.baseUrl,
    headers: () => headers,
  });
}

/**
 * The test SCIM service behind an app that refuses the next `refusals` requests with 403: GitHub's
 * rate-limit answer when `limited` (its body, `retry-after: 1`), else a plain permission refusal.
 */
async function refusingServer(): Promise<ScimTestServer & { refuse(n: number, limited: boolean): void }> {
  const requests: RecordedRequest[] = [];
  let url = '';
  let refusals = 0;
  let limited = true;
  const scim = createScimApp({ token: 'tok', patch: true, url: () => url });
  const app = express();
  app.use(recordRequests(requests));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (refusals <= 0) return next();
    refusals -= 1;
    if (limited) res.set('retry-after', '1');
    res.status(403).json({ message: limited ? 'You have exceeded a secondary rate limit.' : 'Forbidden' });
  });
  app.use('/scim/v2', scim.app);
  const server = await listen(app);
  url = `${server.origin}/scim/v2`;
  return {
    url,
    token: 'tok',
    ...storeHandle(scim, requests, server.close),
    refuse: (n, isLimited) => {
      refusals = n;
      limited = isLimited;
    },
  };
}

function client(server: ScimTestServer, def: ReturnType<typeof brand>, flags: Record<string, unknown> = {}) {
  return createIamClient({
    config: { instances: { app: { brand: def.brand, baseUrl: server.url, token: server.token, ...flags } } },
    env: {},
    registry: [def as never],
  });
}

const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;
const person = (u: string) => ({ username: u, email: `${u}@example.com`, givenname: 'Ann', surname: 'Lee' });

describe('profile: disable is a DELETE that deactivates (disable: delete)', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimServer({ deleteDeactivates: true });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('disable-user sends DELETE and reports a disable: action disable, active false, account kept', async () => {
    const c = client(server, brand({ disable: 'delete' }));
    const created = await v(c.createUser('app', { userProfile: person('ann') }));
    const r = await v(c.disableUser('app', { userProfile: { username: 'ann' } }));
    assert.deepEqual(
      [r.action, r.success, r.skipped, r.active, r.id],
      ['disable', true, false, false, created.id],
    );
    const writes = server.requests.filter((q) => q.method !== 'GET').map((q) => q.method);
    assert.deepEqual(writes, ['POST', 'DELETE']);
    const got = await v(c.getUser('app', { userProfile: { username: 'ann' } }));
    assert.deepEqual([got.success, got.active], [true, false]);
  });

  test('enable-user after it sets active true with PATCH', async () => {
    const c = client(server, brand({ disable: 'delete' }));
    await v(c.createUser('app', { userProfile: person('bo') }));
    await v(c.disableUser('app', { userProfile: { username: 'bo' } }));
    const r = await v(c.enableUser('app', { userProfile: { username: 'bo' } }));
    assert.deepEqual([r.action, r.success, r.active], ['enable', true, true]);
    const last = server.requests.filter((q) => q.method !== 'GET').at(-1);
    assert.equal(last?.method, 'PATCH');
    assert.match(JSON.stringify(last?.body), /"active"/);
  });

  test('delete-user is not offered (nothing is sent), even with allowDelete', async () => {
    const c = client(server, brand({ disable: 'delete' }), { allowDelete: true });
    await v(c.createUser('app', { userProfile: person('cy') }));
    const before = server.requests.length;
    const r = await v(c.deleteUser('app', { userProfile: { username: 'cy' } }));
    assert.equal(r.success, false);
    assert.match(r.errorMessage, /does not support delete-user/);
    assert.equal(server.requests.length, before, 'no request reached the app');
  });

  test('disable: active (the default) PATCHes active false and keeps delete-user', async () => {
    const c = client(server, brand({}), { allowDelete: true });
    await v(c.createUser('app', { userProfile: person('di') }));
    const r = await v(c.disableUser('app', { userProfile: { username: 'di' } }));
    assert.deepEqual([r.action, r.active], ['disable', false]);
    assert.equal(server.requests.filter((q) => q.method === 'DELETE').length, 0);
    const d = await v(c.deleteUser('app', { userProfile: { username: 'di' } }));
    assert.deepEqual([d.action, d.success, d.skipped], ['delete', true, false]);
  });
});

describe('profile: rate-limit statuses and required headers', () => {
  let server: Awaited<ReturnType<typeof refusingServer>>;
  before(async () => {
    server = await refusingServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('rateLimitStatuses [403]: a 403 with retry-after is waited out and retried; the command succeeds', async () => {
    const c = client(server, brand({ rateLimitStatuses: [403] }));
    await v(c.createUser('app', { userProfile: person('eve') }));
    server.refuse(1, true);
    const started = Date.now();
    const r = await v(c.getUser('app', { userProfile: { username: 'eve' } }));
    assert.deepEqual([r.success, r.username], [true, 'eve']);
    assert.ok(Date.now() - started >= 900, 'waited for retry-after');
    assert.deepEqual(
      server.requests.slice(-2).map((q) => q.status),
      [403, 200],
    );
  });

  test('without it (the default), the same 403 is an error; and a bare 403 is never retried', async () => {
    server.refuse(1, true);
    const r = await v(client(server, brand({})).getUser('app', { userProfile: { username: 'x' } }));
    assert.deepEqual([r.success, r.errorCode], [false, 403]);
    server.refuse(1, false);
    const before = server.requests.length;
    const bare = await v(
      client(server, brand({ rateLimitStatuses: [403] })).getUser('app', { userProfile: { username: 'x' } }),
    );
    assert.deepEqual([bare.success, bare.errorCode, bare.errorMessage], [false, 403, 'Forbidden']);
    assert.equal(server.requests.length, before + 1, 'one request, no retry');
  });

  test('headers declared by the app go on every request, retries included', async () => {
    const c = client(server, brand({ rateLimitStatuses: [403] }, { 'X-Api-Version': '2022-11-28' }));
    server.refuse(1, true);
    await v(c.createUser('app', { userProfile: person('fay') }));
    await v(c.disableUser('app', { userProfile: { username: 'fay' } }));
    assert.ok(server.requests.length >= 4);
    for (const q of server.requests) assert.equal(q.headers['x-api-version'], '2022-11-28', q.path);
  });
});
