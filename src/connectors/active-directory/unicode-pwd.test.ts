import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../core/errors.js';
import { encodeUnicodePwd, isEncrypted } from './unicode-pwd.js';

test('unicodePwd is the password in double quotes, UTF-16LE', () => {
  const v = encodeUnicodePwd('Pä$s"1', { url: 'ldaps://dc1.example.test' });
  assert.deepEqual(v, Buffer.from([0x22, 0, 0x50, 0, 0xe4, 0, 0x24, 0, 0x73, 0, 0x22, 0, 0x31, 0, 0x22, 0]));
  assert.equal(v.toString('utf16le'), '"Pä$s"1"');
});

test('over LDAPS or StartTLS only', () => {
  assert.equal(isEncrypted({ url: 'LDAPS://dc1:636' }), true);
  assert.equal(isEncrypted({ url: 'ldap://dc1', startTls: true }), true);
  assert.equal(isEncrypted({ url: 'ldap://dc1' }), false);
  assert.equal(isEncrypted({ url: 'ldap://dc1', startTls: false }), false);
});

test('on plain LDAP it refuses, says what to set, and never quotes the password', () => {
  const password = 'S3cret-Never-Shown';
  assert.throws(
    () => encodeUnicodePwd(password, { url: 'ldap://127.0.0.1:389' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /only over an encrypted connection: set url to ldaps:\/\/\.\.\. or startTls: true/,
      );
      assert.equal(e.message.includes(password), false);
      return true;
    },
  );
});
