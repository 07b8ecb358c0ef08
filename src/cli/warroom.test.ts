import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWarRoom, warRoomToArgv } from './warroom.js';

test('war-room form becomes argv, JSON values kept whole', () => {
  const line =
    '!iam-create-user user-profile={"username": "x y", "note": "a } b"} allow-enable=false using=aws';
  assert.ok(isWarRoom([line]));
  assert.deepEqual(warRoomToArgv(line), [
    'create-user',
    '--user-profile',
    '{"username": "x y", "note": "a } b"}',
    '--allow-enable',
    'false',
    '--instance',
    'aws',
  ]);
});

test('member lists and quoted values', () => {
  assert.deepEqual(
    warRoomToArgv('!iam-update-group scim={"id":"1"} memberIdsToAdd=["a","b"] memberIdsToDelete="c,d"'),
    [
      'update-group',
      '--scim',
      '{"id":"1"}',
      '--member-ids-to-add',
      '["a","b"]',
      '--member-ids-to-delete',
      'c,d',
    ],
  );
});

test('bad war-room input says what is wrong', () => {
  assert.throws(() => warRoomToArgv('!iam-get-user user-profile={"a":1'), /unbalanced \{/);
  assert.throws(() => warRoomToArgv('!iam-get-user bogus=1'), /unknown argument "bogus"/);
  assert.throws(() => warRoomToArgv('!iam-get-user user-profile'), /expected name=value/);
});
