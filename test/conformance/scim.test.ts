// Spec sections 3 and 7 against a real SCIM 2.0 server (scimmy on express) on loopback, with PATCH
// and, separately, with PATCH turned off (the client must fall back to read-modify-write PUT).
import { describe } from 'node:test';
import { startScimServer } from '../servers/scim-server.js';
import { groupWrites } from './harness.js';
import { runConformance } from './suite.js';

for (const patch of [true, false]) {
  describe(`conformance: SCIM (${patch ? 'PATCH' : 'PUT only'})`, () => {
    runConformance({ emailLookup: true }, async () => {
      const server = await startScimServer({ patch });
      return {
        brand: 'SCIM',
        settings: () => ({ brand: 'SCIM', baseUrl: server.url, token: server.token }),
        requestCount: () => server.requests.length,
        groupWrites: () => groupWrites(server.requests),
        reset: () => server.reset(),
        lookupFields: 'id, username, email',
        close: () => server.close(),
      };
    });
  });
}
