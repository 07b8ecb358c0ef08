import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, ConflictError, NotFoundError, RateLimitedError } from '../core/errors.js';
import type { HttpResponse } from '../http/transport.js';
import { cleanText, isScimErrorBody, scimError } from './errors.js';

const res = (
  status: number,
  json: unknown,
  text = '',
  headers: Record<string, string> = {},
): HttpResponse => ({
  status,
  json,
  text: text || (json === null ? '' : JSON.stringify(json)),
  headers,
});
const err = (status: number | string, detail?: string, scimType?: string) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status,
  ...(detail === undefined ? {} : { detail }),
  ...(scimType === undefined ? {} : { scimType }),
});

test('statuses map to the error tree, with the app detail as message', () => {
  const nf = scimError(res(404, err('404', 'User abc not found')), 'GET Users/abc', []);
  assert.ok(nf instanceof NotFoundError);
  assert.equal(nf.message, 'User abc not found');

  const cf = scimError(res(409, err(409, 'userName taken', 'uniqueness')), 'POST Users', []);
  assert.ok(cf instanceof ConflictError);
  assert.equal(cf.vendorCode, 'uniqueness');

  const rl = scimError(res(429, err('429', 'slow down'), '', { 'retry-after': '7' }), 'GET Users', []);
  assert.ok(rl instanceof RateLimitedError);
  assert.equal(rl.retryAfterMs, 7000);

  const bad = scimError(res(400, err('400', undefined, 'invalidFilter')), 'GET Users', []);
  assert.ok(bad instanceof AppError);
  assert.equal(bad.status, 400);
  assert.equal(bad.vendorCode, 'invalidFilter');
  assert.equal(bad.message, 'GET Users failed: HTTP 400 (invalidFilter)');
});

test('HTML error pages become a short clean line', () => {
  const html =
    '<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body><h1>x</h1></body></html>';
  const e = scimError(res(502, null, html), 'GET Users', []);
  assert.equal(e.status, 502);
  assert.equal(e.message, 'HTTP 502: 502 Bad Gateway');
  assert.equal(scimError(res(500, null, ''), 'PATCH Users/1', []).message, 'PATCH Users/1 failed: HTTP 500');
});

test('messages are one line, secret-free and capped', () => {
  const detail = `bad token tok-SECRET-123\n\tat Foo.bar (x.js:1)\u0007 ${'y'.repeat(600)}`;
  const e = scimError(res(401, err(401, detail)), 'GET Users', ['tok-SECRET-123']);
  assert.ok(!e.message.includes('tok-SECRET-123'));
  assert.ok(!['\n', '\t', '\u0007'].some((c) => e.message.includes(c)));
  assert.ok(e.message.length <= 300);
  assert.equal(cleanText('a &amp; <b>b</b> &#65;'), 'a & b A');
});

test("SCIM 1.1 error bodies (Slack's `Errors`) are the app's own: a 404 is not found, the description is the message", () => {
  const one = { Errors: { description: 'no_such_user', code: 404 } };
  const nf = scimError(res(404, one), 'GET Users/U1', []);
  assert.ok(nf instanceof NotFoundError);
  assert.equal(nf.message, 'no_such_user');
  assert.equal(isScimErrorBody(one), true);
  const list = { Errors: [{ description: 'invalid_email', code: 400 }] };
  assert.equal(scimError(res(400, list), 'POST Users', []).message, 'invalid_email');
  assert.equal(isScimErrorBody({ Errors: 'nope' }), false);
});
