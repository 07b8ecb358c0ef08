// Brand LDAP's connection settings against a real slapd: LDAPS and StartTLS with the test CA, a
// certificate checked against tlsServerName, a wrong CA or name refused with one clear line, a
// refused bind that names the bind DN and never the password, and timeoutMs against a mute server.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { freePort } from '../servers/slapd.js';
import { makeTestPki, type TestPki } from '../servers/tls-pki.js';
import { type LdapHarness, startLdap, vendorOf } from './ldap-support.js';

describe('LDAP connections', () => {
  let h: LdapHarness;
  let pki: TestPki;
  const dir = tempDir('iam-ldap-tls-');
  before(async () => {
    h = await startLdap();
    pki = makeTestPki(dir.path);
  });
  after(async () => {
    await h.close();
    dir.cleanup();
  });

  const probe = (extra: Record<string, unknown>) =>
    vendorOf(h.client(extra).getUser('l', { userProfile: { username: 'nobody' } }));
  /** A lookup that reached the directory: not found, so the connection and the bind worked. */
  const reached = (r: { errorCode: unknown; errorMessage: string }) =>
    assert.deepEqual([r.errorCode, r.errorMessage], [404, 'User does not exist']);

  test('LDAPS with caFile: verified against the test CA', async () => {
    reached(await probe({ url: h.slapd.ldapsUrl, caFile: h.slapd.caFile }));
    const t = await h.client({ url: h.slapd.ldapsUrl, caFile: h.slapd.caFile }).test('l');
    assert.equal(t.success, true, t.message);
    assert.match(t.message, /\(LDAPS\): bound as cn=admin,dc=example,dc=org/);
  });

  test('StartTLS on ldap:// with caFile', async () => {
    reached(await probe({ startTls: true, caFile: h.slapd.caFile }));
  });

  for (const [name, extra] of [
    ['LDAPS', (pkiCa: string) => ({ url: h.slapd.ldapsUrl, caFile: pkiCa })],
    ['StartTLS', (pkiCa: string) => ({ startTls: true, caFile: pkiCa })],
  ] as const) {
    test(`${name} with a wrong CA fails with one line that says what to set`, async () => {
      const r = await probe(extra(pki.wrongCaFile));
      assert.equal(r.success, false);
      assert.match(
        r.errorMessage,
        /^TLS to ldaps?:\/\/127\.0\.0\.1:\d+: the server certificate was not accepted \(/,
      );
      assert.match(r.errorMessage, /set caFile to the CA that signed it/);
      assert.equal(r.errorMessage.includes('\n'), false);
      assert.equal(r.errorMessage.includes('    at '), false);
    });
  }

  test('tlsServerName: the certificate is checked against that name, not the url address', async () => {
    reached(await probe({ url: h.slapd.ldapsUrl, caFile: h.slapd.caFile, tlsServerName: 'localhost' }));
    const r = await probe({
      url: h.slapd.ldapsUrl,
      caFile: h.slapd.caFile,
      tlsServerName: 'dc1.example.org',
    });
    assert.equal(r.success, false);
    assert.match(r.errorMessage, /ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.match(r.errorMessage, /tlsServerName/);
  });

  test('insecure: true connects without a trusted CA', async () => {
    reached(await probe({ url: h.slapd.ldapsUrl, insecure: true }));
  });

  test('a wrong bind password: "bind failed for <bindDn>", the password in no message, no second bind', async () => {
    const password = 'Wr0ng-Pa55-Xy';
    const c = h.client({ password });
    const r = await vendorOf(c.getUser('l', { userProfile: { username: 'x' } }));
    assert.equal(r.success, false);
    assert.match(r.errorMessage, /^bind failed for cn=admin,dc=example,dc=org: invalid credentials \(49\)/);
    assert.equal(JSON.stringify(r).includes(password), false);
    const started = Date.now();
    const again = await vendorOf(c.getUser('l', { userProfile: { username: 'y' } }));
    assert.equal(again.errorMessage, r.errorMessage);
    assert.ok(Date.now() - started < 1000, 'the refused bind is not tried again');
  });

  test('nothing listening: "cannot connect to <url>", no code, after the retries', async () => {
    const port = await freePort();
    const r = await probe({ url: `ldap://127.0.0.1:${port}` });
    assert.equal(r.success, false);
    assert.equal(r.errorCode, null);
    assert.match(
      r.errorMessage,
      new RegExp(`^cannot connect to ldap://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });

  describe('timeoutMs', () => {
    let mute: Server;
    const sockets: Socket[] = [];
    before(async () => {
      // Accepts connections and never answers: a hung directory.
      mute = createServer((s) => sockets.push(s));
      await new Promise<void>((ok) => mute.listen(0, '127.0.0.1', ok));
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => mute.close(ok));
    });

    test('a server that never answers fails after timeoutMs (and its retries), as a transport error', async () => {
      const addr = mute.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const started = Date.now();
      const r = await probe({ url: `ldap://127.0.0.1:${port}`, timeoutMs: 200 });
      const took = Date.now() - started;
      assert.equal(r.success, false);
      assert.equal(r.errorCode, null, 'no answer: no code');
      assert.match(r.errorMessage, /cannot connect to ldap:\/\/127\.0\.0\.1:\d+: .*timed out/i);
      assert.ok(took >= 200 && took < 5000, `took ${took} ms`);
    });
  });
});
