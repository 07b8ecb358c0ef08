// The Zoom connector's Server-to-Server OAuth, paging, rate limits, settings and test() against the
// Zoom simulator: tokens refreshed before and after they expire, a wrong secret as one clear error
// that never shows it, 429 answers waited out as Zoom's Retry-After asks, over 1,000 users paged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { zoomErrorHook } from '../../src/connectors/zoom/errors.js';
import { zoomConnector, zoomSettings } from '../../src/connectors/zoom/index.js';
import type { Account } from '../../src/core/connector.js';
import { AppError, RateLimitedError } from '../../src/core/errors.js';
import { secretForms } from '../../src/core/secrets.js';
import { errorOf } from '../../src/http/classify.js';
import { withWriteControl } from '../../src/http/dry-run.js';
import { parseRetryAfter } from '../../src/http/retry.js';
import { RATE_LIMIT_HEADERS_EXAMPLE } from '../servers/zoom/fixtures.js';
import { seed, startZoom } from './zoom-support.js';

describe('Zoom auth, paging, rate limits', () => {
  test('listUsers pages 1,080 users with next_page_token across the active, inactive and pending lists', async () => {
    const h = await startZoom();
    try {
      for (let i = 0; i < 1050; i++) seed(h.sim, `u${i}@example.com`);
      for (let i = 0; i < 25; i++) seed(h.sim, `off${i}@example.com`, { status: 'inactive' });
      for (let i = 0; i < 5; i++) seed(h.sim, `inv${i}@example.com`, { status: 'pending' });
      const seen: Account[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.zoom.listUsers!({ limit: 300, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      assert.equal(seen.length, h.sim.store.users.size, 'every user once');
      assert.deepEqual(new Set(seen.map((a) => a.id)), new Set(h.sim.store.users.keys()));
      assert.equal(seen.filter((a) => !a.active).length, 25, 'only inactive users are disabled');
      const lists = h
        .api()
        .map((r) => [r.query.status, r.query.page_size, r.query.next_page_token ? 'token' : '']);
      assert.deepEqual(lists, [
        ['active', '300', ''],
        ['active', '300', 'token'],
        ['active', '300', 'token'],
        ['active', '300', 'token'],
        ['inactive', '300', ''],
        ['pending', '300', ''],
      ]);
    } finally {
      await h.close();
    }
  });

  test('a token of 1 s is fetched again before it expires, with no failure over a 2.5 s run', async () => {
    const h = await startZoom({ sim: { expiresIn: 1 } });
    try {
      const ada = seed(h.sim, 'ada@example.com');
      const started = Date.now();
      while (Date.now() - started < 2500) {
        const account = await h.zoom.getUser!(ada.id);
        assert.equal(account?.id, ada.id);
        await sleep(100);
      }
      assert.ok(h.sim.oauth.issuedCount >= 3, `tokens fetched: ${h.sim.oauth.issuedCount}`);
      assert.ok(
        h.api().every((r) => r.status === 200 || r.status === 401),
        'every call answered',
      );
    } finally {
      await h.close();
    }
  });

  test('a token Zoom calls expired (401 code 124) is fetched again once and the call sent again', async () => {
    let skew = 0;
    const h = await startZoom({ sim: { now: () => Date.now() + skew } });
    try {
      const ada = seed(h.sim, 'ada@example.com');
      assert.equal((await h.zoom.getUser!(ada.id))?.id, ada.id);
      skew = 3_601_000; // the simulator's clock passes the token's expires_in; the client's does not
      assert.equal((await h.zoom.getUser!(ada.id))?.id, ada.id);
      assert.deepEqual(
        h.api().map((r) => r.status),
        [200, 401, 200],
      );
      assert.equal(h.sim.oauth.issuedCount, 2);
    } finally {
      await h.close();
    }
  });

  test('a wrong client secret is one clear error, sent once, that never shows the secret', async () => {
    const secret = 'wrong-secret-Zx9!q';
    const h = await startZoom({ settings: { clientSecret: secret } });
    try {
      const e = await h.zoom.getUser!('abc').then(
        () => assert.fail('expected a refusal'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof AppError, 'an AppError');
      assert.match(
        e.message,
        /^token request to 127\.0\.0\.1:\d+ refused: invalid_client: check clientId\/clientSecret$/,
      );
      const basic = Buffer.from(`${h.sim.credentials.clientId}:${secret}`).toString('base64');
      for (const form of [...secretForms([secret]), basic]) assert.ok(!e.message.includes(form), 'no secret');
      assert.equal(h.sim.requests.filter((r) => r.path === '/oauth/token').length, 1, 'not retried');
      assert.equal(h.api().length, 0, 'no API call without a token');
    } finally {
      await h.close();
    }
  });

  test("429 answers are waited out as Zoom's Retry-After asks, and every call succeeds", async () => {
    const h = await startZoom({ sim: { rateLimits: { Light: 2, Medium: 1, Heavy: 1 } } });
    try {
      const ada = seed(h.sim, 'ada@example.com');
      const started = Date.now();
      const found = await Promise.all(Array.from({ length: 8 }, () => h.zoom.getUser!(ada.id)));
      assert.ok(
        found.every((a) => a?.id === ada.id),
        'all eight answered',
      );
      assert.ok(h.sim.rateLimiter.refused.Light > 0, 'the simulator refused some');
      const waits = h.retries.filter((r) => r.reason === 'HTTP 429');
      assert.ok(
        waits.length > 0 && waits.every((r) => r.delayMs === 1000),
        'Retry-After: 1 (seconds) honoured',
      );
      assert.ok(Date.now() - started >= 1000, 'the instance waited');
    } finally {
      await h.close();
    }
  });

  test('test() fetches a token and lists one user; the token is reported as a secret', async () => {
    const h = await startZoom();
    try {
      const said = await h.zoom.test!();
      assert.match(
        said,
        new RegExp(`Zoom account ${h.sim.credentials.accountId}: a token from .*oauth/token`),
      );
      assert.match(said, /GET users\?page_size=1 answered \(1 active users\)/);
      const sent = String(h.api()[0]?.headers.authorization).replace(/^Bearer /, '');
      assert.ok(
        h.reported.some((s) => s.reveal() === sent),
        'the fetched token went to onSecret',
      );
      const token = h.sim.requests.find((r) => r.path === '/oauth/token');
      assert.equal(
        token?.query.grant_type ?? new URLSearchParams(String(token?.body)).get('grant_type'),
        'account_credentials',
      );
      assert.deepEqual(await h.zoom.schema!(), zoomConnector.mappingFields);
    } finally {
      await h.close();
    }
  });

  test('dry run: the token is still fetched (token transport), writes are captured, the account is not created', async () => {
    const writes: string[] = [];
    const h = await startZoom({
      settings: { createAction: 'autoCreate' },
      wrap: (inner, baseUrl) =>
        withWriteControl(inner, {
          baseUrl,
          dryRun: true,
          onWrite: (w) => writes.push(`${w.method} ${w.path}`),
        }),
    });
    try {
      const account = await h.zoom.createUser!({ email: 'dry@example.com', dept: 'Ops' }, { active: false });
      assert.equal(account.id, 'dry-run');
      assert.equal(account.email, 'dry@example.com');
      assert.deepEqual(writes, ['POST users', 'PATCH users/dry-run', 'PUT users/dry-run/status']);
      assert.equal(
        h.sim.requests.filter((r) => r.path === '/oauth/token').length,
        1,
        'the token request went out through the token transport (not a write: not captured)',
      );
      assert.equal(h.sim.store.findUser('dry@example.com'), undefined, 'nothing created');
      assert.equal(h.api().length, 0, 'no API write reached Zoom');
      const found = await h.zoom.findUsers!({ attribute: 'email', value: 'dry@example.com' });
      assert.deepEqual(found, []);
      assert.equal(h.sim.oauth.issuedCount, 1, 'one token for the whole run');
    } finally {
      await h.close();
    }
  });

  test("Zoom's daily-limit Retry-After (a timestamp in the reference's example) is a wait, as its per-second one (seconds)", () => {
    const headers = Object.fromEntries(
      Object.entries(RATE_LIMIT_HEADERS_EXAMPLE).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const now = Date.parse('2020-05-30T23:59:00Z');
    assert.equal(
      parseRetryAfter(headers['retry-after'], now),
      60_000,
      'what the instance limiter pauses for',
    );
    const body = { code: 429, message: 'You have exceeded the daily rate limit' };
    const res = { status: 429, headers, json: body, text: JSON.stringify(body) };
    const e = errorOf(res, 'POST users', { hook: zoomErrorHook('https://api.zoom.us/v2'), now: () => now });
    assert.ok(e instanceof RateLimitedError, 'rate limited');
    assert.equal(e.retryAfterMs, 60_000);
    assert.equal(e.vendorCode, 429);
    assert.equal(parseRetryAfter('1', now), 1000);
  });

  test('settings: defaults, every setting described, unknown keys and bad values refused', () => {
    const s = zoomSettings.parse({ accountId: 'a', clientId: 'c', clientSecret: 's' });
    assert.equal(s.baseUrl, 'https://api.zoom.us/v2');
    assert.equal(s.tokenUrl, 'https://zoom.us/oauth/token');
    assert.equal(s.createAction, 'create');
    assert.equal(s.userType, 1);
    assert.equal(s.deleteAction, 'disassociate');
    assert.equal(String(s.clientSecret), '[REDACTED]');
    for (const [key, schema] of Object.entries(zoomSettings.shape))
      assert.ok(schema.description, `${key} described`);
    assert.equal(
      zoomSettings.safeParse({ accountId: 'a', clientId: 'c', clientSecret: 's', token: 'x' }).success,
      false,
    );
    assert.equal(
      zoomSettings.safeParse({ accountId: 'a', clientId: 'c', clientSecret: 's', userType: 3 }).success,
      false,
    );
    assert.equal(zoomConnector.capabilities.memberBatchSize, 30);
    assert.deepEqual(zoomConnector.capabilities.lookup, ['id', 'email']);
  });
});
