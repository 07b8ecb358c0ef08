// Every brand the conformance suite runs on: one entry each (a name and how to start its app).
// Adding a brand is adding an entry here.
import { join } from 'node:path';
import { entraUserMapping } from '../../src/connectors/entra-id/mapping.js';
import { builtInConnectors } from '../../src/connectors/registry.js';
import { scimConnector } from '../../src/connectors/scim/index.js';
import type { Connector, ConnectorDefinition } from '../../src/core/connector.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import { startEntraSimulator } from '../servers/entra-id/server.js';
import { startGithubSimulator } from '../servers/github/server.js';
import { startGoogleSimulator } from '../servers/google/server.js';
import { startOktaSimulator } from '../servers/okta/server.js';
import { startScimServer } from '../servers/scim-server.js';
import { startServiceNowSimulator } from '../servers/servicenow/server.js';
import { startSlackSimulator } from '../servers/slack/server.js';
import { startSlapd } from '../servers/slapd.js';
import { startZoomSimulator } from '../servers/zoom/server.js';
import { type BrandEntry, groupWrites, type Started, tempDir } from './harness.js';

// The simulator does not throttle; AWS's 20 requests/s default (connector capabilities) would only
// make this suite slow. The limiter itself is tested in src/http/rate-limit.test.ts and test/faults.
const UNTHROTTLED = { requestsPerSecond: 100_000, burst: 1_000 };

/** HTTP Basic credentials of the basic-only SCIM server (scimgateway accepts only basic). */
const BASIC = { username: 'scim-client', password: 'b4sic-Pa55:w0rd' };

async function scim(patch: boolean, basic = false): Promise<Started> {
  const server = await startScimServer({ patch, ...(basic ? { auth: { basic: BASIC } } : {}) });
  const auth = basic ? { auth: { type: 'basic', ...BASIC } } : { token: server.token };
  return {
    instance: () => ({ brand: scimConnector.brand, baseUrl: server.url, ...auth }),
    requestCount: () => server.requests.length,
    groupWrites: () => groupWrites(server.requests),
    reset: () => server.reset(),
    close: () => server.close(),
  };
}

/**
 * A test-only brand: the SCIM connector with only its read operations, so the harness checks on the
 * wire that every command a connector does not implement answers "does not support" and sends nothing.
 */
const READ_ONLY: ConnectorDefinition = {
  ...(scimConnector as ConnectorDefinition),
  brand: 'SCIM-ReadOnly',
  create: (settings, ctx) => {
    const c = scimConnector.create(settings as never, ctx);
    const read: Connector = { close: () => c.close() };
    for (const op of ['findUsers', 'getUser', 'getGroup', 'findGroups', 'test'] as const) {
      const fn = c[op];
      if (fn) Object.assign(read, { [op]: fn.bind(c) });
    }
    return read;
  },
};

const UPN_IS_EMAIL = entraUserMapping.map((r) =>
  r.app === 'userPrincipalName' ? { ...r, profile: 'email' } : r,
);

