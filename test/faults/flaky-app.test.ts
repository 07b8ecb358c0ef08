// 2,000 creates through a flaky app: the fault proxy (test/servers/fault-proxy.ts) between the
// client and a real SCIM server throttles, answers 503, drops connections before and after
// forwarding, and delays. The end state must be exactly what the records say: every account once,
// no duplicate. A command whose attempts ran out is held in the batch escrow and run again after
// the input, so at these rates every one of the 2,000 ends created (a run once ended with 1,999
// accounts and one honest failure before the escrow).
// The faults are drawn from FAULT_SEED (random unless set); every failure message carries it, so
// `FAULT_SEED=<n> node --import tsx --test test/faults/flaky-app.test.ts` replays the same faults.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type BatchItem, runBatch } from '../../src/batch/engine.js';
import { createIamClient, type IamClient } from '../../src/client.js';
import { type FaultProxy, startFaultProxy } from '../servers/fault-proxy.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';

const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const USERS = 2_000;
const RETRY = { attempts: 6, baseDelayMs: 20, maxDelayMs: 1_000 };
/** Reasons a record may give for failing: attempts ran out (transport or core), or it could not tell. */
const RAN_OUT = /gave up after \d+ attempts|not created \(|may have landed/;

const retriesOf = (details: unknown): number => {
  const n = details && typeof details === 'object' ? (details as { retries?: unknown }).retries : undefined;
  return typeof n === 'number' ? n : 0;
};

describe(`a flaky app (FAULT_SEED=${SEED})`, () => {
  let server: ScimTestServer;
  let proxy: FaultProxy;
  let iam: IamClient;
  const results = new Map<number, Extract<BatchItem, { kind: 'result' }>>();
  const errors: BatchItem[] = [];
  const say = (what: string) => `${what} (FAULT_SEED=${SEED})`;

  before(async () => {
    server = await startScimServer();
    const root = new URL(server.url);
    proxy = await startFaultProxy({
      target: root.origin,
      seed: SEED,
      rates: { throttle: 0.05, unavailable: 0.05, 'drop-before': 0.03, 'drop-after': 0.03, delay: 0.08 },
      maxRetryAfterS: 1,
      maxDelayMs: 100,
    });
    iam = createIamClient({
      config: {
        instances: {
          flaky: {
            brand: 'SCIM',
            baseUrl: `${proxy.origin}${root.pathname}`,
            token: server.token,
            timeoutMs: 10_000,
            retry: RETRY,
          },
        },
      },
      env: {},
    });
    const profiles = Array.from({ length: USERS }, (_, i) => ({
      username: `flaky${i}`,
      email: `flaky${i}@example.com`,
      givenname: 'Flaky',
      surname: `No${i}`,
    }));
    for await (const item of runBatch(
      iam,
      { command: 'create-user', instances: ['flaky'], concurrency: 16, escrowDelayMs: 200 },
      profiles,
    )) {
      if (item.kind === 'result') results.set(item.line, item);
      else errors.push(item);
    }
  });

  after(async () => {
    await iam?.close();
    await proxy?.close();
    await server?.close();
  });

  test('the proxy really was flaky', (t) => {
    const c = proxy.counts();
    t.diagnostic(`FAULT_SEED=${SEED} faults: ${JSON.stringify(c)} over ${proxy.log.length} requests`);
    for (const fault of ['throttle', 'unavailable', 'drop-before', 'drop-after', 'delay'] as const) {
      assert.ok(c[fault] > 0, say(`no ${fault} fault was injected`));
    }
    assert.ok(
      proxy.log.some((r) => r.method === 'POST' && r.fault === 'drop-after' && r.upstreamStatus === 201),
      say('no create landed with its answer lost'),
    );
  });

  test('every profile has exactly one record, and each says what happened', () => {
    assert.deepEqual(errors, [], say('batch errors'));
    assert.equal(results.size, USERS, say('records'));
    for (const { result, pass } of results.values()) {
      const v = result.vendor;
      // A create that landed on an earlier run, its answer lost, is found on the escrow's re-run.
      if (v.success && (pass ?? 1) > 1)
        assert.match(v.action, /^(create|update)$/, say(`${v.username}: action`));
      else if (v.success) assert.equal(v.action, 'create', say(`${v.username}: action`));
      else assert.match(v.errorMessage, RAN_OUT, say(`${String(v.username)}: failure reason`));
    }
  });

  test('the app holds each account at most once, exactly as the records report', (t) => {
    const accounts = server.users();
    const byName = new Map<string, Record<string, unknown>>();
    for (const a of accounts) {
      const name = String(a.userName);
      assert.ok(!byName.has(name), say(`duplicate userName ${name}`));
      byName.set(name, a);
    }
    let failed = 0;
    let unknown = 0;
    for (const [line, { result }] of results) {
      const name = `flaky${line - 1}`;
      const v = result.vendor;
      const account = byName.get(name);
      if (v.success) {
        assert.ok(account, say(`${name}: reported created, not on the server`));
        assert.equal(v.id, account.id, say(`${name}: id`));
      } else if (/may have landed/.test(v.errorMessage)) {
        unknown += 1; // the record says it cannot tell: either state is true to it
      } else {
        failed += 1;
        assert.equal(account, undefined, say(`${name}: reported not created, but it is on the server`));
      }
    }
    t.diagnostic(
      `FAULT_SEED=${SEED}: ${accounts.length} accounts, ${failed} not created, ${unknown} unknown`,
    );
    const expected = new Set(Array.from({ length: USERS }, (_, i) => `flaky${i}`));
    assert.deepEqual(
      [...byName.keys()].filter((n) => !expected.has(n)),
      [],
      say('accounts nobody asked for'),
    );
    // Attempts run out rarely at these fault rates, and the escrow runs those commands again.
    assert.equal(failed + unknown, 0, say(`${failed + unknown} records failed`));
    assert.equal(accounts.length, USERS, say('accounts'));
  });

  test('no create that landed was sent again: the server never answered a POST with 409', () => {
    const posts = server.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.filter((r) => r.status !== 201).map((r) => r.status),
      [],
      say('POST answers other than 201'),
    );
    assert.equal(posts.length, server.users().length, say('POSTs that reached the server vs accounts'));
    const landed = proxy.log.filter((r) => r.method === 'POST' && r.upstreamStatus === 201).length;
    assert.equal(landed, server.users().length, say('creates forwarded by the proxy vs accounts'));
  });

  test('retries show up in the records (details.retries)', (t) => {
    const perRecord = [...results.values()].map(({ result }) => retriesOf(result.vendor.details));
    const total = perRecord.reduce((a, b) => a + b, 0);
    const c = proxy.counts();
    const failures = [...results.values()].filter(({ result }) => !result.vendor.success).length;
    // A run the escrow ran again left no record: its retries are in none.
    const rerun = [...results.values()].reduce((n, { pass }) => n + (pass ?? 1) - 1, 0);
    // Each throttle, 503 and drop-before costs exactly one retry (transport or core), except the
    // last attempt of a record whose attempts ran out; a drop-after costs one unless it was a
    // create that is then found by the lookup (it landed: no retry).
    const lower = c.throttle + c.unavailable + c['drop-before'] - (failures + rerun) * RETRY.attempts;
    t.diagnostic(
      `FAULT_SEED=${SEED}: ${total} retries in records, ${perRecord.filter((n) => n > 0).length} records retried, ${rerun} runs repeated by the escrow`,
    );
    assert.ok(total >= lower, say(`${total} retries counted, at least ${lower} expected`));
    assert.ok(
      total <= c.throttle + c.unavailable + c['drop-before'] + c['drop-after'],
      say(`${total} retries counted, more than faults injected`),
    );
  });
});
