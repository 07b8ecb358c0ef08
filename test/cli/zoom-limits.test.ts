// `iam batch` against the Zoom simulator's rate limits (test/servers/zoom/rate-limit.ts, from Zoom's
// "Rate limits" page): a daily limit, whose Retry-After is the next midnight UTC, fails the rest of
// the batch at once, each record saying when Zoom takes requests again, instead of every record
// asking Zoom again and again (it used to: five attempts each, 30 s apart).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { startZoomSimulator } from '../servers/zoom/server.js';
import { runIam } from '../support/run-iam.js';

const dir = tempDir('iam-zoom-limits-');
after(() => dir.cleanup());
const SECRET = 'Zs3cr3tK9xVq2Lm8Rt4Wp7Yb1Nc6Hd0F';

test('a daily limit ends the batch at once: every refused record says when, nothing is asked twice', async () => {
  const sim = await startZoomSimulator({ rateLimits: false, clientSecret: SECRET });
  after(() => sim.close());
  const emails = Array.from({ length: 12 }, (_, i) => `worker${i}@example.com`);
  for (const email of emails) sim.store.seedUser({ email, first_name: 'W', last_name: 'Orker' });
  sim.rateLimiter.daily = { Light: 5 };
  const config = join(dir.path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  zoom:\n    brand: Zoom\n    baseUrl: ${sim.url}\n    tokenUrl: ${sim.tokenUrl}\n` +
      `    accountId: ${sim.credentials.accountId}\n    clientId: ${sim.credentials.clientId}\n` +
      `    clientSecret: \${env:ZOOM_SECRET}\n`,
  );
  const input = join(dir.path, 'users.jsonl');
  writeFileSync(input, `${emails.map((email) => JSON.stringify({ email })).join('\n')}\n`);

  const r = await runIam(
    ['batch', 'get-user', '--input', input, '--instance', 'zoom', '--config', config, '--concurrency', '2'],
    { cwd: dir.path, env: { ZOOM_SECRET: SECRET, IAM_AUDIT_LOG: join(dir.path, 'audit.log') } },
  );
  assert.notEqual(r.code, 0, 'some records failed');
  assert.equal(r.vendors.length, emails.length, r.stderr);
  const ok = r.vendors.filter((v) => v.success === true);
  const refused = r.vendors.filter((v) => v.success === false);
  assert.equal(ok.length, 5, 'the day allowed five requests');
  assert.equal(refused.length, emails.length - 5);
  const midnight = new Date((Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000)
    .toISOString()
    .replace('.000Z', 'Z');
  for (const v of refused) {
    assert.equal(v.errorCode, 429, "Zoom's own code");
    assert.ok(
      String(v.errorMessage).includes(`the app takes requests again at ${midnight}`),
      String(v.errorMessage),
    );
  }
  const asked = sim.requests.filter((q) => q.method === 'GET' && q.path.startsWith('/v2/users/')).length;
  // Five answered, then at most one refused request per worker: the rest were never sent.
  assert.ok(asked <= 5 + 2, `${asked} lookups reached Zoom`);
});
