// A CSV batch's header is checked once, before anything runs (issue 13 item 3): a column that is
// neither a User Profile field nor used by the instance's mapping is named once with the closest
// field (not once per record); with --strict the run stops with exit 2 and the app received nothing.
// Also: --profile-keys display applies to batch records as to single commands.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { dir, file, iam, localConfig, profileOf, vendor } from './batch-harness.js';

after(() => dir.cleanup());

const WARNING =
  /^iam: warning: instance "app": user-profile key "user_name" is not a User Profile field \(did you mean "username"\?\); it is not sent$/;

describe('CSV header against a SCIM app', () => {
  let server: ScimTestServer;
  let config: string;
  before(async () => {
    server = await startScimServer();
    config = file(
      'scim.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:T}\n`,
    );
  });
  after(() => server.close());

  const csv = (rows: number) =>
    file(
      'people.csv',
      `username,email,user_name,olduserdata.user_name\n${Array.from({ length: rows }, (_, i) => `u${i},u${i}@example.com,x${i},`).join('\n')}\n`,
    );

  test('one warning per unknown column, naming the closest field, whatever the number of rows', async () => {
    server.reset();
    const r = await iam(['batch', 'create-user', '--config', config, '--input', csv(5)], {
      env: { T: server.token },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.records.length, 5);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('iam: warning:'));
    assert.equal(warnings.length, 2, r.stderr);
    assert.match(warnings[0] ?? '', WARNING);
    assert.match(
      warnings[1] ?? '',
      /^iam: warning: instance "app": user-profile key "olduserdata.user_name" is not a User Profile field \(did you mean "username"\?\)/,
    );
    // Printed before the first record ran: the warnings come first on stderr.
    assert.ok(r.stderr.indexOf('user_name') < r.stderr.indexOf('iam: batch done'));
    assert.equal(server.users().length, 5);
  });

  test('--strict: exit 2 before anything is sent, one line naming the column', async () => {
    server.reset();
    const r = await iam(['batch', 'create-user', '--strict', '--config', config, '--input', csv(3)], {
      env: { T: server.token },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'iam: error: input: CSV header (line 1): user-profile key "user_name" is not a User Profile field (did you mean "username"?); nothing sent (--strict)',
    ]);
    assert.deepEqual(server.requests, [], 'the app received nothing');
    assert.equal(server.users().length, 0);
  });

  test('--strict with a clean header runs as usual', async () => {
    server.reset();
    const input = file('clean.csv', 'username,Email,Given Name,olduserdata.email\nv1,v1@example.com,Vi,\n');
    const r = await iam(['batch', 'create-user', '--strict', '--config', config, '--input', input], {
      env: { T: server.token },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.includes('warning'), false, r.stderr);
    assert.equal(vendor(r.records[0]).success, true);
  });
});

test('a column the mapping uses is not warned about', async () => {
  const config = localConfig({
    solo: '    mappers:\n      outgoing:\n        - {app: userName, profile: username}\n        - {app: badge, profile: badgeno}\n',
  });
  const input = file('mapped.csv', 'username,badgeno,bdgeno\nm1,42,43\n');
  const r = await iam(['batch', 'get-user', '--config', config, '--input', input]);
  assert.equal(r.records.length, 1, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('iam: warning:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0] ?? '', /key "bdgeno" is not a User Profile field \(did you mean "badgeno"\?\)/);
});

test('--profile-keys display applies to batch records', async () => {
  const config = localConfig();
  const input = file('display.jsonl', '{"username":"d1","email":"d1@example.com","givenname":"Di"}\n');
  const made = await iam(['batch', 'create-user', '--config', config, '--input', input]);
  assert.equal(made.code, 0, made.stderr);
  const r = await iam([
    'batch',
    'get-user',
    '--config',
    config,
    '--input',
    input,
    '--profile-keys',
    'display',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const shown = profileOf(r.records[0]);
  assert.deepEqual([shown.Username, shown.Email, shown['Given Name']], ['d1', 'd1@example.com', 'Di']);
  assert.equal('givenname' in shown, false);
  assert.equal((r.records[0]?.Batch as { line?: number })?.line, 1);
});

test('--strict in a JSON Lines batch: the line with an unknown key fails and nothing is sent for it', async () => {
  const config = localConfig();
  const input = file(
    'strict.jsonl',
    '{"username":"s1","email":"s1@example.com"}\n{"user_name":"s2","email":"s2@example.com"}\n',
  );
  const r = await iam([
    'batch',
    'create-user',
    '--strict',
    '--config',
    config,
    '--input',
    input,
    '--ordered',
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.records.length, 1, 'line 1 ran');
  assert.match(
    r.stderr,
    /^iam: line 2 \(solo\): user-profile key "user_name" is not a User Profile field \(did you mean "username"\?\); not sent \(--strict\)$/m,
  );
  const got = await iam(['get-user', '--config', config, '--user-profile', '{"email":"s2@example.com"}']);
  assert.equal(vendor(got.records[0]).errorCode, 404, 'nothing was created for line 2');
});
