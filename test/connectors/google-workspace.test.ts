// The Google-Workspace connector on the Directory API simulator (test/servers/google/): the JWT it
// signs (delegation subject, least scopes, audience), a subject that may not be impersonated, quota
// 403s retried with backoff, the generated password, PATCH of changed fields only, members one by
// one, and Google's error bodies as one-line messages.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createIamClient, type IamClient } from '../../src/client.js';
import { GOOGLE_SCOPES } from '../../src/connectors/google-workspace/index.js';
import {
  type GoogleSimulator,
  type GoogleSimulatorOptions,
  startGoogleSimulator,
} from '../servers/google/server.js';

const UNTHROTTLED = { requestsPerSecond: 100_000, burst: 1_000 };
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setup(opts: GoogleSimulatorOptions = {}, settings: Record<string, unknown> = {}) {
  const sim = await startGoogleSimulator(opts);
  const client: IamClient = createIamClient({
    config: {
      instances: {
        g: {
          brand: 'Google-Workspace',
          baseUrl: sim.baseUrl,
          serviceAccountKey: sim.serviceAccountKey,
          subject: sim.admin,
          rateLimit: UNTHROTTLED,
          allowDelete: true,
          ...settings,
        },
      },
    },
    env: {},
  });
  closers.push(
    () => client.close(),
    () => sim.close(),
  );
  return { sim, client };
}

const profile = (n: string, extra: Record<string, unknown> = {}) => ({
  email: `${n}@example.com`,
  givenname: 'Jo',
  surname: n,
  ...extra,
});

const api = (sim: GoogleSimulator) => sim.requests.filter((r) => r.path.startsWith('/admin/'));

