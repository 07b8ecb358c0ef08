// A storm the commands cannot ride out alone: the fault proxy answers 503 (and loses some answers)
// for a while, longer than each command's own attempts last. The batch escrow holds what failed for
// a transient reason and runs it again after the input: every command must end a success, the app
// must hold each account exactly once, and nothing may be hidden when the escrow runs out or is
// stopped. Faults are drawn from FAULT_SEED (random unless set), which every failure message names.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type BatchItem, type BatchOptions, type BatchResult, runBatch } from '../../src/batch/engine.js';
import { BatchStats } from '../../src/batch/stats.js';
import type { EscrowPass } from '../../src/batch/types.js';
import { createIamClient, type IamClient } from '../../src/client.js';
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from '../servers/fault-proxy.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';

const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
/** Each command gives up fast: two attempts, a few ms apart. */
const RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };
const say = (what: string) => `${what} (FAULT_SEED=${SEED})`;

interface Rig {
  server: ScimTestServer;
  proxy: FaultProxy;
  iam: IamClient;
}

const rigs: Rig[] = [];
after(async () => {
  for (const r of rigs) {
    await r.iam.close();
    await r.proxy.close();
    await r.server.close();
  }
});

async function rig(storm: FaultProxyOptions['storm'], more: Partial<FaultProxyOptions> = {}): Promise<Rig> {
  const server = await startScimServer();
  const root = new URL(server.url);
  const proxy = await startFaultProxy({ target: root.origin, seed: SEED, rates: {}, storm, ...more });
  const iam = createIamClient({
    config: {
      instances: {
        app: { brand: 'SCIM', baseUrl: `${proxy.origin}${root.pathname}`, token: server.token, retry: RETRY },
      },
    },
    env: {},
  });
  const r = { server, proxy, iam };
  rigs.push(r);
  return r;
}

const people = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    username: `${prefix}${i}`,
    email: `${prefix}${i}@example.com`,
    givenname: 'Storm',
    surname: `No${i}`,
  }));

async function run(iam: IamClient, options: Partial<BatchOptions>, profiles: unknown[]) {
  const items: BatchItem[] = [];
  const passes: EscrowPass[] = [];
  const stats = new BatchStats();
  const opts: BatchOptions = {
    command: 'create-user',
    instances: ['app'],
    concurrency: 16,
    onEscrowPass: (p) => passes.push(p),
    ...options,
  };
  for await (const item of runBatch(iam, opts, profiles)) {
    items.push(item);
    stats.add(item);
  }
  const results = items.filter((i): i is BatchResult => i.kind === 'result');
  assert.equal(results.length, items.length, say('items that are not records'));
  assert.deepEqual(
    results.map((r) => r.line).sort((a, b) => a - b),
    profiles.map((_, i) => i + 1),
    say('one record per profile'),
  );
  return { results, passes, summary: stats.summary() };
}

/** Each account on the server once, named as asked. */
function assertAccounts(server: ScimTestServer, expected: string[]): void {
  const names = server.users().map((u) => String(u.userName));
  assert.equal(new Set(names).size, names.length, say('duplicate accounts'));
  assert.deepEqual(names.sort(), [...expected].sort(), say('accounts on the server'));
}

