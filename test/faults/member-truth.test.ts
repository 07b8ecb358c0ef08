// update-group's record against what the app holds afterwards (spec 7), on apps that misbehave as
// real ones do: one that stores part of a member add and answers 500, one that does not
// de-duplicate members (so a blindly re-sent add duplicates them), a strict one that refuses a whole
// chunk with 400 invalidValue for one unknown id, and lost answers from the fault proxy. After each
// scenario the record's ids are compared with the server's own store.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import type { GroupRecord } from '../../src/core/record.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import { type Fault, startFaultProxy } from '../servers/fault-proxy.js';
import { type MemberPeer, type MemberPeerOptions, startMemberPeer } from '../servers/member-peer.js';
import { startScimPeer } from '../servers/scim-peer.js';
import { create, newUser, type Server } from '../servers/scim-test-client.js';

interface Entry {
  id: string;
  op: string;
  errorCode: unknown;
  errorMessage: string;
}
const details = (rec: GroupRecord) =>
  rec.details as {
    added: string[];
    removed: string[];
    failed: Entry[];
    uncertain: Entry[];
    retries?: number;
  };
const sorted = (ids: readonly string[]) => [...ids].sort();

/** `n` users on the server, created 50 at a time; their ids in creation order. */
async function users(server: Server, n: number, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) =>
      create(
        server,
        '/Users',
        newUser(`${prefix}${i + j}`, {
          displayName: `Member ${i + j}`,
          name: { givenName: 'M', familyName: 'N' },
        }),
      ),
    );
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

function client(baseUrl: string, token: string, brand: 'SCIM' | 'AWS-ILM' = 'SCIM', extra = {}): IamClient {
  const iam = createIamClient({
    config: {
      instances: {
        app: { brand, baseUrl, token, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 }, ...extra },
      },
    },
    env: {},
  });
  after(() => iam.close());
  return iam;
}

/**
 * A member peer, a group on it, `n` users, and a fault proxy in front: `decide` picks the fault of
 * the i-th distinct PATCH (a request sent again with the same body gets none).
 */
async function setup(opts: MemberPeerOptions, n: number, decide?: (patch: number) => Fault | undefined) {
  const peer: MemberPeer = await startMemberPeer(opts);
  after(() => peer.close());
  let patches = 0;
  const proxy = await startFaultProxy({
    target: peer.origin,
    seed: 7,
    rates: {},
    decide: (method, _url, seen) => (method === 'PATCH' && seen === 0 ? decide?.(patches++) : undefined),
  });
  after(() => proxy.close());
  const ids = await users(peer, n, 'm');
  const groupId = await create(peer, '/Groups', { displayName: 'Everyone' });
  const iam = client(`${proxy.origin}/scim/v2`, peer.token);
  const patchStatuses = () => proxy.log.filter((r) => r.method === 'PATCH').map((r) => r.status);
  return { peer, proxy, ids, groupId, iam, patchStatuses };
}

