import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BatchEntry } from './engine.js';
import { readJsonLines } from './jsonl.js';

async function read(chunks: (string | Uint8Array)[], maxLineBytes?: number) {
  const counter = { bytes: 0 };
  const out: BatchEntry[] = [];
  for await (const e of readJsonLines(chunks, { counter, ...(maxLineBytes ? { maxLineBytes } : {}) }))
    out.push(e);
  return { entries: out, bytes: counter.bytes };
}

describe('readJsonLines', () => {
  test('one entry per line, numbered by physical line; blank lines skipped but counted', async () => {
    const { entries, bytes } = await read(['{"username":"a"}\n\n   \n{"username":"b"}\n']);
    assert.deepEqual(entries, [
      { line: 1, profile: { username: 'a' } },
      { line: 4, profile: { username: 'b' } },
    ]);
    assert.equal(bytes, 39); // every byte, newlines included
  });

  test('lines split across chunks, even inside a multi-byte character, and CRLF', async () => {
    const text = Buffer.from('{"username":"zoë"}\r\n{"username":"b"}', 'utf8');
    const cut = text.indexOf(0xc3) + 1; // between the two bytes of ë
    const { entries } = await read([
      text.subarray(0, cut),
      text.subarray(cut, cut + 3),
      text.subarray(cut + 3),
    ]);
    assert.deepEqual(entries, [
      { line: 1, profile: { username: 'zoë' } },
      { line: 2, profile: { username: 'b' } },
    ]);
  });

  test('a UTF-8 BOM on the first line is dropped', async () => {
    const { entries } = await read([Buffer.from('\uFEFF{"username":"a"}\n', 'utf8')]);
    assert.deepEqual(entries, [{ line: 1, profile: { username: 'a' } }]);
  });

  test('unreadable lines become error entries with their numbers; later lines still come', async () => {
    const bad = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a]); // {"\xff"} : not UTF-8
    const { entries } = await read([
      '{"username":"a"}\nnot json\n',
      bad,
      '[1,2]\n{"username":"z"}\n"str"\n"{\\"username\\":\\"x\\"}"',
    ]);
    assert.equal(entries.length, 7);
    assert.deepEqual(entries[0], { line: 1, profile: { username: 'a' } });
    assert.equal(entries[1]?.line, 2);
    assert.match((entries[1] as { error: string }).error, /^invalid JSON \(/);
    assert.deepEqual(entries[2], { line: 3, error: 'not valid UTF-8' });
    // Valid JSON that is not an object is the engine's to reject (it names the field).
    assert.deepEqual(entries[3], { line: 4, profile: [1, 2] });
    assert.deepEqual(entries[4], { line: 5, profile: { username: 'z' } });
    // A JSON string, even one holding JSON, is not a profile (was: read again as JSON text, so
    // "str" was blamed for not being JSON and a quoted object ran).
    for (const e of entries.slice(5))
      assert.equal((e as { error: string }).error, 'user-profile: expected a JSON object, got a string');
  });

  test('a line over the limit is reported and skipped, without being kept', async () => {
    const long = `{"username":"${'x'.repeat(100)}"}`;
    const { entries } = await read([long.slice(0, 40), long.slice(40), '\n{"username":"ok"}\n'], 64);
    assert.deepEqual(entries, [
      { line: 1, error: 'line is longer than 64 bytes' },
      { line: 2, profile: { username: 'ok' } },
    ]);
  });

  test('the last line needs no newline; an empty input gives nothing', async () => {
    assert.deepEqual((await read(['{"a":1}'])).entries, [{ line: 1, profile: { a: 1 } }]);
    assert.deepEqual((await read([])).entries, []);
    assert.deepEqual((await read(['\n\n'])).entries, []);
  });
});
