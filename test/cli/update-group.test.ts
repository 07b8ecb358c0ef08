// `iam update-group` as a process against an app that stores part of a member add, answers 500 and
// does not de-duplicate members: the printed record must equal what the app holds afterwards.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { runCli } from '../security/run-cli.js';
import { startMemberPeer } from '../servers/member-peer.js';
import { create, newUser } from '../servers/scim-test-client.js';

test('iam update-group after a partial 500: the record lists what the app holds, each member once', async () => {
  const dir = tempDir('iam-update-group-');
  after(() => dir.cleanup());
  const peer = await startMemberPeer({ dedupe: false, partialFailure: { applied: 30, times: 1 } });
  after(() => peer.close());
  const ids = await Promise.all(
    Array.from({ length: 60 }, (_, i) => create(peer, '/Users', newUser(`c${i}`))),
  );
  const groupId = await create(peer, '/Groups', { displayName: 'CLI members' });
  const config = join(dir.path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${peer.url}\n    token: \${env:T}\n    retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 5}\n`,
  );
  const run = await runCli(
    [
      'update-group',
      '--config',
      config,
      '--scim',
      JSON.stringify({ id: groupId }),
      '--member-ids-to-add',
      JSON.stringify([...ids, 'no-such-user']),
    ],
    {
      env: {
        T: peer.token,
        HOME: dir.path,
        XDG_DATA_HOME: join(dir.path, 'xdg'),
        IAM_AUDIT_LOG: join(dir.path, 'audit.log'),
      },
      cwd: dir.path,
    },
  );
  assert.equal(run.code, 1, run.stderr);
  const line = run.stdout.split('\n').find((l) => l.startsWith('{"UpdateGroup"'));
  const rec = (JSON.parse(line ?? '{}') as { UpdateGroup: Record<string, unknown> }).UpdateGroup;
  const details = rec.details as {
    added: string[];
    failed: { id: string; errorCode: unknown }[];
    uncertain: unknown[];
  };
  const stored = peer.memberIds(groupId);
  assert.deepEqual(details.added, ids);
  assert.deepEqual([...stored].sort(), [...ids].sort());
  assert.equal(stored.length, 60, 'no member stored twice');
  assert.deepEqual(
    details.failed.map((f) => [f.id, f.errorCode]),
    [['no-such-user', 400]],
  );
  assert.deepEqual(details.uncertain, []);
  assert.match(String(rec.errorMessage), /^1 of 61 member changes failed: .*no-such-user/);
});
