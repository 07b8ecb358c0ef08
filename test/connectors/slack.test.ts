// The Slack brand (a SCIM profile) against the Slack simulator (test/servers/slack/): what Slack's
// differences from RFC 7644 mean for a user. DELETE deactivates, so it is reported as a disable and
// there is no delete-user; Slack's error bodies give the message; its per-minute limits are honoured.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { type SlackSimulator, startSlackSimulator } from '../servers/slack/server.js';

const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;
const person = (u: string) => ({ username: u, email: `${u}@example.com`, givenname: 'Ann', surname: 'Lee' });
const FAST = { requestsPerSecond: 10_000, burst: 1_000 };

function slack(server: SlackSimulator, extra: Record<string, unknown> = {}) {
  return createIamClient({
    config: { instances: { s: { brand: 'Slack', baseUrl: server.url, token: server.token, ...extra } } },
    env: {},
  });
}

describe('Slack: DELETE deactivates', () => {
  let server: SlackSimulator;
  before(async () => {
    server = await startSlackSimulator({ rateLimits: false });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('disable-user sends DELETE /Users/<id> and is reported as a disable: action disable, active false', async () => {
    const c = slack(server, { rateLimit: FAST });
    const created = await v(c.createUser('s', { userProfile: person('ann') }));
    const r = await v(c.disableUser('s', { userProfile: { username: 'ann' } }));
    assert.deepEqual([r.action, r.success, r.active, r.id], ['disable', true, false, created.id]);
    const del = server.requests.filter((q) => q.method === 'DELETE');
    assert.deepEqual(
      del.map((q) => [q.path, q.status]),
      [[`/scim/v2/Users/${created.id}`, 204]],
    );
    // Slack keeps the member, deactivated: it is still there, and enable-user brings it back.
    assert.equal(server.users().find((u) => u.id === created.id)?.active, false);
    const e = await v(c.enableUser('s', { userProfile: { username: 'ann' } }));
    assert.deepEqual([e.action, e.success, e.active], ['enable', true, true]);
  });

  test('delete-user is not offered: it says so and sends nothing, even with allowDelete', async () => {
    const c = slack(server, { rateLimit: FAST, allowDelete: true });
    await v(c.createUser('s', { userProfile: person('bo') }));
    const before = server.requests.length;
    const r = await v(c.deleteUser('s', { userProfile: { username: 'bo' } }));
    assert.equal(r.success, false);
    assert.match(r.errorMessage, /Slack does not support delete-user/);
    assert.equal(server.requests.length, before);
    assert.equal(server.users().length, 1, 'the member is untouched');
  });

  test("Slack's error bodies: a wrong token gives Slack's description and 401", async () => {
    const r = await v(
      slack(server, { token: 'xoxp-wrong' }).getUser('s', { userProfile: { username: 'x' } }),
    );
    assert.deepEqual([r.success, r.errorCode], [false, 401]);
    assert.match(r.errorMessage, /invalid_authentication/);
    assert.doesNotMatch(JSON.stringify(r), /xoxp-wrong/);
  });

  test('a lookup by email uses Slack\'s `email` filter; an unknown user is "User does not exist"', async () => {
    const c = slack(server, { rateLimit: FAST });
    await v(c.createUser('s', { userProfile: person('cy') }));
    const got = await v(c.getUser('s', { userProfile: { email: 'cy@example.com' } }));
    assert.deepEqual([got.success, got.username], [true, 'cy']);
    assert.ok(server.requests.some((q) => q.query.filter === 'email eq "cy@example.com"'));
    const none = await v(c.getUser('s', { userProfile: { username: 'nobody' } }));
    assert.deepEqual([none.errorCode, none.errorMessage], [404, 'User does not exist']);
  });
});

describe('Slack: per-minute rate limits', () => {
  test('429 with Retry-After is waited out: every create succeeds', async () => {
    // POST /Users at 120 a minute with bursts of 1 (Slack: 180, bursts of 20, which a busy test
    // machine may never reach) under the brand's own rate (its burst of 20 sends them all at once):
    // the simulator refuses some, the client waits as told and slows down.
    const server = await startSlackSimulator({ limits: { create: { perMinute: 120, burst: 1 } } });
    after(() => server.close());
    const c = slack(server);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => v(c.createUser('s', { userProfile: person(`rl${i}`) }))),
    );
    assert.ok(server.throttled() > 0, 'the simulator refused some requests');
    assert.deepEqual(
      results.filter((r) => !r.success).map((r) => r.errorMessage),
      [],
    );
    assert.equal(server.users().length, 10);
  });

  test("with Slack's own limit (capabilities.rateLimit), a batch stays under the limit: no 429", async () => {
    const server = await startSlackSimulator();
    after(() => server.close());
    const c = slack(server);
    for (let i = 0; i < 12; i++) await v(c.createUser('s', { userProfile: person(`own${i}`) }));
    assert.equal(server.throttled(), 0);
    assert.equal(server.users().length, 12);
  });
});
