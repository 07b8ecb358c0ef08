import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConflictError, NotFoundError, RateLimitedError } from '../../core/errors.js';
import { errorOf } from '../../http/classify.js';
import type { HttpResponse } from '../../http/transport.js';
import { googleErrorHook, isGoogleRateLimited } from './errors.js';

const hook = googleErrorHook('https://admin.googleapis.com', 'admin@example.com');
const google = (status: number, reason: string, message: string): HttpResponse => {
  const json = { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } };
  return { status, headers: {}, json, text: JSON.stringify(json) };
};
const errorFor = (res: HttpResponse) => errorOf(res, 'GET users/x', { hook });

test("Google's reasons become the error tree, each a one-line message in Google's words", () => {
  const missing = errorFor(google(404, 'notFound', 'Resource Not Found: userKey'));
  assert.ok(missing instanceof NotFoundError);
  assert.equal(missing.message, 'GET users/x: Resource Not Found: userKey');
  assert.ok(errorFor(google(409, 'duplicate', 'Entity already exists.')) instanceof ConflictError);
  const denied = errorFor(google(403, 'forbidden', 'Not Authorized to access this resource/api'));
  assert.match(
    denied?.message ?? '',
    /Not Authorized to access this resource\/api \(the service account acts as admin@example\.com/,
  );
  for (const reason of ['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']) {
    const res = google(403, reason, 'Quota exceeded');
    assert.ok(errorFor(res) instanceof RateLimitedError, reason);
    assert.equal(isGoogleRateLimited(hook)(res), true, reason);
  }
  assert.equal(isGoogleRateLimited(hook)(google(403, 'forbidden', 'no')), false);
  assert.ok(errorFor(google(429, 'rateLimitExceeded', 'Too many')) instanceof RateLimitedError);
  // A 400 "Domain not found." names a refused input, not a missing user.
  const domain = errorFor(google(400, 'notFound', 'Domain not found.'));
  assert.equal(domain instanceof NotFoundError, false);
  assert.equal(domain?.vendorCode, 'notFound');
});

test('a 404 without notFound (an HTML page: a wrong URL) names baseUrl, never "not found"', () => {
  const res: HttpResponse = {
    status: 404,
    headers: { 'content-type': 'text/html' },
    json: null,
    text: '<title>Error 404</title>',
  };
  const e = errorFor(res);
  assert.equal(e instanceof NotFoundError, false);
  assert.match(e?.message ?? '', /check baseUrl https:\/\/admin\.googleapis\.com/);
});
