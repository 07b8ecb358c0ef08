// Every form a secret may take in text is redacted: inside a longer base64 string at any byte offset
// (`Basic base64("user:" + token)`), hex in both cases, percent-encoded in both cases; and the debug
// log's 8 KiB cut comes after redaction, so a cut inside a token cannot leave most of it behind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { redact, redactText } from '../../src/core/redact.js';
import { REDACTED } from '../../src/core/secrets.js';
import { MAX_LOGGED_BODY, withHttpLog } from '../../src/http/log.js';
import { createLogger } from '../../src/log/logger.js';
import '../fuzz/report.js';

const TOKEN = 'tok_9f8e7d6c5b4a/39281706+f5e4=';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hex = (s: string) => Buffer.from(s).toString('hex');

describe('forms of a secret', () => {
  test('Basic base64(user:token): the token at byte offset 0, 1 and 2 of the encoded string', () => {
    for (const user of ['', 'u:', 'us:', 'use:', 'user:', 'admin:']) {
      for (const [encoded, label] of [
        [b64(`${user}${TOKEN}`), 'base64'],
        [Buffer.from(`${user}${TOKEN}`).toString('base64url'), 'base64url'],
        [b64(`${user}${TOKEN}\n`), 'base64 with a byte after'],
      ] as const) {
        const text = `Authorization: Basic ${encoded}; next`;
        assert.equal(
          redactText(text, [TOKEN]),
          `Authorization: Basic ${REDACTED}; next`,
          `${label} "${user}"`,
        );
      }
    }
  });

  test('base64 of the token inside a URL, its + and / percent-encoded', () => {
    const token = 'tok_>>>???~~~>>>???~~~_9f8e'; // its base64 has + and / at every offset
    for (const user of ['', 'u:', 'us:']) {
      const encoded = encodeURIComponent(b64(`${user}${token}`));
      const out = redactText(`GET /x?auth=Basic%20${encoded}&y=1`, [token]);
      const inner = encodeURIComponent(b64(`${user}${token}`).slice(4, -4));
      assert.ok(inner.includes('%2'), 'the encoded token has an escaped + or /');
      assert.equal(out.includes(inner), false, out);
      assert.match(out, /\[REDACTED\]/);
    }
  });

  test('any base64 string holding the token, wherever it sits, is redacted whole', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (before, after) => {
        const encoded = b64(`${before}${TOKEN}${after}`);
        assert.equal(redactText(`[${encoded}]`, [TOKEN]), `[${REDACTED}]`);
      }),
      { numRuns: 300 },
    );
  });

  test('hex (lower and upper case) and percent-encoding (upper and lower case)', () => {
    const pct = encodeURIComponent(TOKEN);
    const mixed = pct.replace('%2F', '%2f');
    const forms = [hex(TOKEN), hex(TOKEN).toUpperCase(), pct, pct.toLowerCase(), mixed, hex(`user:${TOKEN}`)];
    assert.ok(pct.includes('%2F') && pct.toLowerCase().includes('%2f'), 'the token has a / to encode');
    for (const form of forms) {
      const out = redactText(`the app said: ${form}!`, [TOKEN]);
      assert.equal(out.includes(form), false, out);
      assert.equal(out.includes(hex(TOKEN)) || out.toLowerCase().includes(pct.toLowerCase()), false, out);
      assert.match(out, /\[REDACTED\]!$/);
      assert.equal(JSON.stringify(redact({ detail: `x ${form}` }, [TOKEN])).includes(form), false);
    }
  });

  test('other base64 and text are left alone; secrets shorter than 4 characters are not searched', () => {
    const other = b64('an unrelated value that is long enough');
    assert.equal(redactText(`keep ${other} and tok_9f8e`, [TOKEN]), `keep ${other} and tok_9f8e`);
    assert.equal(redactText('abc abc', ['abc']), 'abc abc');
  });
});

describe('the debug log cuts a long body after redacting it', () => {
  test('a cut that falls inside the token leaves nothing of it', async () => {
    for (const short of [1, 2, 5]) {
      const lines: string[] = [];
      const logger = createLogger({ level: 'debug', write: (l) => lines.push(l), secrets: [TOKEN] });
      // {"pad":"xxx…","echo":"TOKEN","tail":…}: the cut at 8 KiB falls `short` characters before its end.
      const pad = 'x'.repeat(MAX_LOGGED_BODY + short - TOKEN.length - '{"pad":"","echo":"'.length);
      const body = { pad, echo: TOKEN, tail: 'z'.repeat(100) };
      assert.equal(JSON.stringify(body).indexOf(TOKEN) + TOKEN.length - short, MAX_LOGGED_BODY);
      const send = withHttpLog(async () => ({ status: 200, headers: {}, json: body, text: '' }), {
        logger,
        baseUrl: 'https://app.example/scim/v2',
      });
      await send({ method: 'GET', path: 'Users' });
      const answer = lines.find((l) => l.includes('"http response"')) ?? '';
      assert.match(answer, /truncated/);
      const end = answer.slice(answer.indexOf('"echo'));
      assert.equal(answer.includes(TOKEN.slice(0, -short)), false, end);
      assert.equal(answer.includes(TOKEN.slice(0, 12)), false, end);
    }
  });

  test('a logger of the caller without a secret list: the token of the Authorization header is still scrubbed', async () => {
    const { Secret } = await import('../../src/core/secrets.js');
    const lines: string[] = [];
    const pad = 'y'.repeat(MAX_LOGGED_BODY + 1 - TOKEN.length - '{"pad":"","echo":"'.length);
    const send = withHttpLog(
      async () => ({ status: 200, headers: {}, json: { pad, echo: TOKEN, tail: 'z'.repeat(100) }, text: '' }),
      {
        logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }),
        baseUrl: 'https://app.example',
        headers: { authorization: new Secret(`Bearer ${TOKEN}`) },
      },
    );
    await send({ method: 'GET', path: 'Users' });
    assert.equal(lines.join('\n').includes(TOKEN.slice(0, -1)), false);
  });
});
