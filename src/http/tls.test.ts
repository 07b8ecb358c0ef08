import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { isTlsCode, readCaFile, tlsFailureMessage, tlsSettings } from './tls.js';

const dir = mkdtempSync(join(tmpdir(), 'iam-tls-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS settings and messages', () => {
  test('verified unless insecure; caFile is read as PEM', () => {
    assert.deepEqual(tlsSettings({ insecure: false }), { rejectUnauthorized: true });
    assert.deepEqual(tlsSettings({ insecure: true }), { rejectUnauthorized: false });
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    assert.equal(tlsSettings({ insecure: false, caFile: pem }).ca, readCaFile(pem));
  });

  test('a caFile that is missing or not PEM is a ConfigError naming the file', () => {
    assert.throws(
      () => readCaFile(join(dir, 'none.pem')),
      (e: unknown) => e instanceof ConfigError,
    );
    const der = join(dir, 'ca.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01]));
    assert.throws(() => readCaFile(der), /caFile .*ca\.der holds no PEM certificate/);
  });

  test('each failure names the host and what fixes it', () => {
    assert.match(
      tlsFailureMessage('SELF_SIGNED_CERT_IN_CHAIN', 'app.example:443'),
      /^TLS certificate of app\.example:443 is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\): set caFile/,
    );
    assert.match(tlsFailureMessage('ERR_TLS_CERT_ALTNAME_INVALID', 'h:1'), /not valid for that host name/);
    assert.match(tlsFailureMessage('CERT_HAS_EXPIRED', 'h:1'), /has expired/);
    assert.match(tlsFailureMessage('ERR_SSL_WRONG_VERSION_NUMBER', 'h:1'), /does not seem to speak HTTPS/);
    assert.equal(isTlsCode('ECONNREFUSED'), false);
    assert.equal(isTlsCode('DEPTH_ZERO_SELF_SIGNED_CERT'), true);
  });
});