describe(`the batch escrow in a 503 storm (FAULT_SEED=${SEED})`, () => {
  test('with the escrow, every create ends a success and the app holds each account once', async (t) => {
    // Down for 1 s, letting some requests through and losing some answers (writes that landed).
    const { server, proxy, iam } = await rig({ durationMs: 1000, faults: { none: 0.3, 'drop-after': 0.3 } });
    const profiles = people('storm', 300);
    // Waits 300, 600, 1200, 2400 ms: the last pass surely runs after the storm.
    const { results, passes, summary } = await run(iam, { escrowPasses: 4, escrowDelayMs: 300 }, profiles);
    const failed = results.filter((r) => !r.result.vendor.success);
    assert.deepEqual(
      failed.map((r) => `${r.line}: ${r.result.vendor.errorMessage}`),
      [],
      say('records still failed'),
    );
    const later = results.filter((r) => (r.pass ?? 1) > 1);
    assert.ok(later.length > 0, say('the storm sent nothing to the escrow'));
    assert.ok(passes.length >= 1 && passes[0]?.pass === 1 && passes[0].delayMs >= 300, say('passes'));
    assert.equal(passes[0]?.commands, later.length, say('commands held after the input'));
    assert.equal(summary.escrowPasses, Math.max(...results.map((r) => r.pass ?? 1)) - 1);
    assert.ok(summary.escrowPasses >= 1, say('summary: escrow passes'));
    assert.equal(summary.stillFailed, 0);
    assert.equal(summary.succeeded, profiles.length);
    for (const r of results) {
      const v = r.result.vendor;
      // A create that landed in the storm, its answer lost, is found on the re-run: an update of it.
      if ((r.pass ?? 1) === 1) assert.equal(v.action, 'create', say(`line ${r.line}: action`));
      else assert.ok(v.action === 'create' || v.action === 'update', say(`line ${r.line}: ${v.action}`));
      assert.equal(r.retryable, undefined, say(`line ${r.line}: retryable`));
    }
    assertAccounts(
      server,
      profiles.map((p) => p.username),
    );
    // No create was sent for an account that existed: every POST the server saw made one account.
    const posts = server.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.filter((r) => r.status !== 201).map((r) => r.status),
      [],
      say('POSTs refused'),
    );
    assert.equal(posts.length, profiles.length, say('POSTs that reached the server'));
    const lost = proxy.log.filter((r) => r.method === 'POST' && r.fault === 'drop-after').length;
    const updates = results.filter((r) => r.result.vendor.action === 'update').length;
    assert.ok(updates <= lost, say(`${updates} updates, but only ${lost} creates lost their answer`));
    t.diagnostic(
      say(`${later.length} held, ${summary.escrowPasses} passes, ${updates} landed creates found again`),
    );
  });

  test('ordered: the first run in input order, then what the escrow finished, in input order', async () => {
    const { server, iam } = await rig({ durationMs: 500, faults: { none: 0.3 } });
    const profiles = people('ordered', 150);
    const { results } = await run(iam, { ordered: true, escrowPasses: 4, escrowDelayMs: 200 }, profiles);
    const first = results.filter((r) => (r.pass ?? 1) === 1);
    const later = results.slice(first.length);
    assert.ok(later.length > 0, say('the storm sent nothing to the escrow'));
    assert.ok(
      later.every((r) => (r.pass ?? 1) > 1),
      say('a first-run record came after an escrow record'),
    );
    const ascending = (rs: BatchResult[]) => rs.every((r, i) => i === 0 || (rs[i - 1]?.line ?? 0) < r.line);
    assert.ok(ascending(first), say('first-run records out of input order'));
    assert.ok(ascending(later), say('escrow records out of input order'));
    assert.ok(
      results.every((r) => r.result.vendor.success),
      say('records failed'),
    );
    assertAccounts(
      server,
      profiles.map((p) => p.username),
    );
  });

  test('escrowPasses 0: the failures come at once, as failed and retryable (no escrow)', async () => {
    const { server, iam } = await rig({ durationMs: 500 });
    const profiles = people('nopass', 100);
    const { results, passes, summary } = await run(iam, { escrowPasses: 0 }, profiles);
    const failed = results.filter((r) => !r.result.vendor.success);
    assert.ok(failed.length > 0, say('the storm failed nothing'));
    assert.deepEqual(passes, []);
    assert.ok(results.every((r) => r.pass === undefined));
    for (const r of failed) {
      assert.equal(r.retryable, true, r.result.vendor.errorMessage);
      assert.equal(r.result.vendor.errorCode, 503, r.result.vendor.errorMessage);
    }
    assert.deepEqual(
      [summary.escrowPasses, summary.stillFailed, summary.failed],
      [0, failed.length, failed.length],
    );
    assertAccounts(
      server,
      results.filter((r) => r.result.vendor.success).map((r) => `nopass${r.line - 1}`),
    );
  });

  test('a storm that never ends: after the last pass every command is yielded, failed', async () => {
    const { proxy, iam } = await rig({ durationMs: Number.POSITIVE_INFINITY });
    const profiles = people('forever', 20);
    const { results, passes, summary } = await run(iam, { escrowPasses: 2, escrowDelayMs: 10 }, profiles);
    assert.deepEqual(passes, [
      { pass: 1, of: 2, commands: 20, delayMs: 10 },
      { pass: 2, of: 2, commands: 20, delayMs: 20 },
    ]);
    for (const r of results) {
      assert.deepEqual([r.result.vendor.success, r.pass, r.retryable], [false, 3, true], `line ${r.line}`);
    }
    assert.deepEqual([summary.failed, summary.stillFailed, summary.escrowPasses], [20, 20, 2]);
    // Three runs of each command, each a lookup tried twice: nothing more, nothing less.
    assert.equal(proxy.log.length, 20 * 3 * RETRY.attempts);
  });

  test('stopped while it waits for a pass: the held commands come at once, as failed', async () => {
    const { proxy, iam } = await rig({ durationMs: Number.POSITIVE_INFINITY });
    const stop = new AbortController();
    const started = Date.now();
    const { results, summary } = await run(
      iam,
      { escrowDelayMs: 60_000, signal: stop.signal, onEscrowPass: () => stop.abort() },
      people('stopped', 20),
    );
    assert.ok(Date.now() - started < 10_000, 'waited for the pass');
    assert.ok(results.every((r) => !r.result.vendor.success && r.retryable === true && r.pass === undefined));
    assert.deepEqual([summary.failed, summary.stillFailed, summary.escrowPasses], [20, 20, 0]);
    assert.equal(proxy.log.length, 20 * RETRY.attempts, 'no command ran again');
  });

  test('stopped during a pass: what is running finishes, what has not started comes as it was', async () => {
    const stop = new AbortController();
    let requests = 0;
    // The main run makes 2 requests per command; the first request of the pass stops the batch.
    const { proxy, iam } = await rig(
      { durationMs: Number.POSITIVE_INFINITY },
      {
        decide: () => {
          if (++requests === 20 * RETRY.attempts + 1) stop.abort();
          return undefined;
        },
      },
    );
    const { results, summary } = await run(
      iam,
      { concurrency: 1, escrowDelayMs: 10, signal: stop.signal },
      people('midpass', 20),
    );
    const again = results.filter((r) => r.pass === 2);
    assert.equal(again.length, 1, 'the one command in flight when stopped');
    assert.ok(results.every((r) => !r.result.vendor.success && r.retryable === true));
    assert.deepEqual([summary.failed, summary.stillFailed, summary.escrowPasses], [20, 20, 1]);
    assert.equal(proxy.log.length, 21 * RETRY.attempts, 'nothing started after the stop');
  });

  test("the wait before a pass is at least the app's largest Retry-After", async () => {
    // Throttled for good, Retry-After 0 or 1 s at random: among 20 commands, some got 1 s.
    const { iam } = await rig(
      { durationMs: Number.POSITIVE_INFINITY, faults: { throttle: 1 } },
      { maxRetryAfterS: 1 },
    );
    const { results, passes } = await run(iam, { escrowPasses: 1, escrowDelayMs: 10 }, people('after', 20));
    assert.deepEqual(passes, [{ pass: 1, of: 1, commands: 20, delayMs: 1000 }], say('passes'));
    assert.ok(results.every((r) => r.result.vendor.errorCode === 429 && r.retryable === true));
  });

  test('definite answers are never held: each lookup reaches the app exactly once', async () => {
    const { server, iam } = await rig({ durationMs: 500 });
    const direct = createIamClient({
      config: { instances: { app: { brand: 'SCIM', baseUrl: server.url, token: server.token } } },
      env: {},
    });
    const profiles = people('lookup', 100);
    // Half of them exist (made straight on the server): get-user finds them; for the others a 404
    // record is final, storm or not.
    for await (const item of runBatch(
      direct,
      { command: 'create-user', instances: ['app'] },
      profiles.slice(0, 50),
    )) {
      assert.ok(item.kind === 'result' && item.result.vendor.success);
    }
    await direct.close();
    const seen = server.requests.length;
    const { results } = await run(iam, { command: 'get-user', escrowDelayMs: 300 }, profiles);
    assert.ok(
      results.some((r) => (r.pass ?? 1) > 1),
      say('the storm sent nothing to the escrow'),
    );
    for (const r of results) {
      const v = r.result.vendor;
      const name = `lookup${r.line - 1}`;
      if (r.line <= 50) assert.deepEqual([v.success, v.username], [true, name], say(`line ${r.line}`));
      else
        assert.deepEqual(
          [v.success, v.errorCode, r.retryable],
          [false, 404, undefined],
          say(`line ${r.line}`),
        );
      const lookups = server.requests
        .slice(seen)
        .filter((q) => q.method === 'GET' && (q.query.filter ?? '').includes(`"${name}"`));
      assert.equal(lookups.length, 1, say(`${name}: lookups that reached the app`));
    }
  });
});
