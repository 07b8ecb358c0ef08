// ServiceNow's error answers through the REST kit's classifier with the connector's hook: one line,
// `<message>: <detail>`, the right kind of error, no secret, and a 404 that is not ServiceNow's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snowErrorHook } from '../../src/connectors/servicenow/errors.js';
import { AppError, ConflictError, NotFoundError, RateLimitedError } from '../../src/core/errors.js';
import { errorOf } from '../../src/http/classify.js';
import type { HttpResponse } from '../../src/http/transport.js';
import { NO_RECORD } from '../servers/servicenow/fixtures.js';

const URL_ = 'https://acme.service-now.com';
const hook = snowErrorHook(URL_);
function answer(status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return { status, headers, json: typeof json === 'string' ? null : json, text } as HttpResponse;
}
const err = (message: string, detail: string | null) => ({
  error: { message, detail },
  status: 'failure',
});

test('the reference 404 is not-found, with message and detail on one line', () => {
  const e = errorOf(answer(404, NO_RECORD), 'GET sys_user/abc', { hook });
  assert.ok(e instanceof NotFoundError);
  assert.equal(
    e.message,
    "GET sys_user/abc: No Record found: Record doesn't exist or ACL restricts the record retrieval",
  );
});

test('a 404 without ServiceNow\'s body names instanceUrl, and is not "not found"', () => {
  const e = errorOf(answer(404, '<html><title>Not Found</title></html>'), 'GET sys_user', { hook });
  assert.ok(e instanceof AppError && !(e instanceof NotFoundError));
  assert.match(e.message, /check instanceUrl https:\/\/acme\.service-now\.com/);
});

test('a unique key violation (403 Operation Failed) is a conflict; another 403 is an auth error with a hint', () => {
  const dup = errorOf(
    answer(
      403,
      err(
        'Operation Failed',
        "Error during insert of sys_user (ann): Unique Key violation detected by database (Duplicate entry 'ann' for key 'user_name')",
      ),
    ),
    'POST sys_user',
    { hook },
  );
  assert.ok(dup instanceof ConflictError);
  assert.equal(dup.status, 403);
  const acl = errorOf(
    answer(403, err('Operation Failed', 'ACL Exception Insert Failed due to security constraints')),
    'POST sys_user',
    { hook },
  );
  assert.ok(acl instanceof AppError && !(acl instanceof ConflictError));
  assert.match(acl.message, /ACL Exception Insert Failed .*check the credentials/);
});

test('a detail with a null message part, line breaks, or a secret: one clean line', () => {
  const e = errorOf(answer(400, err('Invalid table sys_userx', null)), 'GET sys_userx', { hook });
  assert.equal(e?.message, 'GET sys_userx: Invalid table sys_userx');
  const multi = errorOf(
    answer(400, err('Exception while reading request', 'line one\nline two s3cr3t-pw')),
    'POST sys_user',
    {
      hook,
      secrets: ['s3cr3t-pw'],
    },
  );
  assert.equal(multi?.message.includes('\n'), false);
  assert.equal(multi?.message.includes('s3cr3t-pw'), false);
});

test('a 429 is rate-limited with the wait Retry-After gives', () => {
  const e = errorOf(answer(429, err('Rate limit exceeded', null), { 'retry-after': '30' }), 'GET sys_user', {
    hook,
  });
  assert.ok(e instanceof RateLimitedError);
  assert.equal(e.retryAfterMs, 30_000);
});
