import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRef } from './secrets.js';

const source = (files: Record<string, string>) => ({
  env: {},
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  },
});

test('a file reference to a JSON key file written over several lines reads as the same JSON on one line', () => {
  const key = { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nAB\n-----END-----\n' };
  const pretty = `${JSON.stringify(key, null, 2)}\n`;
  const value = resolveRef(
    `\${file:/k.json}`,
    'instance "g" key "serviceAccountKey"',
    source({ '/k.json': pretty }),
  );
  assert.deepEqual(JSON.parse(value), key);
  assert.equal(/[\r\n]/.test(value), false, 'one line');
});

test('a file reference to a token with a line break inside is still refused, naming the file', () => {
  assert.throws(
    () => resolveRef(`\${file:/t}`, 'instance "a" key "token"', source({ '/t': 'abc\ndef\n' })),
    /secret file \/t holds a control character/,
  );
});

test('a file reference to a PEM key keeps its line breaks; another control character in it is refused', () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
  assert.equal(resolveRef(`\${file:/k.pem}`, 'key "privateKey"', source({ '/k.pem': pem })), pem.trimEnd());
  assert.throws(
    () =>
      resolveRef(
        `\${file:/k.pem}`,
        'key "privateKey"',
        source({ '/k.pem': pem.replace('BKcw', 'BK\u0000w') }),
      ),
    /control character/,
  );
});
