// The Graph simulator against the reference it is built from (README.md lists the pages): the
// token endpoint's refusals, Graph's default property set and $select, $filter with OData string
// literals, @odata.nextLink paging, the 20-reference limit of members@odata.bind, the replication
// delay and the write quota's 429 with Retry-After. Plain fetch: no connector involved.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type EntraSimulator, type EntraSimulatorOptions, startEntraSimulator } from './server.js';

/** The parts of Graph answers these tests read. */
interface GraphAnswer {
  id: string;
  accountEnabled?: boolean;
  value: unknown[];
  '@odata.nextLink'?: string;
  error: { code: string; message: string; details: { code: string }[] };
}

const sims: EntraSimulator[] = [];
after(() => Promise.all(sims.map((s) => s.close())));

async function start(o: EntraSimulatorOptions = {}) {
  const sim = await startEntraSimulator(o);
  sims.push(sim);
  const form = (f: Record<string, string>) =>
    fetch(sim.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(f).toString(),
    });
  const good = {
    grant_type: 'client_credentials',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    scope: `${sim.graphUrl}/.default`,
  };
  const token = ((await (await form(good)).json()) as { access_token: string }).access_token;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.graphUrl}/v1.0/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      json: text ? (JSON.parse(text) as GraphAnswer) : undefined,
    };
  };
  const newUser = (upn: string, extra: Record<string, unknown> = {}) =>
    api('POST', 'users', {
      accountEnabled: true,
      displayName: upn,
      mailNickname: upn.split('@')[0],
      userPrincipalName: upn,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
      ...extra,
    });
  return { sim, form, good, api, newUser };
}

describe('Graph simulator', () => {
  test('token endpoint: the client credentials answer, and AADSTS refusals for a wrong secret, scope, tenant', async () => {
    const { sim, form, good } = await start();
    const ok = (await (await form(good)).json()) as Record<string, unknown>;
    assert.deepEqual([ok.token_type, typeof ok.access_token, ok.expires_in], ['Bearer', 'string', 3599]);
    const wrong = await form({ ...good, client_secret: 'nope' });
    const body = (await wrong.json()) as { error: string; error_description: string; error_codes: number[] };
    assert.deepEqual([wrong.status, body.error, body.error_codes], [401, 'invalid_client', [7000215]]);
    assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided/);
    const scope = (await (await form({ ...good, scope: 'User.Read' })).json()) as { error: string };
    assert.equal(scope.error, 'invalid_scope');
    const tenant = await fetch(sim.tokenUrl.replace(sim.credentials.tenantId, 'other'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(good).toString(),
    });
    assert.match(((await tenant.json()) as { error_description: string }).error_description, /^AADSTS90002/);
  });

  test('users: create needs the required properties; default property set unless $select; UPN unique', async () => {
    const { api, newUser } = await start();
    const missing = await api('POST', 'users', { accountEnabled: true, displayName: 'x' });
    assert.equal(missing.status, 400);
    assert.match(
      String(missing.json?.error.message),
      /Invalid value specified for property '(mailNickname|userPrincipalName)'/,
    );
    const made = await newUser('adele@contoso.com');
    assert.equal(made.status, 201);
    const got = await api('GET', `users/${made.json?.id}`);
    assert.equal('accountEnabled' in (got.json ?? {}), false, 'not in the default set');
    const sel = await api('GET', `users/${made.json?.id}?$select=accountEnabled,userPrincipalName`);
    assert.equal(sel.json?.accountEnabled, true);
    const dup = await newUser('ADELE@contoso.com');
    assert.equal(dup.status, 400);
    assert.equal(dup.json?.error.details[0]?.code, 'ObjectConflict');
    const weak = await newUser('weak@contoso.com', { passwordProfile: { password: 'short' } });
    assert.match(String(weak.json?.error.message), /password complexity/);
  });

  test("$filter: an OData literal with '' for a quote; an unescaped quote is a 400", async () => {
    const { api, newUser } = await start();
    await newUser('obrien@contoso.com', { mail: "o'brien@contoso.com" });
    const q = encodeURIComponent("mail eq 'o''brien@contoso.com'");
    const found = await api('GET', `users?$filter=${q}`);
    assert.equal(found.json?.value.length, 1);
    const bad = await api('GET', `users?$filter=${encodeURIComponent("mail eq 'o'brien@contoso.com'")}`);
    assert.equal(bad.status, 400);
  });

  test('paging: $top and @odata.nextLink until the last page; a member batch over 20 is refused', async () => {
    const { api, newUser } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(String((await newUser(`u${i}@contoso.com`)).json?.id));
    let next: string | undefined = 'users?$top=10';
    let seen = 0;
    while (next) {
      const page = await api('GET', next);
      seen += page.json?.value.length ?? 0;
      const link = page.json?.['@odata.nextLink'] as string | undefined;
      next = link?.split('/v1.0/')[1];
    }
    assert.equal(seen, 25);
    const g = await api('POST', 'groups', {
      displayName: 'G',
      mailEnabled: false,
      mailNickname: 'g',
      securityEnabled: true,
    });
    const refs = (n: number) =>
      ids.slice(0, n).map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`);
    assert.equal(
      (await api('PATCH', `groups/${g.json?.id}`, { 'members@odata.bind': refs(21) })).status,
      400,
    );
    assert.equal(
      (await api('PATCH', `groups/${g.json?.id}`, { 'members@odata.bind': refs(20) })).status,
      204,
    );
  });

  test('replication delay: a new object answers 404 for a while, then is there', async () => {
    const { api, newUser } = await start({ replicationDelayMs: 300 });
    const made = await newUser('late@contoso.com');
    const early = await api('GET', `users/${made.json?.id}`);
    assert.deepEqual([early.status, early.json?.error.code], [404, 'Request_ResourceNotFound']);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await api('GET', `users/${made.json?.id}`)).status, 200);
  });

  test('write quota: over it, 429 TooManyRequests with Retry-After; reads are not counted', async () => {
    const { api, newUser } = await start({ writeQuota: { requests: 3, windowMs: 2000 } });
    for (let i = 0; i < 3; i++) assert.equal((await newUser(`w${i}@contoso.com`)).status, 201);
    assert.equal((await api('GET', 'users')).status, 200);
    const over = await newUser('w3@contoso.com');
    assert.deepEqual([over.status, over.json?.error.code], [429, 'TooManyRequests']);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
  });
});
