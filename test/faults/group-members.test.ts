// update-group at scale: chunks of the connector's batch size (AWS-ILM: 100), a few in flight at
// once, all adds answered before the first remove, every member's outcome in the record in input
// order, and a failing chunk that lists exactly its ids while the other chunks are applied.
//
// The AWS simulator (test/servers/aws-ilm-server.ts) re-validates the whole group on every PATCH
// (scimmy), so a 10,000-member group costs it minutes; the 10,000-id runs therefore go to a small
// peer below that keeps members in a Set and enforces the same AWS rules (at most 100 member
// changes per PATCH: 400 ValidationException; an unknown member: 400), and the simulator itself
// gets a 1,000-id run with the same assertions.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import type { GroupRecord } from '../../src/core/record.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import { call, USER } from '../servers/scim-test-client.js';

const TENANT = 'd-0000000000';
const TOKEN = 'aws-peer-token';
const GROUP_ID = 'g-everyone';

interface PeerRequest {
  method: string;
  path: string;
  ops: { op: string; path?: string; value?: unknown }[];
  /** Requests being handled when this one arrived, itself included. */
  inFlight: number;
  status: number;
}

const readJson = (req: IncomingMessage) =>
  new Promise<unknown>((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    req.on('end', () => resolve(text ? (JSON.parse(text) as unknown) : undefined));
  });

/** The membership part of AWS's SCIM endpoint for one group, with members in a Set. */
async function startMembershipPeer(knownUsers: ReadonlySet<string>) {
  const requests: PeerRequest[] = [];
  const members = new Set<string>();
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    const entry: PeerRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      ops: [],
      inFlight,
      status: 0,
    };
    requests.push(entry);
    const answer = (status: number, body?: unknown) => {
      entry.status = status;
      inFlight -= 1;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, text ? { 'content-type': 'application/scim+json' } : {});
      res.end(text);
    };
    const invalid = (detail: string) =>
      answer(400, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail });
    void readJson(req).then(async (body) => {
      // Hold each request a moment so that concurrent ones overlap, as they would on a real app.
      await new Promise((r) => setTimeout(r, 2));
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return answer(401, { detail: 'UnauthorizedException' });
      if (req.url !== `/${TENANT}/scim/v2/Groups/${GROUP_ID}`) return answer(404, { detail: 'Not found' });
      if (req.method === 'GET') return answer(200, { schemas: [], id: GROUP_ID, displayName: 'Everyone' });
      if (req.method !== 'PATCH') return invalid(`ValidationException: ${req.method} is not supported`);
      const ops = (body as { Operations?: PeerRequest['ops'] })?.Operations ?? [];
      entry.ops = ops;
      const adds: string[] = [];
      const removes: string[] = [];
      for (const op of ops) {
        if (op.op === 'add' && op.path === 'members') {
          adds.push(...(op.value as { value: string }[]).map((m) => m.value));
        } else {
          const m = /^members\[value eq (".*")\]$/.exec(op.path ?? '');
          if (op.op !== 'remove' || !m?.[1]) return invalid('ValidationException: unsupported operation');
          removes.push(JSON.parse(m[1]) as string);
        }
      }
      if (adds.length + removes.length > 100) {
        return invalid(
          `ValidationException: ${adds.length + removes.length} membership changes; at most 100`,
        );
      }
      const unknown = adds.find((id) => !knownUsers.has(id));
      if (unknown) return invalid(`ValidationException: member ${unknown} does not exist`);
      for (const id of adds) members.add(id);
      for (const id of removes) members.delete(id);
      return answer(204);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { baseUrl: `http://127.0.0.1:${port}`, requests, members };
}

function awsClient(baseUrl: string, tenantId: string, token: string) {
  // The AWS-ILM connector as configured by a user: its default rate limit (20/s) applies.
  const iam = createIamClient({
    config: { instances: { aws: { brand: 'AWS-ILM', baseUrl, tenantId, token } } },
    env: {},
  });
  after(() => iam.close());
  return iam;
}

const ids = (n: number, prefix = 'u') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
const memberCount = (r: PeerRequest) =>
  r.ops.reduce((n, op) => n + (Array.isArray(op.value) ? op.value.length : 1), 0);
const details = (rec: GroupRecord) =>
  rec.details as {
    added: string[];
    removed: string[];
    failed: { id: string; op: string; errorCode: unknown; errorMessage: string }[];
  };

describe('update-group with 10,000 ids (AWS rules, 100 per PATCH)', () => {
  test('100 PATCH requests of at most 100 members, at most 4 at once; every member added, in input order', async () => {
    const all = ids(10_000);
    const peer = await startMembershipPeer(new Set(all));
    const iam = awsClient(peer.baseUrl, TENANT, TOKEN);
    const rec = await iam.updateGroup('aws', { scim: { id: GROUP_ID }, memberIdsToAdd: all });
    assert.equal(rec.success, true, String(rec.errorMessage));
    const patches = peer.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 100);
    assert.ok(patches.every((r) => memberCount(r) <= 100 && r.status === 204));
    const inFlight = Math.max(...peer.requests.map((r) => r.inFlight));
    assert.ok(inFlight <= 4, `${inFlight} requests in flight at once`);
    assert.ok(inFlight > 1, 'chunks were sent one at a time');
    assert.deepEqual(details(rec).added, all);
    assert.deepEqual([details(rec).removed, details(rec).failed], [[], []]);
    assert.equal(peer.members.size, 10_000);
  });

  test('a chunk of 100 unknown ids: each is named as failed, with code and message; the other 99 chunks are applied', async () => {
    const all = ids(10_000);
    // Ids 5000..5099 (the 51st chunk) are no users of this app.
    const unknown = new Set(all.slice(5_000, 5_100));
    const peer = await startMembershipPeer(new Set(all.filter((id) => !unknown.has(id))));
    const iam = awsClient(peer.baseUrl, TENANT, TOKEN);
    const rec = await iam.updateGroup('aws', { scim: { id: GROUP_ID }, memberIdsToAdd: all });
    assert.equal(rec.success, false);
    assert.equal(rec.errorCode, 400);
    assert.equal(
      rec.errorMessage,
      `100 of 10000 member changes failed: ValidationException: member ${all[5_000]} does not exist`,
    );
    const { added, failed } = details(rec);
    assert.deepEqual(
      failed.map((f) => f.id),
      [...unknown],
    );
    assert.ok(
      failed.every((f) => f.op === 'add' && f.errorCode === 400 && /does not exist/.test(f.errorMessage)),
    );
    assert.deepEqual(
      added,
      all.filter((id) => !unknown.has(id)),
    );
    assert.equal(peer.members.size, 9_900);
    // The refused chunk is halved down to single ids (each refused): 2·100 − 1 requests for it.
    assert.equal(peer.requests.filter((r) => r.method === 'PATCH').length, 99 + 199);
  });

  test('every add is answered before the first remove is sent', async () => {
    const all = ids(1_000);
    const peer = await startMembershipPeer(new Set(all));
    const iam = awsClient(peer.baseUrl, TENANT, TOKEN);
    const toRemove = all.slice(0, 400);
    const rec = await iam.updateGroup('aws', {
      scim: { id: GROUP_ID },
      memberIdsToAdd: all,
      memberIdsToDelete: toRemove,
    });
    assert.equal(rec.success, true, String(rec.errorMessage));
    const patches = peer.requests.filter((r) => r.method === 'PATCH');
    const kinds = patches.map((r) => r.ops[0]?.op);
    assert.deepEqual(kinds, [...Array(10).fill('add'), ...Array(4).fill('remove')]);
    // A remove never overlapped an add: when the first remove arrived, nothing else was in flight
    // but removes (adds are all answered first).
    const firstRemove = patches.findIndex((r) => r.ops[0]?.op === 'remove');
    assert.equal(patches[firstRemove]?.inFlight, 1);
    assert.deepEqual(details(rec).removed, toRemove);
    assert.equal(peer.members.size, 600);
  });

  test('a missing group is reported once, after its first chunk, and nothing more is sent', async () => {
    const peer = await startMembershipPeer(new Set(ids(500)));
    const iam = awsClient(peer.baseUrl, TENANT, TOKEN);
    const rec = await iam.updateGroup('aws', { scim: { id: 'no-such-group' }, memberIdsToAdd: ids(500) });
    assert.deepEqual([rec.success, rec.errorCode, rec.errorMessage], [false, 404, 'Group Not Found']);
    assert.deepEqual(
      peer.requests.map((r) => r.method),
      ['PATCH', 'GET'],
    );
  });
});

