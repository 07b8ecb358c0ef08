// The Google simulator against the reference it follows (README.md): the token endpoint's refusals,
// the Directory API's error bodies, scopes and paging, tested with raw HTTP and hand-signed JWTs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importPKCS8, SignJWT } from 'jose';
import { type GoogleSimulator, startGoogleSimulator } from './server.js';

const USER = 'https://www.googleapis.com/auth/admin.directory.user';
const GROUP = 'https://www.googleapis.com/auth/admin.directory.group';

let sim: GoogleSimulator;
before(async () => {
  sim = await startGoogleSimulator();
});
after(() => sim.close());

interface Claims {
  iss?: string;
  sub?: string;
  aud?: string;
  scope?: string;
  lifetime?: number;
  iatOffset?: number;
}

async function assertion(c: Claims = {}, pem = sim.privateKeyPem): Promise<string> {
  const key = await importPKCS8(pem, 'RS256');
  const iat = Math.floor(Date.now() / 1000) + (c.iatOffset ?? 0);
  const jwt = new SignJWT({ scope: c.scope ?? `${USER} ${GROUP}` })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.iss ?? sim.clientEmail)
    .setAudience(c.aud ?? sim.tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (c.lifetime ?? 3600));
  if (c.sub !== '') jwt.setSubject(c.sub ?? sim.admin);
  return jwt.sign(key);
}

async function grant(a: string) {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(path: string, token?: string) {
  const res = await fetch(`${sim.baseUrl}/admin/directory/v1/${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('Google simulator: token endpoint (JWT bearer grant)', () => {
  test('a well-signed assertion for the admin gets a Bearer token of 3599 s', async () => {
    const r = await grant(await assertion());
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 3599);
    assert.match(String(r.body.access_token), /^ya29\./);
  });

  test('refusals as Google words them', async () => {
    const other = await startGoogleSimulator();
    try {
      const cases: [Promise<string>, number, string, RegExp][] = [
        [assertion({}, other.privateKeyPem), 400, 'invalid_grant', /^Invalid JWT Signature\.$/],
        [assertion({ aud: 'https://example.com/token' }), 400, 'invalid_grant', /audience/],
        [assertion({ iatOffset: -7200 }), 400, 'invalid_grant', /short-lived token/],
        [assertion({ lifetime: 7200 }), 400, 'invalid_grant', /short-lived token/],
        [assertion({ iss: 'other@x.iam.gserviceaccount.com' }), 400, 'invalid_grant', /account not found/],
        [
          assertion({ sub: sim.nonAdmin }),
          401,
          'unauthorized_client',
          /^Client is unauthorized to retrieve access tokens/,
        ],
        [assertion({ sub: 'nobody@example.com' }), 400, 'invalid_grant', /Invalid email or User ID/],
        [
          assertion({ scope: `${USER} https://www.googleapis.com/auth/admin.directory.domain` }),
          401,
          'unauthorized_client',
          /scopes requested/,
        ],
      ];
      for (const [a, status, error, description] of cases) {
        const r = await grant(await a);
        assert.equal(r.status, status, JSON.stringify(r.body));
        assert.equal(r.body.error, error);
        assert.match(String(r.body.error_description), description);
      }
    } finally {
      await other.close();
    }
  });
});

describe('Google simulator: Directory API', () => {
  test('no token: 401 authError; an unknown user: 404 notFound "Resource Not Found: userKey"', async () => {
    const none = await get('users/x@example.com');
    assert.equal(none.status, 401);
    const e = (none.body?.error ?? {}) as { code: number; errors: { reason: string }[] };
    assert.deepEqual([e.code, e.errors[0]?.reason], [401, 'authError']);
    const token = sim.oauth.issue(sim.admin, [USER]);
    const missing = await get('users/nobody@example.com', token);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      error: {
        code: 404,
        message: 'Resource Not Found: userKey',
        errors: [{ message: 'Resource Not Found: userKey', domain: 'global', reason: 'notFound' }],
      },
    });
    const groups = await get('groups?customer=my_customer', token);
    assert.equal(groups.status, 403, 'a token without the group scope');
  });

  test('users.list pages with maxResults and nextPageToken; out-of-range maxResults is 400 invalid', async () => {
    const token = sim.oauth.issue(sim.admin, [USER]);
    for (let i = 0; i < 5; i++) {
      sim.store.insertUser({
        primaryEmail: `p${i}@example.com`,
        name: { givenName: 'P', familyName: `${i}` },
        password: 'password1',
      });
    }
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const q = `users?customer=my_customer&maxResults=3${next ? `&pageToken=${encodeURIComponent(next)}` : ''}`;
      const r = await get(q, token);
      assert.equal(r.status, 200);
      seen.push(...((r.body?.users as { primaryEmail: string }[]) ?? []).map((u) => u.primaryEmail));
      next = r.body?.nextPageToken as string | undefined;
    } while (next);
    assert.equal(seen.length, sim.store.users.size);
    assert.equal((await get('users?customer=my_customer&maxResults=501', token)).status, 400);
    assert.equal((await get('users?maxResults=5', token)).status, 400, 'customer or domain is required');
  });

  test('quota: beyond quotaPerSecond, 403 userRateLimitExceeded in the usageLimits domain', async () => {
    const limited = await startGoogleSimulator({ quotaPerSecond: 2 });
    try {
      const token = limited.oauth.issue(limited.admin, [USER]);
      const url = `${limited.baseUrl}/admin/directory/v1/users/${limited.admin}`;
      const answers = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() =>
          fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
            status: r.status,
            body: await r.json(),
          })),
        ),
      );
      const refused = answers.filter((a) => a.status === 403);
      assert.ok(refused.length >= 1);
      const body = refused[0]?.body as { error: { errors: { reason: string; domain: string }[] } };
      const e = body.error.errors[0];
      assert.deepEqual([e?.reason, e?.domain], ['userRateLimitExceeded', 'usageLimits']);
    } finally {
      await limited.close();
    }
  });
});
