// TLS settings of one transport and what a failed handshake means to the user. Certificates are
// always verified unless the instance says `insecure: true`; `caFile` replaces the system CAs for
// that instance (a private CA, or a TLS-inspecting proxy's CA). A failure says which host, why,
// and which setting fixes it; never a stack.
import { ConfigError } from '../core/errors.js';
import { FILE_CAPS, readCappedFile } from '../core/read-capped.js';

export interface TlsSettings {
  rejectUnauthorized: boolean;
  ca?: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The PEM text of `caFile`: ConfigError when it cannot be read or holds no certificate. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    // Bounded: a caFile of /dev/zero would otherwise be read until memory runs out.
    text = readCappedFile(path, FILE_CAPS.caFile);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    const limit = reason.startsWith('larger than') ? ', the limit for a caFile' : '';
    throw new ConfigError(`cannot read caFile ${path} (${reason}${limit})`, { cause: e });
  }
  if (!PEM_CERT.test(text)) {
    throw new ConfigError(`caFile ${path} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  }
  return text;
}

export function tlsSettings(opts: { insecure: boolean; caFile?: string | undefined }): TlsSettings {
  const ca = opts.caFile ? readCaFile(opts.caFile) : undefined;
  return { rejectUnauthorized: !opts.insecure, ...(ca === undefined ? {} : { ca }) };
}

/** OpenSSL verify codes that mean "no trusted CA vouches for this certificate". */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
]);

export function isTlsCode(code: string): boolean {
  return UNTRUSTED.has(code) || /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL/.test(code);
}

const TESTING_ONLY = 'or insecure: true (testing only)';

/** One line naming the host, what is wrong with its certificate, and the setting that fixes it. */
export function tlsFailureMessage(code: string, host: string): string {
  if (UNTRUSTED.has(code)) {
    return `TLS certificate of ${host} is not trusted (${code}): set caFile to the PEM file of the CA that issued it, ${TESTING_ONLY}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS certificate of ${host} is not valid for that host name (${code}): use in baseUrl a name the certificate lists, ${TESTING_ONLY}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    const when = code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet';
    return `TLS certificate of ${host} ${when} (${code}): the app must renew it (check this machine's clock), ${TESTING_ONLY}`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return `TLS handshake with ${host} failed (${code}): it does not seem to speak HTTPS on that port; check baseUrl's scheme and port`;
  }
  return `TLS handshake with ${host} failed (${code}): check caFile and baseUrl, ${TESTING_ONLY}`;
}
