import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWarRoom, warRoomToArgv } from './warroom.js';

test('war-room form becomes argv, JSON values kept whole', () => {
  const line =
    '!iam-create-user user-profile={"username": "x y", "note": "a } b"} allow-enable=false using=aws';
  assert.ok(isWarRoom([line]));
  assert.deepEqual(warRoomToArgv(line), [
    'create-user',
    '--user-profile={"username": "x y", "note": "a } b"}',
    '--allow-enable=false',
    '--instance=aws',
  ]);
});

test('member lists and quoted values', () => {
  assert.deepEqual(
    warRoomToArgv('!iam-update-group scim={"id":"1"} memberIdsToAdd=["a","b"] memberIdsToDelete="c,d"'),
    ['update-group', '--scim={"id":"1"}', '--member-ids-to-add=["a","b"]', '--member-ids-to-delete=c,d'],
  );
});

test('a value that looks like an option stays the value', () => {
  assert.deepEqual(warRoomToArgv('!iam-get-user user-profile=-V using=--help'), [
    'get-user',
    '--user-profile=-V',
    '--instance=--help',
  ]);
});

test('bad war-room input says what is wrong, on one line', () => {
  assert.throws(() => warRoomToArgv('!iam-get-user user-profile={"a":1'), /unbalanced \{/);
  assert.throws(() => warRoomToArgv('!iam-get-user bogus=1'), /unknown argument "bogus"/);
  assert.throws(() => warRoomToArgv('!iam-get-user user-profile'), /expected name=value/);
  // Object.prototype's names are not arguments.
  assert.throws(() => warRoomToArgv('!iam-get-user __proto__=1'), /unknown argument "__proto__"/);
  assert.throws(() => warRoomToArgv('!iam-get-user constructor=1'), /unknown argument "constructor"/);
  // The quoted excerpt is escaped: a newline in the input does not split the message.
  assert.throws(() => warRoomToArgv('!iam-get-user abc\ndef'), /^UsageError: .*"abc\\ndef"$/);
  assert.throws(() => warRoomToArgv('!iam---help'), /expected !iam-<command>/);
});
