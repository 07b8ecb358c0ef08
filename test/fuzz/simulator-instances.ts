// The instance settings the property tests give a brand on its simulator: the simulator's own
// endpoints and credentials, and no client-side pacing (Graph's and Okta's request quotas are not
// what these properties test, and the simulators keep none here).
import type { EntraSimulator } from '../servers/entra-id/server.js';
import type { OktaSimulator } from '../servers/okta/server.js';

const unpaced = { rateLimit: { requestsPerSecond: 1000, burst: 100 } };

/** Entra ID on its simulator; usernames without @ become UPNs at contoso.com. */
export const entraInstance = (sim: EntraSimulator, flags: Record<string, unknown>) => ({
  brand: 'Entra-ID',
  authorityUrl: sim.authorityUrl,
  graphUrl: sim.graphUrl,
  ...sim.credentials,
  domain: 'contoso.com',
  ...unpaced,
  ...flags,
});

/** Okta on its simulator, with an SSWS token. */
export const oktaInstance = (sim: OktaSimulator, flags: Record<string, unknown>) => ({
  brand: 'Okta',
  orgUrl: sim.orgUrl,
  token: sim.apiToken,
  ...unpaced,
  ...flags,
});
