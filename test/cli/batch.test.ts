// `iam batch` run as users run it: the built CLI as a process, files and stdin in, records out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  assertUsage,
  dir,
  file,
  iam,
  jsonl,
  lineOf,
  localConfig,
  profileOf,
  summary,
  vendor,
} from './batch-harness.js';

after(() => dir.cleanup());

describe('iam batch on Local', () => {
  test('JSON Lines: bad lines are reported with their numbers, the rest runs, exit 1', async () => {
    const config = localConfig();
    const input = file(
      'people.jsonl',
      `${JSON.stringify({ username: 'ann', email: 'ann@x.com' })}\n{"username": broken\n\n[1,2]\n` +
        `${JSON.stringify({ username: 'bob', title: 'CTO' })}\n`,
    );
    const r = await iam(['batch', 'create-user', '--input', input, '--config', config]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.records.map(lineOf).sort(), [1, 5]);
    for (const rec of r.records) {
      assert.deepEqual(Object.keys(rec), ['IAM', 'Batch']);
      assert.deepEqual(Object.keys(rec.IAM as object), ['Vendor', 'UserProfile']);
      assert.equal(vendor(rec).action, 'create');
      assert.equal(vendor(rec).success, true);
    }
    const err = r.stderr.trim().split('\n');
    assert.match(err[0] ?? '', /^iam: line 2: invalid JSON \(/);
    assert.equal(err[1], 'iam: line 4: user-profile: expected a JSON object, got an array');
    assert.match(
      summary(r.stderr),
      /^iam: batch done: 4 done: 2 succeeded, 0 skipped, 2 failed; 0 retried; /,
    );
    assert.equal(err.length, 3, 'no progress bar when stderr is not a terminal');

    const get = await iam(['batch', 'get-user', '--input', input, '--config', config, '--ordered']);
    assert.deepEqual(
      get.records.map((rec) => [lineOf(rec), vendor(rec).username, profileOf(rec).title ?? null]),
      [
        [1, 'ann', null],
        [5, 'bob', 'CTO'],
      ],
    );
  });

  test('CSV: quoted commas, quotes and line breaks, a BOM; a short row is reported', async () => {
    const config = localConfig();
    const csv =
      '\uFEFFusername,email,title,location\r\n' +
      'jdoe,jdoe@x.com,"Head of R&D, EMEA","He said ""hi"""\r\n' +
      'asmith,asmith@x.com,"Two\r\nlines",Paris\r\n' +
      'short,row\r\n' +
      'bkim,bkim@x.com,,Oslo\r\n';
    const input = file('people.csv', Buffer.from(csv, 'utf8'));
    const r = await iam(['batch', 'create-user', '--input', input, '--config', config, '--ordered']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      r.records.map((rec) => [lineOf(rec), profileOf(rec)]),
      [
        [2, { username: 'jdoe', email: 'jdoe@x.com', title: 'Head of R&D, EMEA', location: 'He said "hi"' }],
        [3, { username: 'asmith', email: 'asmith@x.com', title: 'Two\r\nlines', location: 'Paris' }],
        [6, { username: 'bkim', email: 'bkim@x.com', location: 'Oslo' }],
      ],
    );
    assert.match(r.stderr, /^iam: line 5: CSV: expected 4 fields \(as in the header\), got 2$/m);
    assert.match(summary(r.stderr), /4 done: 3 succeeded, 0 skipped, 1 failed/);
    const stored = await iam(['get-user', '--user-profile', '{"username":"asmith"}', '--config', config]);
    assert.equal(vendor(stored.records[0]).success, true);
    assert.equal((vendor(stored.records[0]).details as Record<string, unknown>).title, 'Two\r\nlines');
  });

  test('stdin: - reads JSON Lines, or CSV with --format csv; everything good exits 0', async () => {
    const config = localConfig();
    const r = await iam(['batch', 'create-user', '--input', '-', '--config', config], {
      stdin: jsonl([{ username: 'p1' }, { username: 'p2' }, { username: 'p3' }]),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.records.length, 3);
    assert.match(summary(r.stderr), /3 done: 3 succeeded, 0 skipped, 0 failed/);
    const csv = await iam(['batch', 'disable-user', '--input', '-', '--format', 'csv', '--config', config], {
      stdin: 'username\np1\np2\nnobody\n',
    });
    assert.equal(csv.code, 0, csv.stderr);
    assert.deepEqual(
      csv.records
        .map((rec) => [lineOf(rec), vendor(rec).action, vendor(rec).active, vendor(rec).reason])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [2, 'disable', false, ''],
        [3, 'disable', false, ''],
        [4, 'disable', null, 'User does not exist'],
      ],
    );
    assert.match(summary(csv.stderr), /3 done: 2 succeeded, 1 skipped, 0 failed/);
  });

  test('--out writes the records to a file; stdout stays empty', async () => {
    const config = localConfig();
    const out = join(dir.path, 'results.jsonl');
    const input = file('in.jsonl', jsonl([{ username: 'o1' }, { username: 'o2' }]));
    const r = await iam(['batch', 'create-user', '--input', input, '--out', out, '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => vendor(JSON.parse(l)).username).sort(), ['o1', 'o2']);
  });

  test('several instances: one record per line and instance; flags still apply', async () => {
    const config = localConfig({ alpha: '', beta: '    allowCreate: false\n' });
    const input = file('in.jsonl', jsonl([{ username: 'm1' }, { username: 'm2' }]));
    const r = await iam([
      'batch',
      'create-user',
      '--input',
      input,
      '--all-instances',
      '--ordered',
      '--config',
      config,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.records.map((rec) => [lineOf(rec), vendor(rec).instanceName, vendor(rec).skipped]),
      [
        [1, 'alpha', false],
        [1, 'beta', true],
        [2, 'alpha', false],
        [2, 'beta', true],
      ],
    );
    assert.match(summary(r.stderr), /4 done: 2 succeeded, 2 skipped, 0 failed/);
    const one = await iam(['batch', 'get-user', '--input', input, '--instance', 'beta', '--config', config]);
    assert.equal(one.code, 1);
    assert.deepEqual(
      one.records.map((rec) => [vendor(rec).instanceName, vendor(rec).errorCode]),
      [
        ['beta', 404],
        ['beta', 404],
      ],
    );
    const none = await iam(['batch', 'get-user', '--input', input, '--config', config]);
    assertUsage(none, /several instances are configured \(alpha, beta\)/);
  });
});
