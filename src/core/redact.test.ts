// redactedJson is the audit log's one-pass form of redactText(JSON.stringify(redact(v))): it copies a
// value only when a key or a Secret must be hidden. Every case here must give the same line as the
// two-pass form, and hide what a user would see leak otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretKey, redact, redactedJson, redactShared, redactText } from './redact.js';
import { REDACTED, Secret, SecretList } from './secrets.js';

const KNOWN = SecretList.fromValues(['tok-4f9a1c2e', 'p@ss "word" \\ 77']);

const deep = (n: number): unknown => (n === 0 ? { leaf: 'tok-4f9a1c2e' } : { next: deep(n - 1) });
const protoKeyed = JSON.parse('{"__proto__": {"polluted": "tok-4f9a1c2e"}, "ok": 1}') as unknown;

const CASES: [string, unknown][] = [
  ['nothing to hide', { command: 'create-user', target: { id: 'u1' }, n: [1, 2, null, true] }],
  ['a secret-named key', { user: { userName: 'jane', password: 'hunter22' } }],
  ['an empty secret-named key stays as is', { password: '', token: null }],
  ['a Secret instance', { auth: { header: new Secret('Bearer abcdef') } }],
  ['a PATCH op naming a secret', { Operations: [{ op: 'replace', path: 'password', value: 'n3w-pass' }] }],
  ['a known secret in a value', { echoed: 'server said tok-4f9a1c2e back' }],
  ['a known secret needing JSON escapes', { echoed: 'x p@ss "word" \\ 77 y' }],
  ['a known secret in a key', { 'tok-4f9a1c2e': 'as a key' }],
  ['base64 of a known secret', { basic: `Basic ${Buffer.from('me:tok-4f9a1c2e').toString('base64')}` }],
  ['deeper than 64 levels', deep(70)],
  ['an app __proto__ key', protoKeyed],
];

for (const [name, value] of CASES) {
  test(`redactedJson equals the two-pass redaction: ${name}`, () => {
    const twoPass = redactText(JSON.stringify(redact(value, KNOWN)), KNOWN);
    assert.equal(redactedJson(value, KNOWN), twoPass);
  });
}

for (const [name, value] of CASES) {
  test(`redactShared gives what redact gives: ${name}`, () => {
    assert.deepEqual(redactShared(value, KNOWN), redact(value, KNOWN));
  });
}

test('redactShared returns a value with nothing to hide as is, and copies one that has', () => {
  const clean = { userName: 'jane', emails: [{ value: 'jane@example.com' }], active: true };
  assert.equal(redactShared(clean, KNOWN), clean);
  const dirty = { userName: 'jane', emails: [{ value: 'tok-4f9a1c2e' }] };
  const out = redactShared(dirty, KNOWN);
  assert.notEqual(out, dirty);
  assert.deepEqual(out, { userName: 'jane', emails: [{ value: REDACTED }] });
  assert.equal(dirty.emails[0]?.value, 'tok-4f9a1c2e', 'the original is left alone');
});

test('redactedJson hides secrets by key, by type and by value', () => {
  const line = redactedJson(
    {
      user: { password: 'hunter22', apiKey: 'k-123456' },
      auth: new Secret('s3cr3t-value'),
      ops: [{ path: 'password', value: 'n3w-pass' }],
      said: 'tok-4f9a1c2e',
    },
    KNOWN,
  );
  for (const leak of ['hunter22', 'k-123456', 's3cr3t-value', 'n3w-pass', 'tok-4f9a1c2e']) {
    assert.ok(!line.includes(leak), `${leak} in ${line}`);
  }
  assert.equal(line.split(REDACTED).length - 1, 5);
});

test('redact keeps an app __proto__ key as a plain key and never pollutes Object.prototype', () => {
  const out = redact(protoKeyed, KNOWN) as Record<string, unknown>;
  assert.ok(Object.hasOwn(out, '__proto__'));
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: REDACTED });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('isSecretKey reads keys as SECRET_KEY does, and its cache stays bounded', () => {
  for (const k of [
    'password',
    'Password',
    'clientSecret',
    'x-api-key',
    'api_key',
    'refresh_token',
    'Cookie',
  ]) {
    assert.equal(isSecretKey(k), true, k);
  }
  for (const k of ['userName', 'displayName', 'emails', 'id']) assert.equal(isSecretKey(k), false, k);
  for (let i = 0; i < 10_000; i++) isSecretKey(`id-${i}`);
  assert.equal(isSecretKey('password'), true);
});
