// /metrics counts what the transport did (a 429 answered, the request sent again) and the fan-out
// route keeps going when one instance cannot run (its `${env:}` reference is unset): that instance
// gets a problem document in the array, the others their records.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type FaultProxy, startFaultProxy } from '../servers/fault-proxy.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { bearer, KEYS, type Setup, startApp, type TestApp, writeSetup } from './harness.js';

type Json = Record<string, unknown>;

let scim: ScimTestServer;
let proxy: FaultProxy;
let setup: Setup;
let t: TestApp;

before(async () => {
  scim = await startScimServer();
  const base = new URL(scim.url);
  // The first lookup of each user is answered 429 (Retry-After 0), the retry goes through.
  proxy = await startFaultProxy({
    target: base.origin,
    seed: 1,
    rates: {},
    maxRetryAfterS: 0,
    decide: (method, _url, seen) => (method === 'GET' && seen === 0 ? 'throttle' : 'none'),
  });
  setup = writeSetup({ url: `${proxy.origin}${base.pathname}`, token: scim.token });
  // One more instance whose token is an unset environment variable.
  const text = readFileSync(setup.configPath, 'utf8').replace(
    'server:\n',
    `  broken:\n    brand: SCIM\n    baseUrl: http://127.0.0.1:9/scim/v2\n    token: \${env:IAM_TEST_UNSET}\nserver:\n`,
  );
  writeFileSync(setup.configPath, text);
  t = await startApp(setup);
});
after(async () => {
  await t.close();
  await proxy.close();
  await scim.close();
});

test('a 429 the transport retried is counted as a retry and as a 429 of that instance', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/instances/scim/get-user',
    headers: bearer(KEYS.admin),
    payload: { userProfile: { username: 'nobody.here' } },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(
    proxy.log.some((r) => r.fault === 'throttle'),
    'the app answered 429',
  );
  const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(KEYS.reader) });
  assert.match(metrics.body, /iam_retries_total\{instance="scim"\} 1\n/);
  assert.match(metrics.body, /iam_rate_limited_total\{instance="scim"\} 1\n/);
  assert.match(metrics.body, /iam_commands_total\{instance="scim",command="get-user",outcome="failed"\} 1\n/);
});

test('fan-out: an instance that cannot run is a problem in the array; the others answer', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/get-user',
    headers: bearer(KEYS.admin),
    payload: { userProfile: { username: 'nobody' }, instances: ['broken', 'local'] },
  });
  assert.equal(res.statusCode, 200, res.body);
  const [broken, local] = res.json() as Json[];
  assert.equal(broken?.instance, 'broken');
  assert.equal(broken?.status, 500);
  assert.match(String(broken?.detail), /IAM_TEST_UNSET is not set/);
  const vendor = (local?.IAM as { Vendor?: Json } | undefined)?.Vendor;
  assert.equal(vendor?.instanceName, 'local');
});
