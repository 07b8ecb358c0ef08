// Brand LDAP through the built CLI (dist/cli/main.js) against a real slapd: a refused bind is one
// line naming the bind DN, exit 1, the password nowhere; a dry run sends nothing; a batch of 2,000
// create-user lines all succeed (its time is printed; speed is measured by npm run bench).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PresenceFilter } from 'ldapts';
import { PEOPLE, type Slapd, startSlapd } from '../servers/slapd.js';
import { file, iam, summary, vendor } from './batch-harness.js';

/** A YAML config with one LDAP instance `dir` on the slapd (settings overridden by `extra`). */
function config(s: Slapd, extra: Record<string, unknown> = {}): string {
  const settings = { ...s.instance(), allowDelete: true, ...extra };
  const body = Object.entries(settings)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return file('iam.yaml', `instances:\n  dir:\n${body}\n`);
}

const countPeople = (s: Slapd) =>
  s.admin(async (c) => {
    const r = await c.search(PEOPLE, {
      scope: 'one',
      filter: new PresenceFilter({ attribute: 'objectClass' }),
      attributes: ['1.1'],
      paged: { pageSize: 1000 },
    });
    return r.searchEntries.length;
  });

describe('iam on LDAP (CLI)', () => {
  let s: Slapd;
  before(async () => {
    s = await startSlapd();
  });
  after(() => s.stop());
  beforeEach(() => s.reset());

  test('a wrong bind password: exit 1, "bind failed for cn=admin,...", the password in no output', async () => {
    const password = 'N0t-The-Pa55word';
    const r = await iam([
      'get-user',
      '--config',
      config(s, { password }),
      '--user-profile',
      '{"username":"ann"}',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const v = vendor(r.records[0]);
    assert.equal(v.success, false);
    assert.match(
      String(v.errorMessage),
      /^bind failed for cn=admin,dc=example,dc=org: invalid credentials \(49\)/,
    );
    assert.equal((r.stdout + r.stderr).includes(password), false, 'the password is never printed');
    assert.equal(r.stderr.includes('    at '), false, 'no stack trace');
  });

  test('--dry-run create-user reads, sends no write, and shows the add it would make', async () => {
    const profile = JSON.stringify({
      username: 'dry',
      email: 'dry@example.com',
      givenname: 'D',
      surname: 'Ry',
    });
    const r = await iam(['create-user', '--config', config(s), '--user-profile', profile, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const v = vendor(r.records[0]);
    assert.deepEqual([v.success, v.skipped, v.id], [true, true, null]);
    const writes = (v.details as { dryRun: { method: string; path: string }[] }).dryRun;
    assert.deepEqual(
      writes.map((w) => [w.method, w.path]),
      [['ADD', `uid=dry,${PEOPLE}`]],
    );
    assert.equal(await countPeople(s), 0, 'nothing was added');
  });

  test('batch create-user of 2,000 users: every one created, no failure (the time is printed, not asserted)', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({
        username: `bulk${i}`,
        email: `bulk${i}@example.com`,
        givenname: 'Bulk',
        surname: `N${i}`,
      }),
    );
    const input = file('bulk.jsonl', `${lines.join('\n')}\n`);
    const started = Date.now();
    const r = await iam(['batch', 'create-user', '--input', input, '--config', config(s), '--no-progress']);
    const took = Date.now() - started;
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.equal(r.records.length, 2000);
    const failed = r.records.map(vendor).filter((v) => v.success !== true || v.action !== 'create');
    assert.deepEqual(failed, []);
    assert.match(summary(r.stderr), /2000 succeeded, 0 skipped, 0 failed/);
    assert.equal(await countPeople(s), 2000);
    console.log(`# batch create-user of 2000 users into slapd: ${took} ms`);
  });
});
