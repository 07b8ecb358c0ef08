import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.js';
import { resolveRef } from './secrets.js';

const source = (text: string) => ({ env: {}, readFile: () => text });
const ref = (path: string) => `\${file:${path}}`;
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';

test('a file reference to a PEM key or a JSON key file keeps its line breaks', () => {
  assert.equal(resolveRef(ref('/k.pem'), 'key "privateKey"', source(PEM)), PEM.trimEnd());
  const json = '{\n  "type": "service_account",\n  "private_key": "x"\n}\n';
  assert.equal(resolveRef(ref('/k.json'), 'key "serviceAccountKey"', source(json)), json.trimEnd());
});

test('a token file with a line break inside is still refused, as is a key file with another control character', () => {
  assert.throws(() => resolveRef(ref('/t'), 'key "token"', source('abc\ndef\n')), ConfigError);
  assert.throws(
    () => resolveRef(ref('/k.pem'), 'key "privateKey"', source(PEM.replace('BKcw', 'BK\u0000w'))),
    ConfigError,
  );
});