describe('update-group: the record matches what the app holds', () => {
  test('an app that stores 20 of 100 members and answers 500: read back, the other 80 sent again, none twice', async () => {
    const s = await setup({ dedupe: false, partialFailure: { applied: 20, times: 1 } }, 100);
    const rec = await s.iam.updateGroup('app', { scim: { id: s.groupId }, memberIdsToAdd: s.ids });
    assert.equal(rec.success, true, String(rec.errorMessage));
    assert.deepEqual(details(rec).added, s.ids);
    assert.deepEqual([details(rec).failed, details(rec).uncertain], [[], []]);
    assert.equal(details(rec).retries, 1);
    // Exactly the 100 ids, each once, on an app that would have stored a re-sent id twice.
    assert.deepEqual(sorted(s.peer.memberIds(s.groupId)), sorted(s.ids));
    const patches = s.peer.requests.filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      patches.map((r) => r.status),
      [500, 200],
    );
    const body = patches[1]?.body as { Operations: { value: { value: string }[] }[] } | undefined;
    const resent = body?.Operations[0]?.value;
    assert.deepEqual(
      resent?.map((m) => m.value),
      s.ids.slice(20),
    );
  });

  test('400 ids on an app that does not de-duplicate, answers lost or refused: 400 members, none twice', async () => {
    // Of the 4 chunks, 2 are applied and their answer lost, 2 refused (503) before reaching the app.
    const s = await setup({ dedupe: false }, 400, (n) => (n % 2 === 0 ? 'drop-after' : 'unavailable'));
    const rec = await s.iam.updateGroup('app', { scim: { id: s.groupId }, memberIdsToAdd: s.ids });
    assert.equal(rec.success, true, String(rec.errorMessage));
    assert.deepEqual(details(rec).added, s.ids);
    const stored = s.peer.memberIds(s.groupId);
    assert.equal(stored.length, 400);
    assert.deepEqual(sorted(stored), sorted(s.ids));
    // Lost answers were read back, not re-sent; the 2 refused chunks were sent again once each.
    assert.equal(details(rec).retries, 2);
    const statuses = s.patchStatuses();
    assert.equal(statuses.length, 6);
    assert.deepEqual(
      statuses.filter((x) => x === null),
      [null, null],
    );
    assert.deepEqual(
      statuses.filter((x) => x === 503),
      [503, 503],
    );
  });

  test('a remove whose answer was lost is read back and not sent again', async () => {
    const s = await setup({}, 150, (n) => (n === 2 ? 'drop-after' : undefined));
    await s.iam.updateGroup('app', { scim: { id: s.groupId }, memberIdsToAdd: s.ids });
    const rec = await s.iam.updateGroup('app', {
      scim: { id: s.groupId },
      memberIdsToDelete: s.ids.slice(0, 120),
    });
    assert.equal(rec.success, true, String(rec.errorMessage));
    assert.deepEqual(details(rec).removed, s.ids.slice(0, 120));
    assert.deepEqual(sorted(s.peer.memberIds(s.groupId)), sorted(s.ids.slice(120)));
    assert.equal(s.patchStatuses().length, 4);
  });

  test('one unknown id in a chunk of 100 (400 invalidValue): the 99 are applied, the bad one named, in O(log n) requests', async () => {
    const s = await setup({}, 199);
    const input = [...s.ids.slice(0, 37), 'no-such-user', ...s.ids.slice(37)];
    const rec = await s.iam.updateGroup('app', { scim: { id: s.groupId }, memberIdsToAdd: input });
    assert.equal(rec.success, false);
    assert.equal(rec.errorCode, 400);
    assert.match(String(rec.errorMessage), /^1 of 200 member changes failed: .*no-such-user/);
    const { added, failed } = details(rec);
    assert.deepEqual(added, s.ids);
    assert.deepEqual(
      failed.map((f) => [f.id, f.op, f.errorCode]),
      [['no-such-user', 'add', 400]],
    );
    assert.match(failed[0]?.errorMessage ?? '', /Group member no-such-user does not exist/);
    assert.deepEqual(sorted(s.peer.memberIds(s.groupId)), sorted(s.ids));
    // 2 chunks, then halving the refused one: at most 2 requests per level of log2(100) < 7.
    const patches = s.patchStatuses().length;
    assert.ok(patches <= 2 + 2 * 7, `${patches} PATCH requests`);
  });

  test('a 403 for a chunk is not split: one request per chunk, every id failed with its code', async () => {
    const peer = await startScimPeer({
      before: [
        (req, res, next) =>
          req.method === 'PATCH'
            ? res.status(403).type('application/scim+json').send('{"detail":"Forbidden by policy"}')
            : next(),
      ],
    });
    after(() => peer.close());
    const ids = await users(peer, 150, 'f');
    const groupId = await create(peer, '/Groups', { displayName: 'Locked' });
    const iam = client(peer.url, peer.token);
    const rec = await iam.updateGroup('app', { scim: { id: groupId }, memberIdsToAdd: ids });
    assert.deepEqual([rec.success, rec.errorCode], [false, 403]);
    assert.deepEqual(
      details(rec).failed.map((f) => f.id),
      ids,
    );
    assert.equal(peer.requests.filter((r) => r.method === 'PATCH').length, 2);
  });
});

