// A REST connector built on the REST kit's OAuth client credentials, run through the client
// against a loopback authorization server whose API echoes the access token it receives (in the
// body and in a header): the fetched token never appears in a record, the debug log or the audit
// log; and a dry run fetches its token (token requests are not writes) but sends no write.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { createIamClient } from '../../src/client.js';
import type { Account, AppObject, Connector, ConnectorDefinition } from '../../src/core/connector.js';
import { NotSupportedError } from '../../src/core/errors.js';
import { secretSetting, urlSetting } from '../../src/core/settings.js';
import { withAuth } from '../../src/http/auth/authenticator.js';
import { clientCredentials } from '../../src/http/auth/oauth.js';
import { tempDir } from '../conformance/harness.js';
import { startTokenServer, type TokenServer } from '../servers/oauth-token-server.js';

const settings = z.strictObject({
  apiUrl: urlSetting().describe('The API root'),
  tokenUrl: urlSetting().describe('The token endpoint'),
  clientId: z.string().describe('OAuth client id'),
  clientSecret: secretSetting().describe('OAuth client secret'),
});

const notSupported = (): never => {
  throw new NotSupportedError('not in this test app');
};

/** An app whose every answer is kept whole in `raw` (so in the record's details), headers included. */
const oauthApp: ConnectorDefinition<z.output<typeof settings>> = {
  brand: 'OAuthApp',
  description: 'A test REST app behind OAuth 2.0 client credentials',
  settings,
  capabilities: { lookup: ['userName'], memberBatchSize: 10 },
  mapping: [{ app: 'userName', profile: 'username' }],
  mappingFields: ['userName'],
  create(s, ctx): Connector {
    if (!ctx.tokenTransport) throw new Error('the client gave no tokenTransport');
    const auth = clientCredentials({
      tokenUrl: s.tokenUrl,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      tokenTransport: (baseUrl) => ctx.tokenTransport!({ baseUrl, headers: {} }),
      ...(ctx.onSecret ? { onSecret: ctx.onSecret } : {}),
    });
    const api = withAuth(ctx.transport({ baseUrl: s.apiUrl, headers: {} }), auth);
    const account = (json: unknown, headers: Record<string, string>, username: string): Account => ({
      id: 'me',
      username,
      email: null,
      active: true,
      raw: { ...(json as AppObject), userName: username, echoed: headers['x-echo'] },
    });
    return {
      async findUsers(key) {
        // The app knows every user but the ones this test creates.
        if (key.value.startsWith('new')) return [];
        const res = await api.send({ method: 'GET', path: `/api/users/${key.value}` });
        return [account(res.json, res.headers, key.value)];
      },
      async createUser(fields) {
        const res = await api.send({ method: 'POST', path: '/api/users', body: fields });
        return account(res.json, res.headers, String(fields.userName));
      },
      updateUser: notSupported,
      setActive: notSupported,
      getGroup: notSupported,
      createGroup: notSupported,
      changeMembers: notSupported,
      deleteGroup: notSupported,
      test: async () => 'ok',
      close: () => api.close(),
    };
  },
};

describe('a fetched OAuth token is a secret, and token requests are not writes', () => {
  let server: TokenServer;
  const dir = tempDir('iam-oauth-');
  before(async () => {
    server = await startTokenServer({ clients: { 'app-1': 'client-secret-1' }, echoToken: true });
  });
  after(async () => {
    await server.close();
    dir.cleanup();
  });

  const client = (auditLog: string, dryRun: boolean, log: string[]) =>
    createIamClient({
      registry: [oauthApp as ConnectorDefinition<unknown>],
      config: {
        instances: {
          app: {
            brand: 'OAuthApp',
            apiUrl: server.url,
            tokenUrl: server.tokenUrl,
            clientId: 'app-1',
            clientSecret: 'client-secret-1',
          },
        },
      },
      env: {},
      dataDir: dir.path,
      auditLog,
      dryRun,
      logLevel: 'debug',
      logWrite: (line) => log.push(line),
    });

  /** Every token issued so far, in every form redaction knows (as is, base64, URL-encoded). */
  const leaks = (text: string): string[] =>
    server.issued.filter(
      (t) =>
        text.includes(t) ||
        text.includes(Buffer.from(t).toString('base64').replace(/=+$/, '')) ||
        text.includes(encodeURIComponent(t)),
    );

  test('the echoed token is in no record, no debug line and no audit line', async () => {
    const log: string[] = [];
    const auditLog = join(dir.path, 'audit-live.log');
    const c = client(auditLog, false, log);
    const got = await c.getUser('app', { userProfile: { username: 'jdoe' } });
    const made = await c.createUser('app', { userProfile: { username: 'new.user' } });
    await c.close();
    assert.equal(got.vendor.success, true, JSON.stringify(got));
    assert.equal(made.vendor.success, true, JSON.stringify(made));
    assert.ok(server.issued.length >= 1, 'a token was fetched');
    // The app did echo it: the record shows where, redacted.
    assert.match(JSON.stringify(got.vendor.details), /you sent \[REDACTED\]/);
    assert.match(JSON.stringify(got.vendor.details), /token=\[REDACTED\]/);
    const records = JSON.stringify([got, made]);
    assert.deepEqual(leaks(records), [], records);
    assert.ok(
      log.some((l) => l.includes('x-echo')),
      'the debug log has the answers with their headers',
    );
    assert.deepEqual(leaks(log.join('\n')), [], log.join('\n'));
    const audit = readFileSync(auditLog, 'utf8');
    assert.deepEqual(leaks(audit), [], audit);
    assert.doesNotMatch(audit, /oauth\/token/, 'the token request is not audited');
    assert.equal(server.apiWrites, 1, 'the create reached the app');
  });

  test('a dry run fetches the token and reads, but sends no write and audits no token request', async () => {
    const log: string[] = [];
    const auditLog = join(dir.path, 'audit-dry.log');
    const before = { tokens: server.tokenRequests, writes: server.apiWrites };
    const c = client(auditLog, true, log);
    const made = await c.createUser('app', { userProfile: { username: 'new.other' } });
    await c.close();
    assert.equal(made.vendor.success, true, JSON.stringify(made));
    assert.equal(server.tokenRequests, before.tokens + 1, 'the dry run fetched a real token');
    assert.equal(server.apiWrites, before.writes, 'no write reached the app');
    const writes = (made.vendor.details as { dryRun: { method: string; url: string }[] }).dryRun;
    assert.deepEqual(
      writes.map((w) => `${w.method} ${w.url}`),
      [`POST ${server.url}/api/users`],
      'the would-be writes list the create only, not the token request',
    );
    const audit = readFileSync(auditLog, 'utf8');
    assert.doesNotMatch(audit, /oauth\/token/, audit);
    assert.deepEqual(leaks(`${JSON.stringify(made)}\n${log.join('\n')}\n${audit}`), []);
  });
});
