// Named hostile answers, each with the message a user must get: truncated JSON, HTML error pages,
// an empty 200, a wrong content type, nesting too deep, silence (timeout), a reset mid-body, and
// 50 MB (refused at the transport's cap, memory bounded). Also through the CLI, as records.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IamClient } from '../../src/client.js';
import { tempDir } from '../conformance/harness.js';
import { type HostileReply, type HostileServer, startHostileServer } from '../servers/hostile-scim.js';
import { ref } from './arbitraries.js';
import { assertCleanOutcome, assertVendorRecord, iamInProcess } from './harness.js';
import {
  assertOutcome,
  COMMANDS,
  exposeGc,
  failed,
  hostileClient,
  messageOf,
  type Outcome,
  runAll,
  TOKEN,
} from './hostile-client.js';

let server: HostileServer;
const dir = tempDir('iam-hostile-');
before(async () => {
  server = await startHostileServer();
});
after(async () => {
  await server.close();
  dir.cleanup();
});
const client = (timeoutMs?: number) => hostileClient(server, timeoutMs);

describe('hostile SCIM app: named cases', () => {
  test('truncated JSON, an HTML 500/502 page, an empty 200, a wrong content type: say what came back', async () => {
    const cases: [string, HostileReply, RegExp][] = [
      [
        'truncated JSON',
        { kind: 'text', text: '{"Resources":[{"id":"u1"', contentType: 'application/scim+json' },
        /not valid JSON/,
      ],
      [
        'HTML 500',
        {
          kind: 'text',
          status: 500,
          contentType: 'text/html',
          text: '<html><head><title>Server Fault</title></head><body><pre>at x.js:1</pre></body></html>',
        },
        /HTTP 500: Server Fault/,
      ],
      [
        'HTML 502',
        {
          kind: 'text',
          status: 502,
          contentType: 'text/html',
          text: '<html><body><h1>Bad Gateway</h1></body></html>',
        },
        /HTTP 502: Bad Gateway/,
      ],
      ['empty 200', { kind: 'text', text: '' }, /the body is empty/],
      [
        'wrong content type',
        { kind: 'text', text: '{"Resources":[]}', contentType: 'text/plain' },
        /content type is "text\/plain", not JSON/,
      ],
      [
        'nesting 100,000 deep',
        {
          kind: 'text',
          text: `{"Resources":[{"id":"u1","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
          contentType: 'application/json',
        },
        /nesting deeper than 64 levels/,
      ],
      [
        'Resources: "x"',
        { kind: 'json', body: { totalResults: 1, Resources: 'x' } },
        /Resources: .*expected array/,
      ],
      [
        '__proto__ key',
        {
          kind: 'text',
          text: '{"Resources":[{"id":"u1","__proto__":{"active":false}}]}',
          contentType: 'application/json',
        },
        /"__proto__" key/,
      ],
    ];
    const c = client();
    try {
      for (const [name, r, expected] of cases) {
        server.reply = () => r;
        const all = await runAll(c, name);
        const get = all.get('get-user');
        assert.ok(failed(get), `${name}: get-user fails`);
        assert.match(messageOf(get), expected, `${name}: ${messageOf(get)}`);
        for (const [cmd, o] of all) {
          // delete-group needs no body: any 2xx is a usable answer.
          const status = r.kind === 'json' || r.kind === 'text' ? (r.status ?? 200) : 200;
          if (cmd === 'delete-group' && status < 300) continue;
          assert.ok(failed(o), `${name}: ${cmd} does not claim success on an unusable answer`);
        }
      }
    } finally {
      await c.close();
    }
  });

  test('wrong types that are still usable: read as what they mean', async () => {
    server.reply = (req) => {
      const user = { id: 'u1', userName: 5, active: 'False', emails: {}, name: 'x' };
      return req.path.includes('/')
        ? { kind: 'json', body: user }
        : { kind: 'json', body: { totalResults: -1, Resources: [user] } };
    };
    const c = client();
    try {
      const got = await c.getUser('app', { userProfile: { username: '5' } });
      assertVendorRecord(JSON.parse(JSON.stringify(got.vendor)), 'get-user');
      assert.equal(got.vendor.success, true);
      assert.equal(got.vendor.username, '5', 'a numeric userName reads as text');
      assert.equal(got.vendor.active, false, 'active "False" reads as false');
      assert.equal(got.vendor.email, null, 'emails: {} reads as no email');
    } finally {
      await c.close();
    }
  });

  test('a peer that never answers: each command ends at the timeout with a clear record', async () => {
    server.reply = () => ({ kind: 'hang' });
    const c = client(150);
    try {
      const all = await runAll(c, 'hang');
      for (const [cmd, o] of all) {
        assert.ok(failed(o), `${cmd}: fails`);
        assert.match(
          messageOf(o),
          /no answer from 127\.0\.0\.1:\d+ within 150 ms \(timeout\)/,
          `${cmd}: ${messageOf(o)}`,
        );
      }
    } finally {
      await c.close();
    }
  });

  test('a reset in the middle of the body: says the answer broke off, not "cannot reach"', async () => {
    server.reply = () => ({
      kind: 'reset',
      body: { totalResults: 1, Resources: [{ id: 'u1', userName: 'jdoe' }], pad: 'x'.repeat(20_000) },
    });
    const c = client();
    try {
      const all = await runAll(c, 'reset');
      for (const [cmd, o] of all) {
        assert.ok(failed(o), `${cmd}: fails`);
        assert.match(
          messageOf(o),
          /answer from 127\.0\.0\.1:\d+ broke off mid-body \(HTTP 200\)/,
          `${cmd}: ${messageOf(o)}`,
        );
      }
    } finally {
      await c.close();
    }
  });

  test('a 50 MB answer is refused at the cap, streamed or declared, and memory stays bounded', async () => {
    const size = 50 * 1024 * 1024;
    const huge = (declareLength: boolean): HostileReply => ({ kind: 'huge', bytes: size, declareLength });
    const c = client(20_000);
    try {
      // Warm-up: undici's parser grows its buffer once to the largest socket read; that one-time
      // growth is not what this measures (the same in a long-running process after any big read).
      server.reply = () => huge(false);
      await c.getUser('app', { userProfile: { username: 'jdoe' } });
      const gc = exposeGc();
      gc();
      const rssBefore = process.memoryUsage().rss;
      for (const declareLength of [false, true]) {
        server.reply = () => huge(declareLength);
        for (const cmd of ['get-user', 'get-group by id', 'create-group', 'test']) {
          server.hugeBytesSent = 0;
          const o = await (COMMANDS[cmd] as (c: IamClient) => Promise<Outcome>)(c);
          const label = `${cmd} (${declareLength ? 'with Content-Length' : 'chunked'})`;
          assertOutcome(o, label);
          assert.ok(failed(o), `${label}: fails`);
          assert.match(
            messageOf(o),
            /answer from 127\.0\.0\.1:\d+ is larger than 10485760 bytes/,
            `${label}: ${messageOf(o)}`,
          );
          // Reading stopped at the cap: the peer could not push the body, not even half of it.
          assert.ok(server.hugeBytesSent < size / 2, `${label}: ${server.hugeBytesSent} bytes were sent`);
        }
      }
      gc();
      const growth = process.memoryUsage().rss - rssBefore;
      // Eight answers of 50 MB each went by: what is left is far below even one of them.
      assert.ok(growth < 30 * 1024 * 1024, `rss grew ${Math.round(growth / 1024 / 1024)} MB`);
    } finally {
      await c.close();
    }
  });

  test('through the CLI: a hostile answer is a record and exit 1, never an internal error', async () => {
    const config = join(dir.path, 'iam.yaml');
    writeFileSync(
      config,
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: ${ref('env', 'HOSTILE_TOKEN')}\n    timeoutMs: 300\n`,
      { mode: 0o600 },
    );
    const env = { HOSTILE_TOKEN: TOKEN };
    const cases: [HostileReply, string[]][] = [
      [
        { kind: 'text', text: '{"Resources":[', contentType: 'application/json' },
        ['get-user', '--user-profile', '{"username":"a"}'],
      ],
      [
        { kind: 'text', status: 500, text: '<html><title>Oops</title></html>', contentType: 'text/html' },
        ['create-user', '--user-profile', '{"username":"a"}'],
      ],
      [{ kind: 'json', body: { id: {}, displayName: 5 } }, ['create-group', '--scim', '{"displayName":"G"}']],
      [{ kind: 'hang' }, ['create-group', '--scim', '{"displayName":"G"}']],
    ];
    for (const [r, args] of cases) {
      server.reply = () => r;
      const o = await iamInProcess([...args, '--config', config], { cwd: dir.path, env });
      assertCleanOutcome(o, `${r.kind} ${args[0]}`);
      assert.equal(o.code, 1, `${r.kind} ${args[0]}: exit 1 (a command ran and failed)`);
    }
  });
});
