// The live list of secrets: a secret added after the logger, the audit log and the records were set
// up is redacted by all of them (they hold the list, not a copy), in every form; the forms are
// computed when the list grows, not on each redaction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../log/logger.js';
import { redact, redactText } from './redact.js';
import { REDACTED, SecretList } from './secrets.js';

test('a secret added later is redacted by a logger built before, in every form', () => {
  const list = SecretList.fromValues(['configured-token']);
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l), secrets: list });
  list.add('fetched-at-12345');
  const b64 = Buffer.from('fetched-at-12345').toString('base64');
  log.debug('answer', {
    body: 'you sent fetched-at-12345',
    echoed: `Basic ${b64}`,
    url: '?t=fetched-at-12345',
  });
  assert.equal(lines.length, 1);
  assert.doesNotMatch(lines[0] ?? '', /fetched-at-12345/);
  assert.ok(!(lines[0] ?? '').includes(b64), lines[0]);
  assert.equal(redactText('x fetched-at-12345 y', list), `x ${REDACTED} y`);
  assert.deepEqual(redact({ v: ['configured-token'] }, list), { v: [REDACTED] });
});

test('the forms are kept between redactions and recomputed only when a secret is added', () => {
  const list = SecretList.fromValues(['first-secret']);
  const forms = list.forms;
  redactText('first-secret', list);
  assert.equal(list.forms, forms, 'the same precomputed forms');
  list.add('first-secret');
  assert.equal(list.forms, forms, 'adding a known secret changes nothing');
  list.add('second-secret');
  assert.notEqual(list.forms, forms);
  assert.ok(list.forms.includes('second-secret'));
  assert.equal(list.map((s) => s.length) instanceof SecretList, false, 'map gives a plain array');
});