describe('update-group on the AWS simulator', () => {
  test('1,000 ids and 4 unknown ones in 3 chunks: PATCHes of at most 100; each unknown id named, every real one in the group', async () => {
    const server = await startAwsIlmServer();
    after(() => server.close());
    const real: string[] = [];
    for (let i = 0; i < 1_000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          call(server, 'POST', '/Users', {
            schemas: [USER],
            userName: `member${i + j}`,
            displayName: `Member ${i + j}`,
            name: { givenName: 'Member', familyName: String(i + j) },
          }),
        ),
      );
      for (const r of batch) real.push(String(r.body.id));
    }
    // A chunk refused for an unknown id is halved until the id stands alone (each halving on the
    // simulator re-validates the whole group, so a few unknown ids here; a chunk of 100 unknown
    // ones is the 10,000-id test above). Chunks 1 and 6 hold one unknown id each, chunk 9 two.
    const fake = ids(4, 'no-such-user-');
    const input = [
      ...real.slice(0, 7),
      fake[0] as string,
      ...real.slice(7, 530),
      fake[1] as string,
      ...real.slice(530, 850),
      fake[2] as string,
      ...real.slice(850, 870),
      fake[3] as string,
      ...real.slice(870),
    ];
    const iam = awsClient(server.baseUrl, server.tenantId, server.token);
    const g = await iam.createGroup('aws', { scim: { displayName: 'Everyone' } });
    const before = server.requests.length;
    const rec = await iam.updateGroup('aws', { scim: { id: g.id }, memberIdsToAdd: input });
    const patches = server.requests.slice(before).filter((r) => r.method === 'PATCH');
    for (const p of patches) {
      const ops = (p.body as { Operations: { value: unknown[] }[] }).Operations;
      assert.ok(ops.every((op) => op.value.length <= 100));
    }
    // 11 chunks; halving a chunk of 100 costs at most 2 requests per level (7 levels), twice that
    // for the chunk with two unknown ids.
    assert.ok(patches.length <= 11 + 4 * 14, `${patches.length} PATCH requests`);
    assert.equal(rec.success, false);
    assert.equal(rec.errorCode, 400);
    const { added, failed } = details(rec);
    assert.deepEqual(added, real, String(rec.errorMessage));
    assert.deepEqual(
      failed.map((f) => f.id),
      fake,
    );
    for (const f of failed) assert.match(String(f.errorMessage), new RegExp(`${f.id} does not exist`));
    const stored = server.groups().find((x) => x.id === g.id);
    const members = ((stored?.members ?? []) as { value: string }[]).map((m) => m.value).sort();
    assert.deepEqual(members, [...real].sort());
  });
});
