import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRef, type SecretSource } from './secrets.js';

const source = (files: Record<string, string>): SecretSource => ({
  env: {},
  readFile: (name: string) => {
    const text = files[name];
    if (text === undefined) throw Object.assign(new Error('no'), { code: 'ENOENT' });
    return text;
  },
});

test(`\${file:} of a PEM file keeps its line breaks; other multi-line files are still refused`, () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
  const files = { 'key.pem': pem, 'token.txt': 'abc\ndef\n', 'bell.pem': pem.replace('MIIE', 'MI\u0007IE') };
  assert.equal(resolveRef(`\${file:key.pem}`, 'k', source(files)), pem.trimEnd());
  assert.throws(() => resolveRef(`\${file:token.txt}`, 'k', source(files)), /control character/);
  assert.throws(() => resolveRef(`\${file:bell.pem}`, 'k', source(files)), /control character/);
});
