// TLS against a real HTTPS SCIM server on loopback, with a CA and certificates made at test time:
// certificates are verified by default, `caFile` trusts a private CA, `insecure: true` works and is
// warned about on every run, and each failure is a record naming the host and the setting to fix.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createIamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { tempDir } from '../conformance/harness.js';
import { type ScimPeer, startScimPeer } from '../servers/scim-peer.js';
import { makeTestPki, type TestPki } from '../servers/tls-pki.js';
import { runCli } from './run-cli.js';

const dir = tempDir('iam-tls-');
after(() => dir.cleanup());

let pki: TestPki;
let app: ScimPeer; // certificate for localhost and 127.0.0.1, signed by the test CA
let otherName: ScimPeer; // certificate for other.example only, signed by the same CA

before(async () => {
  pki = makeTestPki(dir.path);
  app = await startScimPeer({ tls: pki.server });
  otherName = await startScimPeer({ tls: pki.otherHost });
});
after(async () => {
  await Promise.all([app.close(), otherName.close()]);
});

/** One get-user through a fresh client with these instance settings; warnings collected. */
async function getUser(settings: Record<string, unknown>, server: ScimPeer = app) {
  const warnings: string[] = [];
  const iam = createIamClient({
    config: { instances: { hr: { brand: 'SCIM', baseUrl: server.url, token: server.token, ...settings } } },
    env: {},
    onWarning: (m) => warnings.push(m),
  });
  try {
    const { vendor } = await iam.getUser('hr', { userProfile: { username: 'nobody' } });
    return { vendor, warnings };
  } finally {
    await iam.close();
  }
}

/** The app answered: a get-user of a missing account is the app's "not found". */
function assertReachedApp(vendor: VendorRecord): void {
  assert.equal(vendor.success, false);
  assert.equal(vendor.errorCode, 404, vendor.errorMessage);
  assert.equal(vendor.errorMessage, 'User does not exist');
}

/** A TLS failure: no HTTP status, one clear line naming the host, no stack. */
function assertTlsFailure(vendor: VendorRecord, server: ScimPeer, pattern: RegExp): void {
  assert.equal(vendor.success, false);
  assert.equal(vendor.errorCode, null);
  assert.match(vendor.errorMessage, new RegExp(`^TLS certificate of 127\\.0\\.0\\.1:${server.port} `));
  assert.match(vendor.errorMessage, pattern);
  assert.match(vendor.errorMessage, /insecure: true \(testing only\)/);
  assert.doesNotMatch(vendor.errorMessage, /\n|\bat .+:\d+:\d+/);
}

