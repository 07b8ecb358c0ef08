import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret } from '../core/secrets.js';
import { createLogger } from '../log/logger.js';
import { syntheticResponse } from './dry-run.js';
import { logBody, logHeaders, logUrl, withHttpLog } from './log.js';

describe('http log helpers', () => {
  test('credential headers and secret-named headers are redacted, others kept', () => {
    const h = logHeaders(
      { Authorization: new Secret('Bearer abc'), Accept: 'application/json' },
      { cookie: 'a=b', 'Proxy-Authorization': 'Basic x', 'X-Api-Key': 'k', 'set-cookie': 's=1' },
    );
    assert.deepEqual(h, {
      authorization: '[REDACTED]',
      accept: 'application/json',
      cookie: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'set-cookie': '[REDACTED]',
    });
  });

  test('URL: secret-named query parameters and user info are redacted', () => {
    const url = logUrl(new URL('https://u:p@app.example/scim?api_key=k1&filter=x'));
    assert.equal(url.includes('k1') || url.includes(':p@'), false, url);
    assert.match(url, /filter=x/);
  });

  test('bodies: short ones stay JSON, long ones are cut and marked', () => {
    assert.deepEqual(logBody({ a: 1, token: 't' }), { a: 1, token: '[REDACTED]' });
    assert.equal(logBody(''), undefined);
    assert.match(
      String(logBody({ x: 'y'.repeat(100) }, 20)),
      /^.{20}… \(truncated, \d+ characters in all\)$/,
    );
  });

  test('withHttpLog: a request line and a response line with status and duration; nothing when not debug', async () => {
    const lines: string[] = [];
    const send = withHttpLog(async () => ({ status: 204, headers: {}, json: null, text: '' }), {
      logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }),
      baseUrl: 'https://app.example/scim/v2/',
    });
    await send({ method: 'DELETE', path: 'Groups/g1' });
    const [req, res] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(req?.msg, 'http request');
    assert.equal(req?.url, 'https://app.example/scim/v2/Groups/g1');
    assert.equal(res?.status, 204);
    assert.equal(typeof res?.durationMs, 'number');
    const quiet: string[] = [];
    const send2 = withHttpLog(async () => ({ status: 200, headers: {}, json: null, text: '' }), {
      logger: createLogger({ level: 'warn', write: (l) => quiet.push(l) }),
      baseUrl: 'https://app.example',
    });
    await send2({ method: 'GET', path: 'Users' });
    assert.deepEqual(quiet, []);
  });
});

describe('dry-run synthetic responses', () => {
  test('POST 201 with the body and id "dry-run"; PUT 200 with the path id; PATCH and DELETE 204', () => {
    assert.deepEqual(syntheticResponse({ method: 'POST', path: 'Users', body: { userName: 'a' } }).json, {
      userName: 'a',
      id: 'dry-run',
    });
    const put = syntheticResponse({ method: 'PUT', path: 'Users/a%20b', body: { userName: 'a' } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { userName: 'a', id: 'a b' });
    assert.equal(syntheticResponse({ method: 'PATCH', path: 'Users/1', body: {} }).status, 204);
    assert.equal(syntheticResponse({ method: 'DELETE', path: 'Groups/1' }).status, 204);
  });
});
