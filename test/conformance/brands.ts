// Every brand the conformance suite runs on: one entry each (a name and how to start its app).
// Adding a brand is adding an entry here.
import { join } from 'node:path';
import { builtInConnectors } from '../../src/connectors/registry.js';
import { scimConnector } from '../../src/connectors/scim/index.js';
import type { Connector, ConnectorDefinition } from '../../src/core/connector.js';
import { startAwsIlmServer } from '../servers/aws-ilm-server.js';
import { startGithubSimulator } from '../servers/github/server.js';
import { startScimServer } from '../servers/scim-server.js';
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