export const BRANDS: readonly BrandEntry[] = [
  {
    name: 'Local',
    start: async () => {
      const dir = tempDir('iam-local-');
      let n = 0;
      let path = join(dir.path, 'db0.sqlite');
      return {
        instance: () => ({ brand: 'Local', path }),
        reset: () => {
          n += 1;
          path = join(dir.path, `db${n}.sqlite`);
        },
        close: () => dir.cleanup(),
      };
    },
  },
  { name: 'SCIM (PATCH)', start: () => scim(true) },
  { name: 'SCIM (PUT only)', start: () => scim(false) },
  { name: 'SCIM (HTTP Basic only)', start: () => scim(true, true) },
  {
    name: 'AWS-ILM',
    start: async () => {
      const server = await startAwsIlmServer({ tenantId: 'd-9067642ac7' });
      return {
        instance: () => ({
          brand: 'AWS-ILM',
          baseUrl: server.baseUrl,
          tenantId: server.tenantId,
          token: server.token,
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        groupWrites: () => groupWrites(server.requests),
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from Zoom's published API reference (test/servers/zoom/README.md). Users are
    // created with `autoCreate` (active at once), as a managed-domain account does; `create` leaves
    // them pending until the invitation is accepted, which test/connectors/zoom.test.ts covers.
    name: 'Zoom',
    start: async () => {
      const server = await startZoomSimulator({ rateLimits: false });
      const { accountId, clientId, clientSecret } = server.credentials;
      return {
        instance: () => ({
          brand: 'Zoom',
          baseUrl: server.url,
          tokenUrl: server.tokenUrl,
          accountId,
          clientId,
          clientSecret,
          createAction: 'autoCreate',
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        // Member adds are POST /groups/{id}/members (at most 30 ids each).
        groupWrites: () =>
          server.requests.filter((r) => r.method === 'POST' && /\/groups\/[^/]+\/members$/.test(r.path))
            .length,
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from Google's published Directory API reference (test/servers/google/README.md):
    // a service account acting for the simulator's admin through domain-wide delegation.
    name: 'Google-Workspace',
    start: async () => {
      const server = await startGoogleSimulator();
      return {
        instance: () => ({
          brand: 'Google-Workspace',
          baseUrl: server.baseUrl,
          serviceAccountKey: server.serviceAccountKey,
          subject: server.admin,
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        // No groupWrites: members.insert takes one member per request (memberBatchSize 1), so the
        // harness's "three members: one write" does not apply; test/connectors/google-workspace.test.ts
        // checks the one-by-one adds on the wire.
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from Microsoft Graph's published reference (test/servers/entra-id/README.md).
    name: 'Entra-ID',
    start: async () => {
      const server = await startEntraSimulator();
      const { tenantId, clientId, clientSecret } = server.credentials;
      return {
        instance: () => ({
          brand: 'Entra-ID',
          authorityUrl: server.authorityUrl,
          graphUrl: server.graphUrl,
          tenantId,
          clientId,
          clientSecret,
          rateLimit: UNTHROTTLED,
          // The userPrincipalName is the email, as Microsoft recommends (the harness's usernames
          // have no @domain); the `domain` setting is covered by test/connectors/entra-id.test.ts.
          mappers: { outgoing: UPN_IS_EMAIL, incoming: UPN_IS_EMAIL },
        }),
        requestCount: () => server.requests.length,
        // Member adds are PATCH /groups/{id} with members@odata.bind (at most 20 each).
        groupWrites: () =>
          server.requests.filter((r) => r.method === 'PATCH' && /\/groups\/[^/]+$/.test(r.path)).length,
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from Okta's published reference (test/servers/okta/README.md), reached as a
    // service app (OAuth client credentials, private_key_jwt). Its login pattern is opened up
    // (Okta's default wants an email address; the harness's usernames are not). Member changes
    // are one PUT/DELETE per member in Okta: no group-write count.
    name: 'Okta',
    start: async () => {
      const server = await startOktaSimulator({ loginPattern: 'any' });
      return {
        instance: () => ({
          brand: 'Okta',
          orgUrl: server.orgUrl,
          clientId: server.clientId,
          privateKey: server.privateKeyPem,
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from ServiceNow's Table API reference (test/servers/servicenow/README.md),
    // through OAuth client credentials at /oauth_token.do; the Basic variant runs in
    // test/connectors/servicenow*.test.ts and test/cli/servicenow.test.ts.
    name: 'ServiceNow',
    start: async () => {
      const server = await startServiceNowSimulator();
      const { clientId, clientSecret } = server.credentials;
      return {
        instance: () => ({ brand: 'ServiceNow', instanceUrl: server.url, clientId, clientSecret }),
        requestCount: () => server.api().length,
        // A duplicate user_name is refused with 403 "Operation Failed" (test/servers/servicenow/README.md).
        uniquenessStatus: 403,
        // No groupWrites: a member is one sys_user_grmember record, so each add is its own POST.
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from Slack's SCIM API reference (test/servers/slack/README.md). DELETE
    // deactivates there, so disable sends it and delete-user is not offered (the harness checks that).
    name: 'Slack',
    start: async () => {
      const server = await startSlackSimulator({ rateLimits: false });
      return {
        instance: () => ({
          brand: 'Slack',
          baseUrl: server.url,
          token: server.token,
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        groupWrites: () => groupWrites(server.requests),
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A simulator built from GitHub's EMU SCIM reference (test/servers/github/README.md): it refuses
    // any request without GitHub's headers, so every row also checks that they are always sent.
    name: 'GitHub',
    start: async () => {
      const server = await startGithubSimulator({ rateLimits: false });
      return {
        instance: () => ({
          brand: 'GitHub',
          baseUrl: server.baseUrl,
          enterprise: server.enterprise,
          token: server.token,
          rateLimit: UNTHROTTLED,
        }),
        requestCount: () => server.requests.length,
        groupWrites: () => groupWrites(server.requests),
        reset: () => server.reset(),
        close: () => server.close(),
      };
    },
  },
  {
    // A real OpenLDAP slapd on loopback (test/servers/slapd.ts); reset empties ou=people and ou=groups.
    name: 'LDAP (OpenLDAP slapd)',
    start: async () => {
      const slapd = await startSlapd();
      return { instance: () => slapd.instance(), reset: () => slapd.reset(), close: () => slapd.stop() };
    },
  },
  {
    name: 'SCIM read-only (test brand)',
    registry: [...builtInConnectors, READ_ONLY],
    start: async () => {
      const app = await scim(true);
      return { ...app, instance: () => ({ ...app.instance(), brand: READ_ONLY.brand }) };
    },
  },
];
