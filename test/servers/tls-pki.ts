// A throwaway PKI for TLS tests, made at test time with the openssl binary (nothing is committed,
// nothing expires in a year's time): a test CA, a server certificate it signs for localhost and
// 127.0.0.1, a second unrelated CA (the "wrong CA"), and a certificate the test CA signs for another
// host name only (the "hostname mismatch"). P-256 keys keep generation fast.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerCert {
  cert: string;
  key: string;
}

export interface TestPki {
  /** PEM file of the CA that signed `server` and `otherHost`: what `caFile` points at. */
  caFile: string;
  /** PEM file of an unrelated CA that signed nothing the servers use. */
  wrongCaFile: string;
  /** Valid for DNS:localhost and IP:127.0.0.1. */
  server: ServerCert;
  /** Signed by the same CA, valid for DNS:other.example only. */
  otherHost: ServerCert;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const serial = () => `0x${randomBytes(8).toString('hex')}`;

function makeCa(dir: string, name: string): { crt: string; key: string } {
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    crt,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-set_serial',
    serial(),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { crt, key };
}

function makeLeaf(dir: string, name: string, ca: { crt: string; key: string }, san: string): ServerCert {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const crt = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    csr,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(
    ext,
    [
      `subjectAltName=${san}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.crt,
    '-CAkey',
    ca.key,
    '-set_serial',
    serial(),
    '-days',
    '2',
    '-extfile',
    ext,
    '-out',
    crt,
  ]);
  return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** Writes the PKI into `dir` (a fresh temp directory the caller removes). */
export function makeTestPki(dir: string): TestPki {
  const ca = makeCa(dir, 'iam-test-ca');
  const wrong = makeCa(dir, 'iam-unrelated-ca');
  return {
    caFile: ca.crt,
    wrongCaFile: wrong.crt,
    server: makeLeaf(dir, 'localhost', ca, 'DNS:localhost,IP:127.0.0.1'),
    otherHost: makeLeaf(dir, 'other.example', ca, 'DNS:other.example'),
  };
}
