// The SCIM gateway's /Users in front of Local: what an identity provider sends becomes IAM commands,
// and the answer is what the app did. Flags, dry run and audit apply; nothing is claimed that the
// app did not do.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { localConnector } from '../../src/connectors/local/index.js';
import type { ConnectorDefinition } from '../../src/index.js';
import { type GatewayServer, scimCall, startScimGateway } from '../servers/scim-gateway.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const open: GatewayServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

async function gateway(flags: Record<string, unknown> = {}, client = {}) {
  const g = await startScimGateway({
    instances: { local: { brand: 'Local', path: ':memory:', ...flags } },
    instance: 'local',
    client,
  });
  open.push(g);
  return g;
}

const alice = {
  schemas: [USER],
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  active: true,
};

describe('SCIM gateway /Users', () => {
  test('POST answers 201 with the account Local created, and Location; GET by id reads it back', async () => {
    const g = await gateway();
    const created = await scimCall(g, 'POST', '/Users', alice);
    assert.equal(created.status, 201);
    const id = String(created.body.id);
    assert.equal(created.headers.get('location'), `${g.url}/Users/${id}`);
    assert.match(String(created.headers.get('content-type')), /^application\/scim\+json/);
    const stored = await g.client.getUser('local', { userProfile: { id } });
    assert.equal(stored.vendor.username, 'alice@example.com');
    const read = await scimCall(g, 'GET', `/Users/${id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.name, { givenName: 'Alice', familyName: 'Liddell' });
    assert.equal(read.body.active, true);
    assert.ok(read.headers.get('etag')?.startsWith('W/"'), 'a weak ETag from meta.lastModified');
  });

  test('POST of a userName in use is 409 uniqueness, and the existing account is left as it was', async () => {
    const g = await gateway();
    await scimCall(g, 'POST', '/Users', alice);
    const again = await scimCall(g, 'POST', '/Users', {
      ...alice,
      userName: 'ALICE@example.com',
      title: 'CEO',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.scimType, 'uniqueness');
    assert.equal(again.body.status, '409');
    const stored = await g.client.getUser('local', { userProfile: { username: 'alice@example.com' } });
    assert.equal(stored.userProfile.title, undefined, 'create-user alone would have updated it');
  });

  test('a command the instance turns off is 403 and nothing is created; so is a dry run (never 201)', async () => {
    for (const g of [await gateway({ allowCreate: false }), await gateway({}, { dryRun: true })]) {
      const answer = await scimCall(g, 'POST', '/Users', alice);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(
        (await g.client.getUser('local', { userProfile: { username: alice.userName } })).vendor.errorCode,
        404,
      );
    }
  });

  test('POST without userName is 400 (not a user named after its email)', async () => {
    const g = await gateway();
    const { userName: _omit, ...noName } = alice;
    const answer = await scimCall(g, 'POST', '/Users', noName);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.scimType, 'invalidValue');
    assert.match(String(answer.body.detail), /userName/);
  });

  test('PATCH as Entra ID and Okta send it: "Replace", "False", no path, filtered path, extension path', async () => {
    const g = await gateway();
    const id = String((await scimCall(g, 'POST', '/Users', alice)).body.id);
    const answer = await scimCall(g, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'alice@wonderland.example' },
        { op: 'Add', value: { 'name.givenName': 'Alicia', title: 'Explorer' } },
        { op: 'replace', path: `${ENT}:department`, value: 'Looking Glass' },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const read = await g.client.getUser('local', { userProfile: { id } });
    assert.equal(read.vendor.active, false);
    assert.equal(read.userProfile.email, 'alice@wonderland.example');
    assert.equal(read.userProfile.givenname, 'Alicia');
    assert.equal(read.userProfile.title, 'Explorer');
    assert.equal(read.userProfile.department, 'Looking Glass');
    assert.equal(answer.body.active, false);
  });

  test('PATCH of another attribute on a disabled user does not enable it', async () => {
    const g = await gateway();
    const id = String((await scimCall(g, 'POST', '/Users', { ...alice, active: false })).body.id);
    assert.equal((await g.client.getUser('local', { userProfile: { id } })).vendor.active, false);
    const answer = await scimCall(g, 'PATCH', `/Users/${id}`, {
      Operations: [{ op: 'replace', path: 'title', value: 'Queen' }],
    });
    assert.equal(answer.status, 200);
    assert.equal((await g.client.getUser('local', { userProfile: { id } })).vendor.active, false);
  });

  test('a PUT or PATCH that would clear a value is 400 mutability, and nothing is changed', async () => {
    const g = await gateway();
    const id = String((await scimCall(g, 'POST', '/Users', { ...alice, title: 'CEO' })).body.id);
    const put = await scimCall(g, 'PUT', `/Users/${id}`, {
      ...alice,
      name: { givenName: 'Al', familyName: 'L' },
    });
    assert.equal(put.status, 400);
    assert.equal(put.body.scimType, 'mutability');
    assert.match(String(put.body.detail), /title/);
    const removed = await scimCall(g, 'PATCH', `/Users/${id}`, {
      Operations: [{ op: 'remove', path: 'title' }],
    });
    assert.equal(removed.status, 400);
    const read = await g.client.getUser('local', { userProfile: { id } });
    assert.equal(read.userProfile.title, 'CEO');
    assert.equal(read.userProfile.givenname, 'Alice');
  });

  test('DELETE deletes where allowDelete is on, else disables (the account stays, inactive)', async () => {
    const deleting = await gateway({ allowDelete: true });
    const id1 = String((await scimCall(deleting, 'POST', '/Users', alice)).body.id);
    assert.equal((await scimCall(deleting, 'DELETE', `/Users/${id1}`)).status, 204);
    assert.equal((await scimCall(deleting, 'GET', `/Users/${id1}`)).status, 404);

    const disabling = await gateway();
    const id2 = String((await scimCall(disabling, 'POST', '/Users', alice)).body.id);
    assert.equal((await scimCall(disabling, 'DELETE', `/Users/${id2}`)).status, 204);
    const read = await scimCall(disabling, 'GET', `/Users/${id2}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.active, false);
    assert.equal((await scimCall(disabling, 'DELETE', `/Users/${id2}`)).status, 204, 'already disabled');
    assert.equal((await scimCall(disabling, 'DELETE', '/Users/no-such-id')).status, 404);
  });

  test('a missing id is 404 with a SCIM error body on GET, PUT and PATCH', async () => {
    const g = await gateway();
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', alice],
      ['PATCH', { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
    ] as const) {
      const answer = await scimCall(g, method, '/Users/0000', body);
      assert.equal(answer.status, 404, method);
      assert.deepEqual(answer.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(answer.body.status, '404');
    }
  });

  test('bad JSON is 400 invalidSyntax; a bad PATCH op is 400 naming it', async () => {
    const g = await gateway();
    const bad = await scimCall(g, 'POST', '/Users', '{"userName": ');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidSyntax');
    const id = String((await scimCall(g, 'POST', '/Users', alice)).body.id);
    const op = await scimCall(g, 'PATCH', `/Users/${id}`, {
      Operations: [{ op: 'merge', path: 'title', value: 'x' }],
    });
    assert.equal(op.status, 400);
    assert.match(String(op.body.detail), /Operations\[0\]\.op/);
  });

  test('the app failing is 502 with its message, never a 201', async () => {
    const g = await startScimGateway({
      instances: {
        dead: {
          brand: 'SCIM',
          baseUrl: 'http://127.0.0.1:9/scim/v2',
          token: 't0ken-of-the-app',
          retry: { attempts: 1 },
        },
      },
      instance: 'dead',
    });
    open.push(g);
    const answer = await scimCall(g, 'POST', '/Users', alice);
    assert.equal(answer.status, 502, JSON.stringify(answer.body));
    assert.doesNotMatch(JSON.stringify(answer.body), /t0ken-of-the-app/);
  });

  test('writes are audited with the actor the client names (scim:<path>)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-gw-audit-'));
    const auditLog = join(dir, 'audit.log');
    const g = await gateway({}, { auditLog, actor: 'scim:local' });
    const id = String((await scimCall(g, 'POST', '/Users', alice)).body.id);
    await scimCall(g, 'PATCH', `/Users/${id}`, {
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    const lines = readFileSync(auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const commands = lines.filter((l) => l.phase !== 'intent').map((l) => l.command);
    assert.ok(
      commands.includes('create-user') && commands.includes('disable-user'),
      JSON.stringify(commands),
    );
    assert.ok(lines.every((l) => l.actor === 'scim:local'));
  });

  test('a command the connector cannot do is 501 (a read-only brand), and lists it cannot do too', async () => {
    const readOnly: ConnectorDefinition = {
      ...(localConnector as ConnectorDefinition),
      brand: 'ReadOnly',
      create(settings, ctx) {
        const c = localConnector.create(settings as never, ctx);
        return { findUsers: c.findUsers?.bind(c), getUser: c.getUser?.bind(c), close: () => c.close() };
      },
    };
    const g = await startScimGateway({
      instances: { ro: { brand: 'ReadOnly', path: ':memory:' } },
      instance: 'ro',
      client: { registry: [readOnly] },
    });
    open.push(g);
    const created = await scimCall(g, 'POST', '/Users', alice);
    assert.equal(created.status, 501, JSON.stringify(created.body));
    assert.match(String(created.body.detail), /does not support create-user/);
    assert.equal((await scimCall(g, 'GET', '/Users')).status, 501);
    const lookup = await scimCall(g, 'GET', `/Users?filter=${encodeURIComponent('userName eq "x"')}`);
    assert.equal(lookup.body.totalResults, 0);
  });

  test('the token is in no log line and no answer, whether right or wrong', async () => {
    const lines: string[] = [];
    const g = await startScimGateway({
      instances: { local: { brand: 'Local', path: ':memory:' } },
      instance: 'local',
      token: 'entry-token-Zq8x1',
      log: (line) => lines.push(line),
      client: { logLevel: 'debug', logWrite: (line: string) => lines.push(line) },
    });
    open.push(g);
    const answers = [
      await scimCall(g, 'POST', '/Users', alice),
      await scimCall(g, 'GET', '/Users?filter=userName%20eq%20%22alice@example.com%22'),
      await scimCall(g, 'GET', '/Users', undefined, { authorization: 'Bearer entry-token-Zq8x1-wrong' }),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 200, 401],
    );
    assert.ok(lines.length > 0, 'the server logged its requests');
    const all = [...lines, ...answers.map((a) => JSON.stringify(a.body))].join('\n');
    assert.doesNotMatch(all, /Zq8x1/);
  });

  test('If-Match: a PATCH at the current ETag goes ahead; at a stale one it is 412 and changes nothing', async () => {
    const g = await gateway();
    const created = await scimCall(g, 'POST', '/Users', alice);
    const id = String(created.body.id);
    const etag = String(created.headers.get('etag'));
    const auth = { authorization: `Bearer ${g.token}` };
    const patch = (value: string, ifMatch: string) =>
      scimCall(
        g,
        'PATCH',
        `/Users/${id}`,
        { Operations: [{ op: 'replace', path: 'title', value }] },
        {
          ...auth,
          'if-match': ifMatch,
        },
      );
    const first = await patch('First', etag);
    assert.equal(first.status, 200);
    assert.notEqual(first.headers.get('etag'), etag, 'the version moved');
    const stale = await patch('Second', etag);
    assert.equal(stale.status, 412, JSON.stringify(stale.body));
    assert.equal((await g.client.getUser('local', { userProfile: { id } })).userProfile.title, 'First');
    assert.equal((await patch('Third', '*')).status, 200);
  });

  test('If-Match: a DELETE at a stale ETag is 412 and the account stays; at the current one it goes', async () => {
    const g = await gateway({ allowDelete: true });
    const created = await scimCall(g, 'POST', '/Users', alice);
    const id = String(created.body.id);
    const stale = String(created.headers.get('etag'));
    const auth = { authorization: `Bearer ${g.token}` };
    const patched = await scimCall(
      g,
      'PATCH',
      `/Users/${id}`,
      { Operations: [{ op: 'replace', path: 'title', value: 'Moved' }] },
      auth,
    );
    assert.equal(patched.status, 200);
    const refused = await scimCall(g, 'DELETE', `/Users/${id}`, undefined, { ...auth, 'if-match': stale });
    assert.equal(refused.status, 412, JSON.stringify(refused.body));
    assert.equal(
      (await g.client.getUser('local', { userProfile: { id } })).vendor.success,
      true,
      'still there',
    );
    const current = String(patched.headers.get('etag'));
    const done = await scimCall(g, 'DELETE', `/Users/${id}`, undefined, { ...auth, 'if-match': current });
    assert.equal(done.status, 204, JSON.stringify(done.body));
    assert.equal((await scimCall(g, 'GET', `/Users/${id}`, undefined, auth)).status, 404);
  });

  test('an entry naming an instance the config lacks fails at start, naming it', async () => {
    await assert.rejects(
      startScimGateway({
        instances: { local: { brand: 'Local', path: ':memory:' } },
        instance: 'locl',
        path: 'x',
      }),
      /server\.scim path "x": instance "locl" is not configured/,
    );
  });
});
