// AWS-ILM rules through the commands: member batches of at most 100 and no startIndex, against the
// AWS IAM Identity Center SCIM simulator (test/servers/aws-ilm-server.ts). The spec rows themselves
// run on AWS-ILM in test/conformance (brands.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';

const UNTHROTTLED = { requestsPerSecond: 100_000, burst: 1_000 };

describe('AWS-ILM rules, through the commands', () => {
  test('get-user by email alone says why it cannot be looked up, and which field to give (issue 13 item 5)', async () => {
    const server = await startAwsIlmServer();
    const iam = createIamClient({
      config: {
        instances: {
          aws: { brand: 'AWS-ILM', baseUrl: server.baseUrl, tenantId: server.tenantId, token: server.token },
        },
      },
      env: {},
    });
    try {
      const before = server.requests.length;
      const r = await iam.getUser('aws', { userProfile: { email: 'jdoe@example.com' } });
      assert.equal(r.vendor.success, false);
      assert.equal(
        r.vendor.errorMessage,
        "user-profile has no attribute to look the user up by: give one of id, username; email cannot be used: AWS-ILM looks users up only by id, username (AWS's SCIM filter supports only userName, externalId and id)",
      );
      assert.equal(server.requests.length, before, 'nothing sent');
    } finally {
      await iam.close();
      await server.close();
    }
  });

  test('a 250-member update-group is 3 PATCH requests of at most 100 members; no request uses startIndex', async () => {
    const server = await startAwsIlmServer();
    const iam = createIamClient({
      config: {
        instances: {
          aws: {
            brand: 'AWS-ILM',
            baseUrl: server.baseUrl,
            tenantId: server.tenantId,
            token: server.token,
            rateLimit: UNTHROTTLED,
          },
        },
      },
      env: {},
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 250; i++) {
        const r = await iam.createUser('aws', {
          userProfile: {
            username: `bulk${i}`,
            email: `bulk${i}@example.com`,
            givenname: 'Bulk',
            surname: `No${i}`,
          },
        });
        assert.equal(r.vendor.success, true, r.vendor.errorMessage);
        ids.push(String(r.vendor.id));
      }
      const g = await iam.createGroup('aws', { scim: { displayName: 'Everyone' } });
      const before = server.requests.length;
      const rec = await iam.updateGroup('aws', { scim: { id: g.id }, memberIdsToAdd: ids });
      assert.equal(rec.success, true, String(rec.errorMessage));
      assert.equal((rec.details as { added: string[] }).added.length, 250);
      const sent = server.requests.slice(before);
      assert.deepEqual(
        sent.map((r) => r.method),
        ['PATCH', 'PATCH', 'PATCH'],
      );
      assert.ok(sent.every((r) => r.status < 300));
      const sizes = sent.map((r) => {
        const ops = (r.body as { Operations: { value?: unknown[] }[] }).Operations;
        return ops.reduce((n, op) => n + (op.value?.length ?? 0), 0);
      });
      assert.deepEqual(sizes, [100, 100, 50]);
      const got = await iam.getGroup('aws', { scim: { id: g.id }, includeMembers: true });
      assert.equal(got.success, true);
      assert.equal(got.members, null, 'AWS group reads return no members: reported as null, not []');
      assert.equal(
        server.requests.some((r) => 'startIndex' in r.query),
        false,
      );
    } finally {
      await iam.close();
      await server.close();
    }
  });
});