test('a 400 about the request (every half refused alike, no id named) is not split down to single ids', async () => {
  const peer = await startScimPeer({
    before: [
      (req, res, next) =>
        req.method === 'PATCH'
          ? res
              .status(400)
              .type('application/scim+json')
              .send('{"status":"400","scimType":"invalidValue","detail":"Group is managed by the directory"}')
          : next(),
    ],
  });
  after(() => peer.close());
  const ids = await users(peer, 150, 'r');
  const groupId = await create(peer, '/Groups', { displayName: 'Synced' });
  const iam = client(peer.url, peer.token);
  const rec = await iam.updateGroup('app', { scim: { id: groupId }, memberIdsToAdd: ids });
  assert.deepEqual([rec.success, rec.errorCode], [false, 400]);
  assert.deepEqual(
    details(rec).failed.map((f) => f.id),
    ids,
  );
  assert.match(details(rec).failed[0]?.errorMessage ?? '', /^Group is managed by the directory; both halves/);
  // Each chunk, then its two halves: 3 requests per chunk, not 2n - 1.
  assert.equal(peer.requests.filter((r) => r.method === 'PATCH').length, 6);
});

describe('update-group where the app cannot list members (AWS-ILM)', () => {
  test('an add whose answer was lost is reported uncertain, not claimed and not re-sent; a remove is re-sent', async () => {
    const server = await startAwsIlmServer();
    after(() => server.close());
    let patches = 0;
    const proxy = await startFaultProxy({
      target: server.baseUrl,
      seed: 3,
      rates: {},
      // The first chunk of the add, and of the remove (each sent alone), lands and its answer is lost.
      decide: (method) => (method === 'PATCH' && [0, 3].includes(patches++) ? 'drop-after' : undefined),
    });
    after(() => proxy.close());
    const ids = await users(server, 250, 'aws');
    const groupId = await create(server, '/Groups', { displayName: 'Everyone' });
    const iam = createIamClient({
      config: {
        instances: {
          app: {
            brand: 'AWS-ILM',
            baseUrl: proxy.origin,
            tenantId: server.tenantId,
            token: server.token,
            rateLimit: { requestsPerSecond: 1000, burst: 1000 },
            retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
          },
        },
      },
      env: {},
    });
    after(() => iam.close());
    const rec = await iam.updateGroup('app', { scim: { id: groupId }, memberIdsToAdd: ids });
    assert.equal(rec.success, false);
    const { added, failed, uncertain } = details(rec);
    const lost = ids.slice(0, 100);
    assert.deepEqual(added, ids.slice(100));
    assert.deepEqual(failed, []);
    assert.deepEqual(
      uncertain.map((u) => u.id),
      lost,
    );
    assert.match(
      uncertain[0]?.errorMessage ?? '',
      /may or may not be applied: this app does not list group members/,
    );
    assert.match(String(rec.errorMessage), /^100 of 250 member changes uncertain: /);
    assert.equal(proxy.log.filter((r) => r.method === 'PATCH').length, 3);
    // The app did store them: the record said "uncertain", never "failed".
    const stored = () =>
      ((server.groups().find((g) => g.id === groupId)?.members ?? []) as { value: string }[]).map(
        (m) => m.value,
      );
    assert.deepEqual(sorted(stored()), sorted(ids));

    // A remove cannot duplicate anything: sent again after the lost answer, and then certain.
    const rm = await iam.updateGroup('app', { scim: { id: groupId }, memberIdsToDelete: ids.slice(0, 150) });
    assert.equal(rm.success, true, String(rm.errorMessage));
    assert.deepEqual(details(rm).removed, ids.slice(0, 150));
    assert.equal(details(rm).retries, 1);
    assert.deepEqual(sorted(stored()), sorted(ids.slice(150)));
  });
});
