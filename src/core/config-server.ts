// The `server:` key (iam serve, iam mcp): API keys and SCIM gateway entries. The shape is checked
// at load with the rest of the file (config-schema.ts); names are checked against the instances
// here. `${env:}`/`${file:}` references are resolved like an instance's: one that cannot be is held
// and thrown only by the commands that serve (so `iam get-user` still runs without IAM_API_KEY).
// Keys and tokens are Secrets: they cannot print themselves, and their values join the client's
// list of secrets, so no log, audit line or record shows them in any encoding.
import type { z } from 'zod';
import { resolveOne, UnresolvedReferenceError } from './config-refs.js';
import type { serverSchema } from './config-schema.js';
import { ConfigError } from './errors.js';
import { isSecretRef, Secret, type SecretSource } from './secrets.js';

export type Scope = 'read' | 'write';

export interface ApiKeyConfig {
  name: string;
  key: Secret;
  /** `write` implies `read`. */
  scopes: readonly Scope[];
  /** undefined: every instance. */
  instances: readonly string[] | undefined;
}

export interface ScimEntryConfig {
  /** Served at /scim/<path>/v2. */
  path: string;
  instance: string;
  token: Secret;
}

export interface ServerConfig {
  apiKeys: ApiKeyConfig[];
  scim: ScimEntryConfig[];
  /** Every key and token value (for redaction). */
  secrets: string[];
  /** Where a key or token is written literally, not as a reference (`server.apiKeys.0.key`). */
  literalSecrets: string[];
  /** A reference that could not be resolved: thrown by `iam serve`/`iam mcp`, by nothing else. */
  unresolved: ConfigError | undefined;
}

/** Shorter keys are guessable; a 16-character floor costs nothing (`openssl rand -hex 32`). */
export const MIN_KEY_LENGTH = 16;

function duplicate(values: readonly string[]): string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

export function parseServer(
  raw: z.infer<typeof serverSchema> | undefined,
  instances: ReadonlySet<string>,
  source: string,
  secrets: SecretSource,
): ServerConfig | undefined {
  if (raw === undefined) return undefined;
  const where = `${source}: key "server`;
  const known = [...instances].join(', ');
  const checkInstance = (name: string, at: string) => {
    if (!instances.has(name))
      throw new ConfigError(`${at}": unknown instance "${name}" (configured: ${known})`);
  };
  let unresolved: ConfigError | undefined;
  const literalSecrets: string[] = [];
  const secret = (text: string, at: string): Secret => {
    if (!isSecretRef(text)) literalSecrets.push(at.slice(`${source}: key "`.length));
    let value = '';
    try {
      value = resolveOne(text, `${at}"`, secrets);
    } catch (e) {
      if (!(e instanceof UnresolvedReferenceError)) throw e;
      unresolved ??= e;
      return new Secret('');
    }
    if (value.length < MIN_KEY_LENGTH || /\s|\p{Cc}/u.test(value))
      throw new ConfigError(
        `${at}": expected at least ${MIN_KEY_LENGTH} characters and no space (e.g. openssl rand -hex 32)`,
      );
    return new Secret(value);
  };
  const apiKeys = (raw.apiKeys ?? []).map((k, i): ApiKeyConfig => {
    const at = `${where}.apiKeys.${i}`;
    for (const [j, name] of (k.instances ?? []).entries()) checkInstance(name, `${at}.instances.${j}`);
    return { name: k.name, key: secret(k.key, `${at}.key`), scopes: k.scopes, instances: k.instances };
  });
  const scim = (raw.scim ?? []).map((e, i): ScimEntryConfig => {
    const at = `${where}.scim.${i}`;
    checkInstance(e.instance, `${at}.instance`);
    return { path: e.path, instance: e.instance, token: secret(e.token, `${at}.token`) };
  });
  const name = duplicate(apiKeys.map((k) => k.name));
  if (name) throw new ConfigError(`${where}.apiKeys": the name "${name}" is used twice`);
  const path = duplicate(scim.map((e) => e.path));
  if (path) throw new ConfigError(`${where}.scim": the path "${path}" is used twice`);
  const values = [...apiKeys.map((k) => k.key.reveal()), ...scim.map((e) => e.token.reveal())].filter(
    (v) => v !== '',
  );
  if (duplicate(values)) throw new ConfigError(`${where}": two keys or tokens have the same value`);
  return { apiKeys, scim, secrets: values, literalSecrets, unresolved };
}
