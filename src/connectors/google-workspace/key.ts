// The service account JSON key (Google Cloud console, "Keys > Add key > JSON"): the fields the
// connector reads from it. It is a secret as a whole; a problem with it is one line naming the
// missing or wrong field, never quoting the key (its private_key above all).
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';

export interface ServiceAccountKey {
  /** `client_email`: the JWT's `iss`. */
  clientEmail: string;
  /** `private_key`: a PKCS#8 PEM, signing the assertion (RS256). */
  privateKey: Secret;
  /** `private_key_id`: the JWT header's `kid`. */
  privateKeyId?: string;
  /** `token_uri`: where the assertion is exchanged (the default tokenUrl). */
  tokenUri: string;
}

const REQUIRED = ['private_key', 'client_email', 'token_uri'] as const;

/** What is wrong with a key's text, in one line, or undefined when it is a usable service account key. */
export function keyProblem(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `expected the service account JSON key (a \${file:PATH} reference to the key file, or its JSON): it is not JSON`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return 'expected the service account JSON key: it is not a JSON object';
  }
  const key = json as Record<string, unknown>;
  if (key.type !== undefined && key.type !== 'service_account') {
    return 'expected a service account key ("type": "service_account"), not another kind of Google credential';
  }
  for (const field of REQUIRED) {
    const v = key[field];
    if (typeof v !== 'string' || v.trim() === '') {
      return `the key has no "${field}": expected the service account JSON key as downloaded from Google Cloud`;
    }
  }
  if (!String(key.private_key).includes('PRIVATE KEY-----')) {
    return 'the key\'s "private_key" is not a PEM private key (-----BEGIN PRIVATE KEY-----)';
  }
  return undefined;
}

/** The key's fields; the text was checked by keyProblem in the settings schema. */
export function readServiceAccountKey(secret: Secret): ServiceAccountKey {
  const problem = keyProblem(secret.reveal());
  if (problem) throw new ConfigError(`serviceAccountKey: ${problem}`);
  const key = JSON.parse(secret.reveal()) as Record<string, string>;
  return {
    clientEmail: key.client_email as string,
    privateKey: new Secret(key.private_key as string),
    ...(typeof key.private_key_id === 'string' && key.private_key_id
      ? { privateKeyId: key.private_key_id }
      : {}),
    tokenUri: key.token_uri as string,
  };
}