describe('TLS: certificates verified by default', () => {
  test('caFile with the CA that issued the certificate: the app is reached', async () => {
    const before = app.requests.length;
    const { vendor, warnings } = await getUser({ caFile: pki.caFile });
    assertReachedApp(vendor);
    assert.equal(app.requests.length, before + 1);
    assert.match(app.requests.at(-1)?.query.filter ?? '', /^userName eq "nobody"$/);
    assert.deepEqual(warnings, []);
  });

  test('by host name (localhost): caFile trusts it, the system CAs do not, and the name is in the message', async () => {
    const baseUrl = app.url.replace('127.0.0.1', 'localhost');
    const trusted = await getUser({ baseUrl, caFile: pki.caFile });
    assertReachedApp(trusted.vendor);
    const untrusted = await getUser({ baseUrl });
    assert.equal(untrusted.vendor.errorCode, null);
    assert.match(untrusted.vendor.errorMessage, /^TLS certificate of localhost:\d+ is not trusted/);
  });

  test('no caFile (system CAs only): not trusted, nothing reaches the app', async () => {
    const before = app.requests.length;
    const { vendor } = await getUser({});
    assertTlsFailure(vendor, app, /is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set caFile/);
    assert.equal(app.requests.length, before, 'no request got past the handshake');
  });

  test('caFile with an unrelated CA: not trusted either', async () => {
    const before = app.requests.length;
    const { vendor } = await getUser({ caFile: pki.wrongCaFile });
    assertTlsFailure(vendor, app, /is not trusted \([A-Z_]+\): set caFile to the PEM file of the CA/);
    assert.equal(app.requests.length, before);
  });

  test('a certificate for another host name fails clearly even with the right CA', async () => {
    const { vendor } = await getUser({ caFile: pki.caFile }, otherName);
    assertTlsFailure(
      vendor,
      otherName,
      /is not valid for that host name \(ERR_TLS_CERT_ALTNAME_INVALID\): use in baseUrl a name the certificate lists/,
    );
    assert.equal(otherName.requests.length, 0);
  });

  test('insecure: true reaches the app and warns, once per client', async () => {
    const { vendor, warnings } = await getUser({ insecure: true });
    assertReachedApp(vendor);
    assert.deepEqual(warnings, ['instance "hr": TLS certificates are not verified (insecure: true)']);
  });

  test('a missing caFile is a configuration error at load; one with no certificate is named in the record', async () => {
    await assert.rejects(
      getUser({ caFile: join(dir.path, 'nope.pem') }),
      /key "caFile": cannot read .*nope\.pem \(ENOENT\)$/,
    );
    const junk = join(dir.path, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const bad = await getUser({ caFile: junk });
    assert.match(bad.vendor.errorMessage, /^caFile .*junk\.pem holds no PEM certificate/);
  });

  test('insecure is per instance: a second instance on the same app still verifies', async () => {
    const iam = createIamClient({
      config: {
        instances: {
          lax: { brand: 'SCIM', baseUrl: app.url, token: app.token, insecure: true },
          strict: { brand: 'SCIM', baseUrl: app.url, token: app.token },
        },
      },
      env: {},
    });
    try {
      const lax = await iam.getUser('lax', { userProfile: { username: 'nobody' } });
      const strict = await iam.getUser('strict', { userProfile: { username: 'nobody' } });
      assertReachedApp(lax.vendor);
      assertTlsFailure(strict.vendor, app, /is not trusted/);
    } finally {
      await iam.close();
    }
  });
});

describe('TLS through the CLI', () => {
  async function iam(args: string[], configBody: string) {
    const config = join(dir.path, 'iam.yaml');
    writeFileSync(config, configBody, { mode: 0o600 });
    return runCli([...args, '--config', config, '--output', 'json'], {
      env: { HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg'), SCIM_TOKEN: app.token },
      cwd: dir.path,
    });
  }

  const instance = (extra: string) =>
    `instances:\n  hr:\n    brand: SCIM\n    baseUrl: ${app.url}\n    token: \${env:SCIM_TOKEN}\n${extra}`;
  const WARNING = 'iam: warning: instance "hr": TLS certificates are not verified (insecure: true)';

  test('insecure: true prints the warning on every run that uses the instance', async () => {
    const config = instance('    insecure: true\n');
    const created = await iam(['create-user', '--user-profile', '{"username":"tls.cli"}'], config);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.vendors[0]?.success, true);
    assert.ok(created.stderr.split('\n').includes(WARNING), created.stderr);
    const got = await iam(['get-user', '--user-profile', '{"username":"tls.cli"}'], config);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.vendors[0]?.username, 'tls.cli');
    assert.ok(got.stderr.split('\n').includes(WARNING), got.stderr);
    const tested = await iam(['test', '--instance', 'hr'], config);
    assert.ok(tested.stderr.split('\n').includes(WARNING), tested.stderr);
  });

  test('without insecure: no warning, and an untrusted certificate is exit 1 with a clean record', async () => {
    const r = await iam(['get-user', '--user-profile', '{"username":"tls.cli"}'], instance(''));
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const [vendor] = r.vendors;
    assert.equal(vendor?.success, false);
    assert.equal(vendor?.errorCode, null);
    assert.match(vendor?.errorMessage ?? '', /^TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
  });

  test('caFile in the YAML (relative to the config file) is trusted', async () => {
    writeFileSync(join(dir.path, 'corp-ca.pem'), readFileSync(pki.caFile, 'utf8'));
    const r = await iam(
      ['get-user', '--user-profile', '{"username":"tls.cli"}'],
      instance('    caFile: corp-ca.pem\n'),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.vendors[0]?.username, 'tls.cli');
    assert.doesNotMatch(r.stderr, /warning/);
  });
});
