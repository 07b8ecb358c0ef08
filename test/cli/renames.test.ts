// Renames through the CLI against the third-party SCIM server (scimmy): `olduserdata` finds the
// account by the old values, the new ones are written, the account keeps its id, and `olduserdata`
// never reaches the wire. A rename whose old values find nothing, or whose new username is taken,
// fails and changes nothing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-renames-');
let server: ScimTestServer;
let config = '';

before(async () => {
  server = await startScimServer({ patch: true });
  config = join(dir.path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:SCIM_TOKEN}\n`,
  );
});
after(async () => {
  await server.close();
  dir.cleanup();
});
beforeEach(() => server.reset());

async function iam(command: string, profile: Record<string, unknown>) {
  const r = await runIam([command, '--config', config, '--user-profile', JSON.stringify(profile)], {
    cwd: dir.path,
    env: { SCIM_TOKEN: server.token },
  });
  return { ...r, vendor: r.vendors[0] ?? {} };
}

const emailOf = (u: Record<string, unknown>) => (u.emails as { value: string }[] | undefined)?.[0]?.value;
const byId = (id: unknown) => server.users().find((u) => u.id === id) as Record<string, unknown>;

/** Nothing the client sent carried an `olduserdata` key or the old values as data to write. */
function noOldUserDataOnTheWire(): void {
  for (const r of server.requests) {
    assert.equal(
      JSON.stringify(r.body ?? null)
        .toLowerCase()
        .includes('olduserdata'),
      false,
      r.path,
    );
  }
}

async function created(profile: Record<string, unknown>): Promise<string> {
  const r = await iam('create-user', profile);
  assert.equal(r.vendor.success, true, r.stdout + r.stderr);
  return r.vendor.id as string;
}

describe('renames with olduserdata (SCIM, scimmy)', () => {
  test('a username rename: same id, new userName, olduserdata never sent', async () => {
    const id = await created({ username: 'ann.lee', email: 'ann@example.com' });
    const r = await iam('update-user', { username: 'ann.smith', olduserdata: { username: 'ann.lee' } });
    assert.deepEqual([r.code, r.vendor.success, r.vendor.action, r.vendor.id], [0, true, 'update', id]);
    assert.equal(server.users().length, 1);
    assert.equal(byId(id).userName, 'ann.smith');
    assert.equal(emailOf(byId(id)), 'ann@example.com', 'the email is kept');
    noOldUserDataOnTheWire();
  });

  test('an email rename: the new email written, the username kept, same id', async () => {
    const id = await created({ username: 'bob', email: 'bob@old.example' });
    const r = await iam('update-user', {
      username: 'bob',
      email: 'bob@new.example',
      olduserdata: { email: 'bob@old.example' },
    });
    assert.deepEqual([r.code, r.vendor.success, r.vendor.id], [0, true, id]);
    assert.deepEqual([byId(id).userName, emailOf(byId(id))], ['bob', 'bob@new.example']);
    noOldUserDataOnTheWire();
  });

  test('an email rename where the email is the login: found by the old email, both follow', async () => {
    const id = await created({ email: 'hal@old.example' });
    assert.equal(byId(id).userName, 'hal@old.example');
    const r = await iam('update-user', {
      email: 'hal@new.example',
      olduserdata: { email: 'hal@old.example' },
    });
    assert.deepEqual([r.code, r.vendor.success, r.vendor.id], [0, true, id]);
    assert.deepEqual([byId(id).userName, emailOf(byId(id))], ['hal@new.example', 'hal@new.example']);
    assert.equal(server.users().length, 1);
    noOldUserDataOnTheWire();
  });

  test('both at once', async () => {
    const id = await created({ username: 'cy', email: 'cy@old.example', title: 'Dev' });
    const r = await iam('update-user', {
      username: 'cyril',
      email: 'cyril@new.example',
      olduserdata: { username: 'cy', email: 'cy@old.example' },
    });
    assert.deepEqual([r.code, r.vendor.success, r.vendor.id], [0, true, id]);
    assert.deepEqual(
      [byId(id).userName, emailOf(byId(id)), byId(id).title],
      ['cyril', 'cyril@new.example', 'Dev'],
    );
    assert.equal(server.users().length, 1);
    noOldUserDataOnTheWire();
  });

  test('old values that match nothing: a clear failure; nothing created, no other account touched', async () => {
    const other = await created({ username: 'dan', email: 'dan@example.com' });
    const before = JSON.stringify(server.users());
    server.requests.length = 0;
    // The new username is another person's: updating "whatever the new values find" would rename them.
    for (const profile of [
      { username: 'dan', title: 'CEO', olduserdata: { username: 'nobody' } },
      { username: 'eve', olduserdata: { username: 'nobody' } },
    ]) {
      const r = await iam('update-user', profile);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual([r.vendor.success, r.vendor.errorCode], [false, 404]);
      assert.match(
        String(r.vendor.errorMessage),
        /^rename: no account holds the old values \(userName "nobody"\); nothing was changed/,
      );
    }
    assert.equal(JSON.stringify(server.users()), before, 'the store is unchanged');
    assert.deepEqual(
      server.requests.filter((q) => q.method !== 'GET').map((q) => q.method),
      [],
      'no write was sent',
    );
    assert.equal(byId(other).title, undefined);
  });

  test('a new username taken by another account: fails naming the conflict, changes nothing', async () => {
    await created({ username: 'fay', email: 'fay@example.com' });
    const gus = await created({ username: 'gus', email: 'gus@example.com' });
    const before = JSON.stringify(server.users());
    const r = await iam('update-user', { username: 'fay', title: 'Boss', olduserdata: { username: 'gus' } });
    assert.equal(r.code, 1);
    assert.deepEqual([r.vendor.success, r.vendor.errorCode, r.vendor.id], [false, 409, gus]);
    assert.match(String(r.vendor.errorMessage), /userName "fay" is already in use/);
    assert.equal(JSON.stringify(server.users()), before, 'the store is unchanged');
  });
});
