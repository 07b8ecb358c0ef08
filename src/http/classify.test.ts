import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TABLE_A } from '../../test/http/vendor-errors-a.js';
import { TABLE_B } from '../../test/http/vendor-errors-b.js';
import { answer, slackHook, zoomHook } from '../../test/http/vendor-hooks.js';
import { AppError, ConflictError, NotFoundError, RateLimitedError } from '../core/errors.js';
import { type Classification, classify, type ErrorHook, errorOf, toIamError } from './classify.js';
import type { HttpResponse } from './transport.js';

const TABLE = [...TABLE_A, ...TABLE_B];

describe('classify: real vendor error bodies', () => {
  for (const [name, res, hook, kind, retryable, vendorCode] of TABLE) {
    it(`${name} -> ${kind}${retryable ? ' (retry)' : ''}`, () => {
      const c = classify(res, hook, () => 1764589990_000) as Classification;
      assert.ok(c, 'an error');
      assert.equal(c.kind, kind);
      assert.equal(c.retryable, retryable);
      if (vendorCode !== undefined) assert.equal(c.vendorCode, vendorCode);
      assert.ok(c.message.length > 0, 'the app said something and we kept it');
    });
  }

  it('a 2xx is not an error, unless the vendor hook says so', () => {
    assert.equal(classify(answer(200, { ok: true, user: {} }), slackHook), undefined);
    assert.equal(classify(answer(204, null)), undefined);
    assert.equal(classify(answer(200, { ok: false, error: 'users_not_found' }))?.kind, undefined);
  });

  it('rate-limit waits come from Retry-After, or from an epoch reset header', () => {
    const now = () => 1764589990_000;
    assert.equal(classify(answer(429, {}, { 'retry-after': '7' }), undefined, now)?.retryAfterMs, 7000);
    const gh = answer(403, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1764590000' });
    assert.equal(classify(gh, undefined, now)?.retryAfterMs, 10_000);
    const okta = answer(429, {}, { 'x-rate-limit-reset': '1764590003' });
    assert.equal(classify(okta, undefined, now)?.retryAfterMs, 13_000);
  });
});

describe('mayHaveLanded', () => {
  it('a 5xx may have landed; a 4xx or 429 did not', () => {
    assert.equal(classify(answer(504, {}))?.mayHaveLanded, true);
    assert.equal(classify(answer(500, {}))?.mayHaveLanded, true);
    assert.equal(classify(answer(409, {}))?.mayHaveLanded, false);
    assert.equal(classify(answer(429, {}))?.mayHaveLanded, false);
  });

  it('a 404 after a retried DELETE whose first answer was lost may have landed (already deleted)', () => {
    const res = {
      ...answer(404, { code: 1001, message: 'User does not exist' }),
      attempts: 2,
      mayHaveLanded: true,
    };
    const e = errorOf(res, 'DELETE users/u1', { hook: zoomHook });
    assert.ok(e instanceof NotFoundError, `expected NotFoundError, got ${String(e)}`);
    assert.equal(e.mayHaveLanded, true);
    assert.match(e.message, /\(gave up after 2 attempts\)$/);
  });
});

describe('toIamError: the error tree the core reads', () => {
  const err = (res: HttpResponse, hook?: ErrorHook, secrets: string[] = []) =>
    toIamError(classify(res, hook) as Classification, 'GET users/u1', secrets);

  it('not-found, conflict and rate-limited become their own classes; retryable and mayHaveLanded are carried', () => {
    const missing = err(answer(400, { code: 1001, message: 'User does not exist: u1.' }), zoomHook);
    assert.ok(missing instanceof NotFoundError, `expected NotFoundError, got ${String(missing)}`);
    const conflict = err(answer(409, { code: 1005, message: 'User already in the account' }), zoomHook);
    assert.ok(conflict instanceof ConflictError, `expected ConflictError, got ${String(conflict)}`);
    assert.equal(conflict.vendorCode, 1005);
    const limited = err(answer(429, { message: 'slow down' }, { 'retry-after': '3' }));
    assert.ok(limited instanceof RateLimitedError, `expected RateLimitedError, got ${String(limited)}`);
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 3000);
    const unavailable = err(answer(503, { message: 'maintenance' }));
    assert.equal(unavailable.constructor, AppError);
    assert.deepEqual(
      [unavailable.retryable, unavailable.mayHaveLanded, unavailable.status],
      [true, true, 503],
    );
  });

  it("keeps the app's words, says what to check on an auth error", () => {
    const e = err(answer(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }));
    assert.equal(
      e.message,
      'GET users/u1: Invalid token provided: check the credentials and the permissions (scopes) they grant',
    );
    assert.equal(err(answer(404, '')).message, 'GET users/u1 failed: HTTP 404');
    assert.equal(
      err(answer(502, '<html><title>502 Bad Gateway</title></html>')).message,
      'GET users/u1: 502 Bad Gateway',
    );
  });

  it('a secret an app echoes in its error is never in the message, in any encoding', () => {
    const token = 'tok-Zx9-supersecret';
    for (const echoed of [token, Buffer.from(token).toString('base64'), encodeURIComponent(token)]) {
      const e = err(answer(401, { message: `token ${echoed} is expired`, code: echoed }), undefined, [token]);
      assert.ok(!e.message.includes(echoed), e.message);
      assert.ok(!String(e.vendorCode).includes(echoed), 'the vendor code hides the secret');
      assert.match(e.message, /\[REDACTED\]/);
    }
  });
});
