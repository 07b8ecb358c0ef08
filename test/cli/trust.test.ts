// The trust issue (8) through the built CLI: an app that ignores lookup filters is warned about on
// stderr once per instance for a whole batch and never gets another account changed; a wrong
// baseUrl is a failure naming the URL, for a command and for `iam test`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ScimTestServer } from '../servers/scim-server.js';
import { create, newUser } from '../servers/scim-test-client.js';
import { startTrustServer } from '../servers/trust-scim.js';
import { dir, file, iam, vendor } from './batch-harness.js';

after(() => dir.cleanup());

const config = (baseUrl: string) =>
  file(
    'iam.yaml',
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${baseUrl}\n    token: \${env:APP_TOKEN}\n`,
  );

describe('iam against an app that ignores lookup filters', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startTrustServer({ kind: 'ignores-filter', answer: 'all' });
  });
  after(() => server.close());

  test('a batch of creates makes each account, alice untouched, one warning on stderr', async () => {
    const aliceId = await create(server, '/Users', newUser('alice', { title: 'Engineer' }));
    const names = ['bob', 'carl', 'dan', 'eve'];
    const input = file(
      'people.jsonl',
      names.map((n) => JSON.stringify({ username: n, title: 'New' })).join('\n'),
    );
    const r = await iam(
      ['batch', 'create-user', '--input', input, '--config', config(server.url), '--ordered'],
      {
        env: { APP_TOKEN: server.token },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.records.map((rec) => [vendor(rec).action, vendor(rec).success, vendor(rec).username]),
      names.map((n) => ['create', true, n]),
    );
    assert.ok(r.records.every((rec) => vendor(rec).id !== aliceId));
    assert.equal(server.users().find((u) => u.id === aliceId)?.title, 'Engineer');
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('iam: warning: '));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(
      warnings[0] ?? '',
      /^iam: warning: instance "app": .*user lookup by userName.*ignored the filter/,
    );
  });
});

describe('iam with a baseUrl where a web server answers plain 404 pages', () => {
  let server: ScimTestServer;
  let wrong: string;
  before(async () => {
    server = await startTrustServer({ kind: 'plain-404', page: 'html' });
    wrong = server.url.replace(/\/scim\/v2$/, '/scim');
  });
  after(() => server.close());

  test('disable-user fails naming the URL (exit 1), and iam test fails naming it too', async () => {
    const cfg = config(wrong);
    const env = { APP_TOKEN: server.token };
    const r = await iam(
      ['disable-user', '--user-profile', '{"id":"u-1"}', '--config', cfg, '--output', 'json'],
      {
        env,
      },
    );
    assert.equal(r.code, 1, r.stderr);
    const v = vendor(r.records[0]);
    assert.deepEqual([v.success, v.skipped, v.reason], [false, false, '']);
    assert.ok(
      String(v.errorMessage).includes(`GET ${wrong}/Users/u-1 answered HTTP 404`),
      String(v.errorMessage),
    );
    const t = await iam(['test', '--config', cfg, '--output', 'json'], { env });
    assert.notEqual(t.code, 0);
    assert.ok(`${t.stdout}${t.stderr}`.includes(`${wrong}/Users answered HTTP 404`), t.stdout + t.stderr);
    assert.ok(!`${t.stdout}${t.stderr}`.includes(server.token), 'no token in the output');
  });
});
