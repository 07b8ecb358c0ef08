// The rate limiter through the real transport, against a loopback peer that answers 429 when it
// is asked too fast; and the `rateLimit`/`retry` settings from config to transport. Time is
// virtual (the transport's injectable clock): the peer reads the same clock, so "too fast" and
// "slowed down" are exact, and nothing here depends on how fast the machine is.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import { ConfigError } from '../../src/core/errors.js';
import type { TransportOptions } from '../../src/http/transport.js';
import { createHttpTransport, defaultTransportOptions } from '../../src/http/undici-transport.js';

/** A clock whose sleeps return at once, having moved time forward (one request at a time). */
function steppingClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

/** Answers 200 at most once per `minGapMs` of the shared clock, else 429 (no Retry-After). */
async function throttlingPeer(now: () => number, minGapMs: number) {
  const seen: { at: number; status: number }[] = [];
  let lastAccepted = Number.NEGATIVE_INFINITY;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = now();
      const status = at - lastAccepted < minGapMs ? 429 : 200;
      if (status === 200) lastAccepted = at;
      seen.push({ at, status });
      res.writeHead(status, { 'content-type': 'application/scim+json' });
      res.end(
        JSON.stringify(status === 200 ? { totalResults: 0, Resources: [] } : { detail: 'Rate exceeded' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('rate limit against a throttling app', () => {
  test('a peer that allows 5 requests/s, asked at 20/s: after its 429s the client slows down to its pace', async () => {
    const clock = steppingClock();
    const peer = await throttlingPeer(clock.now, 200);
    const transport = createHttpTransport({
      ...defaultTransportOptions,
      baseUrl: peer.url,
      headers: {},
      rateLimit: { requestsPerSecond: 20, burst: 1 },
      // Retries wait nothing of their own: any spacing seen by the peer is the limiter's.
      retry: { attempts: 10, baseDelayMs: 0, maxDelayMs: 1_000 },
      now: clock.now,
      sleep: clock.sleep,
    });
    after(() => transport.close());
    for (let i = 0; i < 60; i++) {
      const res = await transport.send({ method: 'GET', path: 'Users' });
      assert.equal(res.status, 200, `request ${i}`);
    }
    const throttled = peer.seen.filter((s) => s.status === 429).length;
    const gaps = peer.seen.slice(1).map((s, i) => s.at - (peer.seen[i]?.at ?? 0));
    // At first the client sends at its configured 20/s (50 ms apart)...
    assert.equal(gaps[0], 50);
    // ...then, after the 429s, mostly at the peer's pace or slower: at a fixed 20/s three of every
    // four requests would be refused.
    const late = gaps.slice(-30);
    const slow = late.filter((g) => g >= 200).length;
    assert.ok(slow >= 20, `only ${slow} of the last 30 gaps were 200 ms or more: ${late.join(', ')}`);
    assert.ok(throttled <= 30, `${throttled} of ${peer.seen.length} requests were refused`);
  });
});

describe('rateLimit and retry settings', () => {
  /** The transport options each instance of a config gets. */
  function transportOptions(instances: Record<string, Record<string, unknown>>) {
    const seen = new Map<string, TransportOptions>();
    const iam = createIamClient({
      config: { instances },
      env: {},
      transport: (opts) => {
        seen.set(opts.baseUrl, opts);
        return {
          send: async () => ({ status: 200, headers: {}, json: null, text: '' }),
          close: async () => {},
        };
      },
    });
    for (const name of Object.keys(instances)) iam.runtime(name);
    return seen;
  }

  test('AWS-ILM gets the published 20 requests/s; generic SCIM none; an instance setting wins', () => {
    const aws = { brand: 'AWS-ILM', baseUrl: 'https://scim.example.com', tenantId: 'd-1', token: 't' };
    const seen = transportOptions({
      aws,
      fast: { ...aws, baseUrl: 'https://fast.example.com', rateLimit: { requestsPerSecond: 50 } },
      scim: { brand: 'SCIM', baseUrl: 'https://scim.example.org/v2', token: 't', retry: { attempts: 8 } },
    });
    assert.deepEqual(seen.get('https://scim.example.com/d-1/scim/v2')?.rateLimit, {
      requestsPerSecond: 20,
      burst: 5,
    });
    assert.deepEqual(seen.get('https://fast.example.com/d-1/scim/v2')?.rateLimit, {
      requestsPerSecond: 50,
      burst: 50,
    });
    const scim = seen.get('https://scim.example.org/v2');
    assert.equal(scim?.rateLimit, undefined);
    assert.deepEqual(scim?.retry, { attempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 });
  });

  test('bad values are refused at load, naming the instance and the key', () => {
    const scim = { brand: 'SCIM', baseUrl: 'https://scim.example.org/v2', token: 't' };
    const cases: [Record<string, unknown>, string][] = [
      [
        { rateLimit: { requestsPerSecond: 0 } },
        ' key "rateLimit.requestsPerSecond": expected a number above 0, at most 1000000',
      ],
      [
        { rateLimit: { requestsPerSecond: 5, burst: -1 } },
        ' key "rateLimit.burst": expected a whole number from 1 to 100000',
      ],
      [
        { rateLimit: { requestsPerSecond: 'fast' } },
        ' key "rateLimit.requestsPerSecond": expected a number above 0, at most 1000000',
      ],
      [{ rateLimit: { requestsPerSecond: 5, rps: 5 } }, ': unknown key in "rateLimit"'],
      [
        { rateLimit: { rps: 5 } },
        ' key "rateLimit.requestsPerSecond": expected a number above 0, at most 1000000',
      ],
      [{ rateLimit: 20 }, ' key "rateLimit": expected {requestsPerSecond, burst}'],
      [{ retry: { attempts: 0 } }, ' key "retry.attempts": expected a whole number from 1 to 20'],
      [{ retry: { maxDelayMs: -5 } }, ' key "retry.maxDelayMs": expected a number from 1 to 600000 (ms)'],
      // Node timers hold 2^31-1 ms at most: beyond, every request timed out at once.
      [{ timeoutMs: 99999999999 }, ' key "timeoutMs": expected a whole number from 1 to 600000 (ms)'],
      [{ timeoutMs: 0 }, ' key "timeoutMs": expected a whole number from 1 to 600000 (ms)'],
      [{ retry: { attempts: 21 } }, ' key "retry.attempts": expected a whole number from 1 to 20'],
      [{ retry: { baseDelayMs: 1e12 } }, ' key "retry.baseDelayMs": expected a number from 0 to 60000 (ms)'],
      [{ retry: { maxDelayMs: 1e12 } }, ' key "retry.maxDelayMs": expected a number from 1 to 600000 (ms)'],
      [
        { rateLimit: { requestsPerSecond: 1e9 } },
        ' key "rateLimit.requestsPerSecond": expected a number above 0, at most 1000000',
      ],
      [
        { rateLimit: { requestsPerSecond: 5, burst: 0.5 } },
        ' key "rateLimit.burst": expected a whole number from 1 to 100000',
      ],
    ];
    for (const [extra, message] of cases) {
      assert.throws(
        () => createIamClient({ config: { instances: { hr: { ...scim, ...extra } } }, env: {} }),
        (e: unknown) => e instanceof ConfigError && e.message === `config: instance "hr"${message}`,
        JSON.stringify(extra),
      );
    }
  });
});
