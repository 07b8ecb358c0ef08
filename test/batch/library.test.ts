// runBatch / runBatchEntries as a library user calls them: against Local (SQLite files) and the
// loopback SCIM server, checking records, line numbers, ordering, bounded reading and the wire.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Transport } from '../../src/http/transport.js';
import { createHttpTransport } from '../../src/http/undici-transport.js';
import {
  type BatchItem,
  type BatchResult,
  createIamClient,
  type IamClient,
  runBatch,
  runBatchEntries,
  UsageError,
} from '../../src/index.js';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';

const dir = tempDir('iam-batch-lib-');
after(() => dir.cleanup());
let dbs = 0;

function localClient(names: string[] = ['a']): IamClient {
  const instances = Object.fromEntries(
    names.map((n) => [n, { brand: 'Local', path: join(dir.path, `${n}-${++dbs}.db`) }]),
  );
  return createIamClient({ config: { instances }, env: {} });
}

async function collect(items: AsyncIterable<BatchItem>): Promise<BatchItem[]> {
  const out: BatchItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const results = (items: BatchItem[]) => items.filter((i): i is BatchResult => i.kind === 'result');
const person = (i: number) => ({ username: `user${i}`, email: `user${i}@example.com`, givenname: 'Jo' });

/** A source that counts how far it has been read. */
function counted<T>(values: T[]) {
  const state = { pulled: 0, closed: false };
  async function* gen() {
    try {
      for (const v of values) {
        state.pulled += 1;
        yield v;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: gen() };
}

describe('runBatch on Local', () => {
  test('every profile gives one record, numbered by its position, same as the single command', async () => {
    const iam = localClient();
    try {
      const items = await collect(
        runBatch(
          iam,
          { command: 'create-user', instances: ['a'] },
          Array.from({ length: 30 }, (_, i) => person(i)),
        ),
      );
      assert.equal(items.length, 30);
      assert.deepEqual(
        items.map((i) => i.line).sort((x, y) => x - y),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      for (const item of results(items)) {
        assert.equal(item.result.vendor.action, 'create');
        assert.equal(item.result.vendor.success, true);
        assert.equal(item.result.userProfile.username, `user${item.line - 1}`);
        assert.equal(item.retries, 0);
      }
      const again = await iam.getUser('a', { userProfile: { username: 'user29' } });
      assert.equal(again.vendor.success, true);
    } finally {
      await iam.close();
    }
  });

  test('entries that are not JSON objects are error items with their line; the rest runs', async () => {
    const iam = localClient();
    try {
      const items = await collect(
        runBatch(iam, { command: 'create-user', instances: ['a'] }, [
          person(1),
          'not json',
          [1, 2],
          '{"username":"from-text"}',
          42,
          person(2),
        ]),
      );
      const errors = items.filter((i) => i.kind === 'error');
      assert.deepEqual(
        errors.map((e) => [e.line, e.instance]),
        [
          [2, null],
          [3, null],
          [5, null],
        ],
      );
      for (const e of errors)
        assert.match(e.kind === 'error' ? e.message : '', /^user-profile: expected a JSON object/);
      assert.deepEqual(
        results(items).map((r) => [r.line, r.result.vendor.username]),
        [
          [1, 'user1'],
          [4, 'from-text'],
          [6, 'user2'],
        ],
      );
    } finally {
      await iam.close();
    }
  });

  test('input is read only as far as the concurrency allows ahead of the consumer', async () => {
    const iam = localClient();
    try {
      const { state, source } = counted(Array.from({ length: 500 }, (_, i) => person(i)));
      const items = runBatch(iam, { command: 'create-user', instances: ['a'], concurrency: 3 }, source);
      assert.equal(state.pulled, 0, 'nothing is read before the consumer asks');
      let consumed = 0;
      let widest = 0;
      for await (const _ of items) {
        consumed += 1;
        widest = Math.max(widest, state.pulled - consumed);
        await delay(0); // a consumer slower than the app
      }
      assert.equal(consumed, 500);
      assert.ok(widest <= 3, `read ${widest} entries ahead of the consumer, allowed 3`);
      assert.equal(state.closed, true);
    } finally {
      await iam.close();
    }
  });

  test('several instances: one record per instance; ordered keeps input then instance order', async () => {
    const iam = localClient(['x', 'y']);
    try {
      const items = await collect(
        runBatch(iam, { command: 'create-user', instances: ['x', 'y'], ordered: true }, [
          person(1),
          person(2),
          person(3),
        ]),
      );
      assert.deepEqual(
        results(items).map((r) => `${r.line}:${r.instance}:${r.result.vendor.instanceName}`),
        ['1:x:x', '1:y:y', '2:x:x', '2:y:y', '3:x:x', '3:y:y'],
      );
    } finally {
      await iam.close();
    }
  });

  test('bad options throw UsageError before anything is read', () => {
    const iam = localClient();
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ command: 'purge-user', instances: ['a'] }, /unknown command "purge-user"/],
      [{ command: 'get-user', instances: ['nope'] }, /unknown instance "nope"/],
      [{ command: 'get-user', instances: [] }, /no instance/],
      [{ command: 'get-user', instances: ['a'], concurrency: 0 }, /concurrency: expected a whole number/],
      [{ command: 'get-user', instances: ['a'], concurrency: 2.5 }, /concurrency/],
      [{ command: 'create-user', instances: ['a'], allowEnable: 'maybe' }, /allow-enable/],
      [{ command: 'get-user', instances: ['a'], escrowPasses: -1 }, /escrow-passes: expected a whole number/],
      [{ command: 'get-user', instances: ['a'], escrowPasses: 21 }, /escrow-passes: .* from 0 to 20/],
      [
        { command: 'get-user', instances: ['a'], escrowDelayMs: 1.5 },
        /escrow-delay: expected a whole number/,
      ],
      [{ command: 'get-user', instances: ['a'], escrowDelayMs: '5s' }, /escrow-delay/],
    ];
    for (const [options, message] of bad) {
      const { state, source } = counted([person(1)]);
      assert.throws(
        () => runBatch(iam, options as never, source),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        JSON.stringify(options),
      );
      assert.equal(state.pulled, 0);
    }
    return iam.close();
  });

  test('abort stops reading; what was in flight is still yielded', async () => {
    const iam = localClient();
    try {
      const abort = new AbortController();
      const { state, source } = counted(Array.from({ length: 100 }, (_, i) => person(i)));
      const items: BatchItem[] = [];
      for await (const item of runBatch(
        iam,
        { command: 'create-user', instances: ['a'], concurrency: 2, signal: abort.signal },
        source,
      )) {
        items.push(item);
        abort.abort();
      }
      assert.ok(items.length >= 1 && items.length <= 3, `${items.length} items after abort`);
      // At most the one read that was under way when the abort came is dropped, unrun.
      assert.ok(state.pulled - items.length <= 1, `${state.pulled} read, ${items.length} yielded`);
      assert.equal(state.closed, true, 'the source was closed');
    } finally {
      await iam.close();
    }
  });

  test('a source that fails: what was read is finished and yielded, then the error is thrown', async () => {
    const iam = localClient();
    try {
      async function* failing() {
        yield { line: 1, profile: person(1) };
        yield { line: 2, error: 'not valid UTF-8' };
        yield { line: 3, profile: person(3) };
        throw new Error('disk went away');
      }
      const items: BatchItem[] = [];
      await assert.rejects(async () => {
        for await (const item of runBatchEntries(
          iam,
          { command: 'create-user', instances: ['a'] },
          failing(),
        )) {
          items.push(item);
        }
      }, /disk went away/);
      assert.deepEqual(items.map((i) => `${i.line}:${i.kind}`).sort(), ['1:result', '2:error', '3:result']);
    } finally {
      await iam.close();
    }
  });
});

describe('runBatch on the loopback SCIM server', () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimServer();
  });
  after(() => server.close());

  const scim = (extra: Record<string, unknown> = {}) =>
    createIamClient({
      config: { instances: { s: { brand: 'SCIM', baseUrl: server.url, token: server.token } } },
      env: {},
      ...extra,
    });

  test('the wire: create is one lookup and one POST per line, get one lookup per line', async () => {
    server.reset();
    const iam = scim();
    try {
      const profiles = Array.from({ length: 40 }, (_, i) => person(i));
      const created = await collect(
        runBatch(iam, { command: 'create-user', instances: ['s'], concurrency: 8 }, profiles),
      );
      assert.equal(results(created).filter((r) => r.result.vendor.action === 'create').length, 40);
      const sent = server.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/scim\/v2/, '')}`);
      assert.equal(sent.filter((r) => r === 'GET /Users').length, 40);
      assert.equal(sent.filter((r) => r === 'POST /Users').length, 40);
      assert.equal(sent.length, 80);
      assert.equal(server.users().length, 40);

      server.requests.length = 0;
      const got = await collect(
        runBatch(
          iam,
          { command: 'get-user', instances: ['s'], concurrency: 8 },
          profiles.map((p) => ({ username: p.username })),
        ),
      );
      assert.equal(results(got).filter((r) => r.result.vendor.success).length, 40);
      assert.equal(server.requests.length, 40);
      for (const r of results(got)) assert.equal(r.result.userProfile.email, `user${r.line - 1}@example.com`);
    } finally {
      await iam.close();
    }
  });

  test('results come as they finish; ordered waits for the slow one', async () => {
    server.reset();
    // The app answers one user slowly (as a real app sometimes does): its lookup is held until the
    // five fast creates have been answered, so the order does not depend on the machine's load.
    let fastCreated = 0;
    const fastDone = async () => {
      while (fastCreated < 5) await delay(5);
    };
    const iam = scim({
      transport: (opts: Parameters<typeof createHttpTransport>[0]): Transport => {
        const inner = createHttpTransport(opts);
        return {
          send: async (req) => {
            if (req.path.includes('slow')) await fastDone();
            const res = await inner.send(req);
            if (req.method === 'POST' && JSON.stringify(req.body).includes('fast')) fastCreated++;
            return res;
          },
          close: () => inner.close(),
        };
      },
    });
    try {
      const profiles = [
        { username: 'slow' },
        ...Array.from({ length: 5 }, (_, i) => ({ username: `fast${i}` })),
      ];
      const unordered = await collect(
        runBatch(iam, { command: 'create-user', instances: ['s'], concurrency: 4 }, profiles),
      );
      assert.equal(unordered.at(-1)?.line, 1, 'the slow line finishes last');
      server.reset();
      fastCreated = 0;
      const ordered = await collect(
        runBatch(iam, { command: 'create-user', instances: ['s'], concurrency: 4, ordered: true }, profiles),
      );
      assert.deepEqual(
        ordered.map((i) => i.line),
        [1, 2, 3, 4, 5, 6],
      );
    } finally {
      await iam.close();
    }
  });
});
