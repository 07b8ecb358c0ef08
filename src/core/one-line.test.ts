import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControls } from './one-line.js';

test('control characters and line separators become escapes; other text is unchanged', () => {
  assert.equal(escapeControls('a\r\nb\tc\u0007d\u0085e\u2028f'), 'a\\r\\nb\\tc\\u0007d\\u0085e\\u2028f');
  assert.equal(escapeControls('plain "quoted" é 💥'), 'plain "quoted" é 💥');
});
