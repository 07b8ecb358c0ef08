// Okta's SCIM 2.0 SPEC test (a Runscope export, interpreted by okta-runner.ts) against the gateway
// in front of Local, and in front of the SCIM connector aimed at the third-party SCIM server
// (scimmy): every step's assertions must pass on both.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IamClient } from '../../src/index.js';
import { startScimGateway } from '../servers/scim-gateway.js';
import { startScimPeer } from '../servers/scim-peer.js';
import { runOktaSuite } from './okta-runner.js';
import { SUITE_FILES, suitesMissing } from './suites.js';

const missing = suitesMissing(SUITE_FILES.okta, SUITE_FILES.oktaScript);

/** The suite expects one user to exist before it starts. */
async function seed(client: IamClient, instance: string): Promise<void> {
  const userProfile = {
    username: 'seed@example.com',
    email: 'seed@example.com',
    givenname: 'Seed',
    surname: 'User',
  };
  const result = await client.createUser(instance, { userProfile });
  assert.equal(result.vendor.success, true, result.vendor.errorMessage);
}

describe("SCIM gateway: Okta's SCIM 2.0 SPEC test (Runscope)", { skip: missing }, () => {
  test('in front of Local: all 12 steps, 52 assertions and the groups script pass', async () => {
    const gateway = await startScimGateway({
      instances: { local: { brand: 'Local', path: ':memory:' } },
      instance: 'local',
    });
    try {
      await seed(gateway.client, 'local');
      const results = await runOktaSuite(gateway.url, gateway.token);
      assert.deepEqual(
        results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.message}`),
        [],
      );
      assert.equal(results.length, 53);
    } finally {
      await gateway.close();
    }
  });

  test('chain gateway -> SCIM connector -> scimmy: all pass too', async () => {
    const peer = await startScimPeer();
    const gateway = await startScimGateway({
      instances: { peer: { brand: 'SCIM', baseUrl: peer.url, token: peer.token } },
      instance: 'peer',
    });
    try {
      await seed(gateway.client, 'peer');
      const results = await runOktaSuite(gateway.url, gateway.token);
      assert.deepEqual(
        results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.message}`),
        [],
      );
      // The users the suite created are in the app behind the chain, not only in the gateway.
      assert.ok(peer.requests.some((r) => r.method === 'POST' && r.path.endsWith('/Users')));
    } finally {
      await gateway.close();
      await peer.close();
    }
  });

  test('the runner can fail: with a token the gateway does not know, only the 401 step gets its status', async () => {
    const gateway = await startScimGateway({
      instances: { local: { brand: 'Local', path: ':memory:' } },
      instance: 'local',
    });
    try {
      const results = await runOktaSuite(gateway.url, 'not-the-token');
      const statuses = results.filter((r) => r.name.includes('response_status'));
      const passed = statuses.filter((r) => r.passed).map((r) => r.name);
      assert.equal(statuses.length, 12);
      assert.deepEqual(passed, ['Required Test: Check status 401 / response_status equal_number 401']);
    } finally {
      await gateway.close();
    }
  });
});
