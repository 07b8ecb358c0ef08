// The GitHub brand (a SCIM profile) against the GitHub EMU simulator (test/servers/github/): its
// required headers (GitHub refuses a request without them; the brand always sends them), externalId,
// suspend/unsuspend through `active`, and its primary and secondary rate limits (403 answers).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { type GithubSimulator, startGithubSimulator } from '../servers/github/server.js';

const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;
const person = (u: string, extra: Record<string, unknown> = {}) => ({
  username: u,
  email: `${u}@example.com`,
  givenname: 'Ann',
  surname: 'Lee',
  ...extra,
});
const FAST = { requestsPerSecond: 10_000, burst: 1_000 };

function github(server: GithubSimulator, extra: Record<string, unknown> = {}) {
  const instance = {
    brand: 'GitHub',
    baseUrl: server.baseUrl,
    enterprise: server.enterprise,
    token: server.token,
    ...extra,
  };
  return createIamClient({ config: { instances: { gh: instance } }, env: {} });
}

/** One raw GET with exactly these headers: what GitHub answers a client that leaves some out. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GitHub: required headers', () => {
  let server: GithubSimulator;
  before(async () => {
    server = await startGithubSimulator({ rateLimits: false });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('the simulator refuses a request without them, as GitHub does', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    const all = {
      ...auth,
      'user-agent': 'x',
      'x-github-api-version': '2022-11-28',
      accept: 'application/scim+json',
    };
    assert.equal((await rawGet(`${server.url}/Users`, all)).status, 200);
    const noAgent = await rawGet(`${server.url}/Users`, { ...all, 'user-agent': '' });
    assert.equal(noAgent.status, 403);
    assert.match(noAgent.body, /User-Agent header/);
    const { 'x-github-api-version': _v, ...noVersion } = all;
    assert.equal((await rawGet(`${server.url}/Users`, noVersion)).status, 400);
    assert.equal((await rawGet(`${server.url}/Users`, { ...all, accept: 'application/json' })).status, 415);
  });

  test('the brand always sends them: every request of create, update, disable, enable, groups, delete', async () => {
    const c = github(server, { rateLimit: FAST, allowDelete: true });
    const u = await v(c.createUser('gh', { userProfile: person('ann') }));
    await v(c.updateUser('gh', { userProfile: person('ann', { title: 'Engineer' }) }));
    await v(c.disableUser('gh', { userProfile: { username: 'ann' } }));
    await v(c.enableUser('gh', { userProfile: { username: 'ann' } }));
    const g = await c.createGroup('gh', { scim: { displayName: 'eng' } });
    const ug = await c.updateGroup('gh', { scim: { id: g.id }, memberIdsToAdd: [String(u.id)] });
    assert.equal(ug.success, true, String(ug.errorMessage));
    const d = await v(c.deleteUser('gh', { userProfile: { username: 'ann' } }));
    assert.deepEqual([d.action, d.success], ['delete', true]);
    assert.ok(server.requests.length >= 10);
    for (const q of server.requests) {
      assert.equal(q.headers['x-github-api-version'], '2022-11-28', `${q.method} ${q.path}`);
      assert.equal(q.headers.accept, 'application/scim+json', `${q.method} ${q.path}`);
      assert.ok(q.headers['user-agent'], `${q.method} ${q.path}`);
      assert.ok(q.status < 400, `${q.method} ${q.path} answered ${q.status}`);
    }
  });

  test('the generic SCIM brand on the same root is refused: the headers are what makes it work', async () => {
    const c = createIamClient({
      config: { instances: { s: { brand: 'SCIM', baseUrl: server.url, token: server.token } } },
      env: {},
    });
    const r = await v(c.getUser('s', { userProfile: { username: 'x' } }));
    assert.deepEqual([r.success, r.errorCode], [false, 400]);
    assert.match(String(r.errorMessage), /API version/);
  });

  test('suspend and unsuspend are PATCH active; externalId is employeeid, else the username', async () => {
    const c = github(server, { rateLimit: FAST });
    await v(c.createUser('gh', { userProfile: person('bo') }));
    await v(c.createUser('gh', { userProfile: person('cy', { employeeid: 'E-42' }) }));
    const ext = Object.fromEntries(server.users().map((x) => [x.userName, x.externalId]));
    assert.deepEqual(ext, { bo: 'bo', cy: 'E-42' });
    const off = await v(c.disableUser('gh', { userProfile: { username: 'bo' } }));
    assert.deepEqual([off.action, off.active], ['disable', false]);
    const patch = server.requests.filter((q) => q.method === 'PATCH').at(-1);
    assert.match(JSON.stringify(patch?.body), /"active"/);
    assert.equal(server.requests.filter((q) => q.method === 'DELETE').length, 0);
    const on = await v(c.enableUser('gh', { userProfile: { username: 'bo' } }));
    assert.deepEqual([on.action, on.active], ['enable', true]);
  });

  test('a wrong enterprise is a configuration error naming the URL, never "User does not exist"', async () => {
    const r = await v(
      github(server, { enterprise: 'nope' }).getUser('gh', { userProfile: { username: 'x' } }),
    );
    assert.equal(r.success, false);
    assert.match(String(r.errorMessage), /enterprises\/nope.*no SCIM endpoint there/);
  });
});

describe('GitHub: rate limits (403 with retry-after or x-ratelimit-remaining 0)', () => {
  test('secondary limit: content-generating requests over the limit are waited out; all succeed', async () => {
    // 3 writes a window, windows of 1 s (GitHub: 80 a minute).
    const server = await startGithubSimulator({ rateLimits: { writesPerMinute: 3, scale: 60 } });
    after(() => server.close());
    const c = github(server, { rateLimit: FAST });
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => v(c.createUser('gh', { userProfile: person(`s${i}`) }))),
    );
    assert.ok(server.throttled() > 0, 'the simulator refused some writes');
    assert.deepEqual(
      results.filter((r) => !r.success).map((r) => r.errorMessage),
      [],
    );
    assert.equal(server.users().length, 7);
    const refused = server.requests.filter((q) => q.status === 403);
    for (const q of refused)
      assert.equal(q.headers['x-github-api-version'], '2022-11-28', 'retries carry it');
  });

  test('primary limit: after x-ratelimit-remaining 0 the client waits for x-ratelimit-reset, never refused', async () => {
    // 6 requests an hour, hours of 1 s: 5 creates (10 requests) span at least two windows.
    const server = await startGithubSimulator({ rateLimits: { perHour: 6, scale: 3600 } });
    after(() => server.close());
    const c = github(server, { rateLimit: FAST });
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const r = await v(c.createUser('gh', { userProfile: person(`p${i}`) }));
      assert.equal(r.success, true, String(r.errorMessage));
    }
    assert.equal(server.throttled(), 0, 'no request was sent into an exhausted window');
    assert.ok(Date.now() - started >= 500, 'it waited for the reset');
    assert.equal(server.users().length, 5);
  });

  test('primary limit already exhausted by another client: the 403 is waited out, then the command succeeds', async () => {
    const server = await startGithubSimulator({ rateLimits: { perHour: 2, scale: 3600 } });
    after(() => server.close());
    const other = github(server, { rateLimit: FAST });
    await v(other.getUser('gh', { userProfile: { username: 'x' } }));
    await v(other.getUser('gh', { userProfile: { username: 'y' } }));
    const r = await v(github(server, { rateLimit: FAST }).createUser('gh', { userProfile: person('q') }));
    assert.equal(r.success, true, String(r.errorMessage));
    assert.ok(server.throttled() > 0, 'the first attempt was refused with 403');
  });
});
