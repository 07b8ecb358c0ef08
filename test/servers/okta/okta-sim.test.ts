// The Okta simulator against the reference it is built from (README.md): these pin its behaviour
// independently of the connector, with plain HTTP requests and assertions signed here.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { importPKCS8, SignJWT } from 'jose';
import { type OktaSimulator, startOktaSimulator } from './server.js';

let sim: OktaSimulator;
before(async () => {
  sim = await startOktaSimulator();
});
after(() => sim.close());

async function call(method: string, path: string, body?: unknown, auth = `SSWS ${sim.apiToken}`) {
  const res = await fetch(`${sim.apiUrl}/${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

async function assertion(
  claims: { aud?: string; iss?: string; jti?: string; expIn?: number } = {},
  pem = sim.privateKeyPem,
) {
  const key = await importPKCS8(pem, 'RS256');
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? sim.clientId)
    .setSubject(claims.iss ?? sim.clientId)
    .setAudience(claims.aud ?? sim.tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.expIn ?? 300))
    .setJti(claims.jti ?? randomUUID())
    .sign(key);
}

async function token(form: Record<string, string>) {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const grant = async (extra: Record<string, string> = {}, jwt?: string) =>
  token({
    grant_type: 'client_credentials',
    scope: 'okta.users.manage okta.groups.manage',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt ?? (await assertion()),
    ...extra,
  });

const profile = (login: string, extra: Record<string, unknown> = {}) => ({
  login,
  email: login,
  firstName: 'Isaac',
  lastName: 'Brock',
  ...extra,
});

test('a wrong API token is 401 E0000011 "Invalid token provided" in Okta\'s error body', async () => {
  const r = await call('GET', 'users', undefined, 'SSWS nope');
  assert.equal(r.status, 401);
  assert.equal(r.json?.errorCode, 'E0000011');
  assert.equal(r.json?.errorSummary, 'Invalid token provided');
  assert.deepEqual(Object.keys(r.json ?? {}).sort(), [
    'errorCauses',
    'errorCode',
    'errorId',
    'errorLink',
    'errorSummary',
  ]);
});

test('token endpoint: a good assertion gets a Bearer token; a reused jti, a wrong audience or key are invalid_client', async () => {
  const ok = await grant();
  assert.equal(ok.status, 200);
  assert.deepEqual(
    [ok.json.token_type, ok.json.expires_in, ok.json.scope],
    ['Bearer', 3600, 'okta.users.manage okta.groups.manage'],
  );
  const users = await call('GET', 'users', undefined, `Bearer ${String(ok.json.access_token)}`);
  assert.equal(users.status, 200);

  const jti = randomUUID();
  assert.equal((await grant({}, await assertion({ jti }))).status, 200);
  const replay = await grant({}, await assertion({ jti }));
  assert.deepEqual([replay.status, replay.json.error], [401, 'invalid_client']);
  const aud = await grant({}, await assertion({ aud: 'https://elsewhere.example.com/oauth2/v1/token' }));
  assert.deepEqual([aud.status, aud.json.error], [401, 'invalid_client']);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  const forged = await grant({}, await assertion({}, String(other)));
  assert.deepEqual(
    [forged.status, forged.json.error, forged.json.error_description],
    [401, 'invalid_client', 'The client_assertion signature is invalid.'],
  );
  const long = await grant({}, await assertion({ expIn: 7200 }));
  assert.deepEqual([long.status, long.json.error], [401, 'invalid_client']);
  const scope = await grant({ scope: 'okta.apps.manage' });
  assert.deepEqual([scope.status, scope.json.error], [400, 'invalid_scope']);
});

test('a token with only the users scope is refused on groups: 403 E0000006', async () => {
  const t = await grant({ scope: 'okta.users.manage' });
  const r = await call('GET', 'groups', undefined, `Bearer ${String(t.json.access_token)}`);
  assert.deepEqual([r.status, r.json?.errorCode], [403, 'E0000006']);
});

test('create: activate=false is STAGED, a login in use is E0000001 with its cause, a missing firstName too', async () => {
  const staged = await call('POST', 'users?activate=false', { profile: profile('isaac.brock@example.com') });
  assert.deepEqual([staged.status, staged.json?.status], [200, 'STAGED']);
  const again = await call('POST', 'users?activate=true', { profile: profile('Isaac.Brock@example.com') });
  assert.equal(again.status, 400);
  assert.equal(again.json?.errorCode, 'E0000001');
  assert.equal(again.json?.errorSummary, 'Api validation failed: login');
  assert.deepEqual(again.json?.errorCauses, [
    { errorSummary: 'login: An object with this field already exists in the current organization' },
  ]);
  const noName = await call('POST', 'users', {
    profile: { login: 'x@example.com', email: 'x@example.com', lastName: 'B' },
  });
  assert.deepEqual([noName.status, noName.json?.errorSummary], [400, 'Api validation failed: firstName']);
  const notEmail = await call('POST', 'users', {
    profile: profile('plainlogin', { email: 'p@example.com' }),
  });
  assert.equal(notEmail.status, 400, 'the default login pattern wants an email address');
});

test('search: an escaped " and \\ in a string match exactly; a malformed expression is E0000031', async () => {
  const login = 'q"uote\\back@example.com';
  await call('POST', 'users', { profile: profile(login) });
  const expr = 'profile.login eq "q\\"uote\\\\back@example.com"';
  const r = await call('GET', `users?search=${encodeURIComponent(expr)}`);
  assert.deepEqual(
    (r.json as unknown as { profile: { login: string } }[]).map((u) => u.profile.login),
    [login],
  );
  const bad = await call('GET', `users?search=${encodeURIComponent('profile.login eq "unterminated')}`);
  assert.deepEqual([bad.status, bad.json?.errorCode], [400, 'E0000031']);
});

test('paging: Link rel="next" carries after and limit until the last page, which has only rel="self"', async () => {
  sim.reset();
  for (let i = 0; i < 5; i++) await call('POST', 'users', { profile: profile(`p${i}@example.com`) });
  const seen: string[] = [];
  let path: string | undefined = 'users?limit=2';
  let pages = 0;
  while (path) {
    const r = await call('GET', path);
    seen.push(...(r.json as unknown as { id: string }[]).map((u) => u.id));
    const link = r.headers.get('link') ?? '';
    assert.match(link, /rel="self"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    path = next ? next.slice(sim.apiUrl.length + 1) : undefined;
    if (next) assert.match(next, /after=00u/);
    pages += 1;
  }
  assert.deepEqual([pages, new Set(seen).size], [3, 5]);
});

test('delete: an ACTIVE user is only deactivated by the first DELETE; the second deletes it', async () => {
  const u = await call('POST', 'users', { profile: profile('del@example.com') });
  const id = String(u.json?.id);
  assert.equal((await call('DELETE', `users/${id}`)).status, 204);
  assert.equal((await call('GET', `users/${id}`)).json?.status, 'DEPROVISIONED');
  assert.equal((await call('DELETE', `users/${id}`)).status, 204);
  const gone = await call('GET', `users/${id}`);
  assert.deepEqual([gone.status, gone.json?.errorCode], [404, 'E0000007']);
});

test('lifecycle: activate an ACTIVE user is E0000016; unsuspend only a SUSPENDED one', async () => {
  const u = await call('POST', 'users', {
    profile: profile('life@example.com'),
    credentials: { password: { value: 'Pw-12345678' } },
  });
  const id = String(u.json?.id);
  assert.equal(u.json?.status, 'ACTIVE');
  assert.equal((await call('POST', `users/${id}/lifecycle/activate`)).json?.errorCode, 'E0000016');
  assert.equal((await call('POST', `users/${id}/lifecycle/unsuspend`)).status, 403);
  assert.equal((await call('POST', `users/${id}/lifecycle/suspend`)).status, 200);
  assert.equal((await call('POST', `users/${id}/lifecycle/unsuspend`)).status, 200);
  assert.equal((await call('GET', `users/${id}`)).json?.status, 'ACTIVE');
});

test('rate limits: X-Rate-Limit headers on every answer; over the limit a 429 E0000047 with Remaining 0', async () => {
  const limited = await startOktaSimulator({
    rateLimits: { users: 2, user: 10, groups: 10 },
    windowMs: 60_000,
  });
  try {
    const get = () =>
      fetch(`${limited.apiUrl}/users`, { headers: { authorization: `SSWS ${limited.apiToken}` } });
    const a = await get();
    assert.equal(a.headers.get('x-rate-limit-limit'), '2');
    assert.equal(a.headers.get('x-rate-limit-remaining'), '1');
    const reset = Number(a.headers.get('x-rate-limit-reset'));
    assert.ok(
      reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 60_000,
      'epoch seconds within the minute',
    );
    assert.equal((await get()).headers.get('x-rate-limit-remaining'), '0');
    const refused = await get();
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { errorCode: string }).errorCode, 'E0000047');
    assert.equal(refused.headers.get('x-rate-limit-remaining'), '0');
    assert.equal(limited.rateLimiter.refused.users, 1);
  } finally {
    await limited.close();
  }
});
