import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../core/errors.js';
import { readCsv } from './csv.js';
import type { BatchEntry } from './engine.js';

async function read(text: string | Buffer | (string | Buffer)[]): Promise<BatchEntry[]> {
  const chunks = Array.isArray(text) ? text : [text];
  const out: BatchEntry[] = [];
  for await (const e of readCsv(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)))) {
    out.push(e);
  }
  return out;
}

describe('readCsv', () => {
  test('RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', async () => {
    const entries = await read(
      'username,title,location\r\n' +
        'jdoe,"Head of R&D, EMEA","He said ""hi"""\r\n' +
        '"asmith","Two\nlines",Paris\r\n' +
        'bkim,Engineer,Oslo\r\n',
    );
    assert.deepEqual(entries, [
      { line: 2, profile: { username: 'jdoe', title: 'Head of R&D, EMEA', location: 'He said "hi"' } },
      { line: 3, profile: { username: 'asmith', title: 'Two\nlines', location: 'Paris' } },
      // Line numbers are physical lines: the record above spans two of them.
      { line: 5, profile: { username: 'bkim', title: 'Engineer', location: 'Oslo' } },
    ]);
  });

  test('a CRLF inside a quoted field counts as one line break, for every later record too', async () => {
    const entries = await read('username,title\r\nx,"a\r\nb"\r\ny,"c\r\nd\r\ne"\r\nz,f\r\n');
    assert.deepEqual(
      entries.map((e) => e.line),
      [2, 4, 7],
    );
  });

  test('mixed line endings: LF rows after a CRLF header (and the reverse) are rows, not a field holding a line break', async () => {
    // Was: the record delimiter was guessed from the header's CRLF, so a later LF stayed inside the
    // last field: 'ann,' + LF read as two fields, reported on line 1 (found by the batch fuzz test).
    assert.deepEqual(await read('username,email\r\nann,a@x.com\nbob,b@x.com\n\ncat\r\n'), [
      { line: 2, profile: { username: 'ann', email: 'a@x.com' } },
      { line: 3, profile: { username: 'bob', email: 'b@x.com' } },
      { line: 5, error: 'CSV: expected 2 fields (as in the header), got 1' },
    ]);
    assert.deepEqual(await read('username\nann\r\nbob\n'), [
      { line: 2, profile: { username: 'ann' } },
      { line: 3, profile: { username: 'bob' } },
    ]);
  });

  test('a UTF-8 BOM is dropped from the first header name; UTF-8 survives chunk cuts', async () => {
    const text = Buffer.from('\uFEFFusername,surname\nzoe,Zoë\n', 'utf8');
    const cut = text.lastIndexOf(0xc3) + 1;
    const entries = await read([text.subarray(0, cut), text.subarray(cut)]);
    assert.deepEqual(entries, [{ line: 2, profile: { username: 'zoe', surname: 'Zoë' } }]);
  });

  test('wrong field counts are error entries with their line; the rest is read', async () => {
    const entries = await read('username,email\na,a@x.com\nb\nc,c@x.com,extra\n\nd,d@x.com\n');
    assert.deepEqual(entries, [
      { line: 2, profile: { username: 'a', email: 'a@x.com' } },
      { line: 3, error: 'CSV: expected 2 fields (as in the header), got 1' },
      { line: 4, error: 'CSV: expected 2 fields (as in the header), got 3' },
      { line: 6, profile: { username: 'd', email: 'd@x.com' } },
    ]);
  });

  test('a quoting error ends the input at its line, after the good records before it', async () => {
    const entries = await read('username,title\na,ok\nb,"bad"x\nc,fine\nd,"never closed\n');
    assert.deepEqual(entries, [
      { line: 2, profile: { username: 'a', title: 'ok' } },
      {
        line: 3,
        error:
          'CSV: a closing quote must be followed by a comma or the end of the line; the rest of the input was not read',
      },
    ]);
  });

  test('a quoting error is reported on the line its row starts on, CRLFs inside quotes counted once', async () => {
    // Was: the line csv-parse stopped on (the end of the file), found by the batch fuzz test.
    const never =
      'CSV: a quoted field opened in this row is never closed; the rest of the input was not read';
    assert.deepEqual(await read('username,title\na,ok\n\nd,"never closed\nmore\n\nlast\n'), [
      { line: 2, profile: { username: 'a', title: 'ok' } },
      { line: 4, error: never },
    ]);
    assert.deepEqual(await read('username,title\r\nx,"a\r\nb"\r\n"\r\n\r\n'), [
      { line: 2, profile: { username: 'x', title: 'a\r\nb' } },
      { line: 4, error: never },
    ]);
    // A quoted field running over two CRLF lines into a bad closing quote: the row starts on line 2.
    assert.deepEqual(await read('username\r\n"\r\n\r\n"a,b"\r\n\r\n'), [
      {
        line: 2,
        error:
          'CSV: a closing quote must be followed by a comma or the end of the line; the rest of the input was not read',
      },
    ]);
  });

  test('empty cells are left out; olduserdata.<field> columns make the rename profile', async () => {
    const entries = await read('username,title,olduserdata.username\njane.doe,,jdoe\nbob,CTO,\n');
    assert.deepEqual(entries, [
      { line: 2, profile: { username: 'jane.doe', olduserdata: { username: 'jdoe' } } },
      { line: 3, profile: { username: 'bob', title: 'CTO' } },
    ]);
  });

  test('an unusable header is a UsageError naming the column', async () => {
    await assert.rejects(read('username,,email\na,b,c\n'), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /CSV header \(line 1\): column 2 has no name/);
      return true;
    });
    await assert.rejects(read('username,Username\na,b\n'), /"Username" appears twice/);
  });

  test('a row with bytes that are not UTF-8 is an error entry with its line, never U+FFFD', async () => {
    const bad = Buffer.concat([Buffer.from('b,caf'), Buffer.from([0xe9]), Buffer.from('\n')]); // latin1 é
    const entries = await read([Buffer.from('username,title\na,ok\n'), bad, Buffer.from('c,"Zoë ✓ 😀"\n')]);
    assert.deepEqual(entries, [
      { line: 2, profile: { username: 'a', title: 'ok' } },
      { line: 3, error: 'CSV: not valid UTF-8' },
      { line: 4, profile: { username: 'c', title: 'Zoë ✓ 😀' } },
    ]);
    // A real U+FFFD written as UTF-8 is a character like any other.
    assert.deepEqual(await read('username\ncaf\uFFFD\n'), [{ line: 2, profile: { username: 'caf\uFFFD' } }]);
  });

  test('a BOM cut across chunks is still dropped; a header that is not UTF-8 is a UsageError', async () => {
    const text = Buffer.from('\uFEFFusername\nann\n', 'utf8');
    const entries = await read([text.subarray(0, 1), text.subarray(1, 2), text.subarray(2)]);
    assert.deepEqual(entries, [{ line: 2, profile: { username: 'ann' } }]);
    await assert.rejects(
      read(Buffer.from([0x75, 0xff, 0x0a, 0x61, 0x0a])),
      /input: CSV header \(line 1\): not valid UTF-8/,
    );
  });
});