describe('Google-Workspace on the Directory API simulator', () => {
  test('the assertion acts as the subject, for the service account, with the two least scopes', async () => {
    const { sim, client } = await setup();
    const r = (await client.getUser('g', { userProfile: { email: sim.nonAdmin } })).vendor;
    assert.equal(r.success, true, String(r.errorMessage));
    assert.equal(sim.oauth.assertions.length, 1);
    const claims = sim.oauth.assertions[0] as Record<string, unknown>;
    assert.equal(claims.sub, sim.admin, 'sub: the admin impersonated through domain-wide delegation');
    assert.equal(claims.iss, sim.clientEmail);
    assert.equal(claims.aud, sim.tokenUrl, "aud: the key's token_uri");
    assert.deepEqual(String(claims.scope).split(' '), [...GOOGLE_SCOPES]);
    assert.ok((claims.exp as number) - (claims.iat as number) <= 3600);
  });

  test('a subject who is not an admin: unauthorized_client as one line naming the subject, no key', async () => {
    const { sim, client } = await setup({}, { subject: 'staff@example.com' });
    const r = (await client.getUser('g', { userProfile: { email: sim.admin } })).vendor;
    assert.equal(r.success, false);
    assert.match(String(r.errorMessage), /unauthorized_client/);
    assert.match(String(r.errorMessage), /Client is unauthorized to retrieve access tokens/);
    assert.match(String(r.errorMessage), /staff@example\.com \(subject\) is a Workspace admin/);
    assert.equal(r.errorMessage.includes('\n'), false, 'one line');
    assert.equal(r.errorMessage.includes('PRIVATE KEY'), false);
    assert.equal(api(sim).length, 0, 'no API request without a token');
  });

  test('a key signed by another key pair is refused as Google does: invalid_grant "Invalid JWT Signature."', async () => {
    const { sim } = await setup();
    const other = await startGoogleSimulator();
    closers.push(() => other.close());
    const key = JSON.parse(other.serviceAccountKey) as Record<string, string>;
    const forged = JSON.stringify({ ...key, client_email: sim.clientEmail, token_uri: sim.tokenUrl });
    const client = createIamClient({
      config: {
        instances: {
          g: {
            brand: 'Google-Workspace',
            baseUrl: sim.baseUrl,
            serviceAccountKey: forged,
            subject: sim.admin,
          },
        },
      },
      env: {},
    });
    closers.push(() => client.close());
    const r = (await client.getUser('g', { userProfile: { email: sim.admin } })).vendor;
    assert.equal(r.success, false);
    assert.match(String(r.errorMessage), /invalid_grant \(Invalid JWT Signature\.\)/);
  });

  test('403 userRateLimitExceeded is retried with backoff: every create lands, none twice', async () => {
    // The instance is not paced here (its limiter is tested in src/http): the 403s must be retried.
    const { sim, client } = await setup(
      { quotaPerSecond: 4 },
      { retry: { attempts: 10, baseDelayMs: 250, maxDelayMs: 2_000 } },
    );
    const records = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.createUser('g', { userProfile: profile(`quota${i}`) })),
    );
    for (const { vendor } of records) assert.equal(vendor.success, true, String(vendor.errorMessage));
    assert.ok(sim.quotaRefusals() > 0, 'the quota was hit (the test is not vacuous)');
    const posts = api(sim).filter((q) => q.method === 'POST' && q.status === 200);
    assert.equal(posts.length, 8, 'each user created once');
    assert.equal(sim.store.users.size, 10);
  });

  test('create without a password sends a generated one, which no record shows', async () => {
    const { sim, client } = await setup();
    const r = (await client.createUser('g', { userProfile: profile('nopw', { title: 'Eng' }) })).vendor;
    assert.equal(r.success, true, String(r.errorMessage));
    const post = api(sim).find((q) => q.method === 'POST' && q.path.endsWith('/users'));
    const sent = post?.body as Record<string, unknown>;
    assert.equal(typeof sent.password, 'string');
    assert.ok(String(sent.password).length >= 8);
    assert.deepEqual(sent.organizations, [{ primary: true, title: 'Eng' }]);
    assert.equal(sent.suspended, false);
    assert.equal(
      JSON.stringify(r).includes(String(sent.password)),
      false,
      'the password is not in the record',
    );
    assert.equal(r.active, true);
    assert.equal(r.username, 'nopw@example.com');
  });

  test('update PATCHes only what changed; a new mobile phone keeps the work phone', async () => {
    const { sim, client } = await setup();
    const made = (
      await client.createUser('g', { userProfile: profile('ph', { mobilephone: '+1 555 0100' }) })
    ).vendor;
    sim.store.patchUser(String(made.id), {
      phones: [
        { type: 'mobile', value: '+1 555 0100' },
        { type: 'work', value: '+1 555 0199' },
      ],
    });
    sim.requests.length = 0;
    const r = (await client.updateUser('g', { userProfile: profile('ph', { mobilephone: '+1 555 0111' }) }))
      .vendor;
    assert.equal(r.success, true, String(r.errorMessage));
    const patches = api(sim).filter((q) => q.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.deepEqual(patches[0]?.body, {
      phones: [
        { type: 'mobile', value: '+1 555 0111' },
        { type: 'work', value: '+1 555 0199' },
      ],
    });
    sim.requests.length = 0;
    const same = (
      await client.updateUser('g', { userProfile: profile('ph', { mobilephone: '+1 555 0111' }) })
    ).vendor;
    assert.equal(same.success, true);
    assert.equal(api(sim).filter((q) => q.method !== 'GET').length, 0, 'nothing changed: no write');
  });

  test('disable and enable through suspended; delete says the user can be restored', async () => {
    const { sim, client } = await setup();
    const made = (await client.createUser('g', { userProfile: profile('sus') })).vendor;
    const off = (await client.disableUser('g', { userProfile: { email: 'sus@example.com' } })).vendor;
    assert.deepEqual([off.success, off.active], [true, false]);
    assert.equal(sim.store.findUser('sus@example.com')?.suspended, true);
    const on = (await client.enableUser('g', { userProfile: { email: 'sus@example.com' } })).vendor;
    assert.deepEqual([on.success, on.active], [true, true]);
    const bodies = api(sim)
      .filter((q) => q.method === 'PATCH')
      .map((q) => q.body);
    assert.deepEqual(bodies, [{ suspended: true }, { suspended: false }]);
    const del = (await client.deleteUser('g', { userProfile: { id: made.id } })).vendor;
    assert.equal(del.success, true, String(del.errorMessage));
    assert.equal(sim.store.findUser('sus@example.com'), undefined);
  });

  test('members are added one by one; a member that does not exist is named, the group is not "gone"', async () => {
    const { sim, client } = await setup();
    const g = await client.createGroup('g', { scim: { displayName: 'Sales Team' } });
    assert.equal(g.success, true, String(g.errorMessage));
    assert.equal(sim.store.findGroup('sales-team@example.com')?.name, 'Sales Team');
    const ids: string[] = [];
    for (const n of ['m1', 'm2'])
      ids.push(String((await client.createUser('g', { userProfile: profile(n) })).vendor.id));
    sim.requests.length = 0;
    const add = await client.updateGroup('g', {
      scim: { id: g.id },
      memberIdsToAdd: [...ids, '99999'].join(','),
    });
    const posts = api(sim).filter((q) => q.method === 'POST');
    assert.deepEqual(
      posts.map((q) => q.body),
      [...ids, '99999'].map((id) => ({ id, role: 'MEMBER' })),
    );
    assert.deepEqual((add.details as { added: string[] }).added, ids);
    const failed = (add.details as { failed: { id: string; errorMessage: string }[] }).failed;
    assert.deepEqual(
      failed.map((f) => f.id),
      ['99999'],
    );
    assert.match(failed[0]?.errorMessage ?? '', /member 99999 does not exist/);
    const got = await client.getGroup('g', { scim: { id: g.id }, includeMembers: 'yes' });
    assert.deepEqual(got.members?.map((m) => m.value).sort(), [...ids].sort());
  });

  test('a wrong baseUrl is a message naming it, never "user not found"', async () => {
    const { sim, client } = await setup({}, {});
    const wrong = createIamClient({
      config: {
        instances: {
          g: {
            brand: 'Google-Workspace',
            baseUrl: `${sim.baseUrl}/oops`,
            serviceAccountKey: sim.serviceAccountKey,
            subject: sim.admin,
          },
        },
      },
      env: {},
    });
    closers.push(() => wrong.close());
    const r = (await wrong.getUser('g', { userProfile: { email: sim.admin } })).vendor;
    assert.equal(r.success, false);
    assert.match(String(r.errorMessage), /check baseUrl/);
    assert.equal((await client.getUser('g', { userProfile: { email: sim.admin } })).vendor.success, true);
  });

  test('a dry run reads, answers every write as it would go, and sends no write', async () => {
    const { sim } = await setup();
    const dry = createIamClient({
      config: {
        instances: {
          g: {
            brand: 'Google-Workspace',
            baseUrl: sim.baseUrl,
            serviceAccountKey: sim.serviceAccountKey,
            subject: sim.admin,
            allowDelete: true,
          },
        },
      },
      env: {},
      dryRun: true,
    });
    closers.push(() => dry.close());
    const who = { email: sim.nonAdmin };
    const runs = [
      await dry.createUser('g', { userProfile: profile('dry') }),
      await dry.updateUser('g', { userProfile: { ...who, title: 'Boss' } }),
      await dry.disableUser('g', { userProfile: who }),
      await dry.deleteUser('g', { userProfile: who }),
    ];
    for (const { vendor } of runs) assert.equal(vendor.success, true, String(vendor.errorMessage));
    assert.deepEqual(
      api(sim).filter((q) => q.method !== 'GET'),
      [],
      'only reads reached Google',
    );
    assert.equal(sim.store.findUser(sim.nonAdmin)?.suspended, false);
  });
});
