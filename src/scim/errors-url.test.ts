import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printableUrl } from './errors.js';

test('printableUrl drops credentials, query and fragment', () => {
  assert.equal(printableUrl('https://u:p4ss@h.example/scim/v2/?token=s3cret#x'), 'https://h.example/scim/v2');
  assert.equal(printableUrl('http://127.0.0.1:81/scim'), 'http://127.0.0.1:81/scim');
});
