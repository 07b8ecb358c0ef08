// `${env:NAME}`/`${file:PATH}` references in an instance's settings, and the secrets they yield.
// Resolved per instance: one that cannot be resolved (an unset variable, an unreadable file) is
// held as that instance's error and reported when that instance is used, so it cannot stop
// commands on the other instances of the file.
import type { z } from 'zod';
import { formatIssue } from './config-schema.js';
import type { ConnectorDefinition } from './connector.js';
import { ConfigError } from './errors.js';
import { literalSecretKeys, resolveRef, Secret, type SecretSource } from './secrets.js';

/** A reference of one instance that could not be resolved: reported when that instance is used. */
export class UnresolvedReferenceError extends ConfigError {}

/** Resolves one reference (or returns a literal); failure is an UnresolvedReferenceError. */
export function resolveOne(raw: string, where: string, source: SecretSource): string {
  try {
    return resolveRef(raw, where, source);
  } catch (e) {
    throw new UnresolvedReferenceError((e as Error).message, { cause: e });
  }
}

/** Resolves `${env:}`/`${file:}` references in every string of a settings object. */
export function resolveRefs(value: unknown, where: string, source: SecretSource): unknown {
  if (typeof value === 'string') return resolveOne(value, where, source);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, where, source));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveRefs(v, `${where} key "${k}"`, source)]),
    );
  }
  return value;
}

/** The password of a proxy URL (`http://user:pass@host`), decoded and as written. */
export function proxySecrets(proxy: unknown): string[] {
  if (typeof proxy !== 'string') return [];
  try {
    const { password } = new URL(proxy);
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}

/** A proxy URL safe to print: its password replaced. */
export function printableProxy(proxy: boolean | string): boolean | string {
  if (typeof proxy !== 'string') return proxy;
  try {
    const u = new URL(proxy);
    if (u.password) u.password = 'REDACTED';
    return u.toString();
  } catch {
    return '[unreadable proxy URL]';
  }
}

export function collectSecrets(value: unknown, out: string[] = []): string[] {
  if (value instanceof Secret) out.push(value.reveal());
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectSecrets(v, out);
  return out;
}

export interface ParsedSettings {
  settings: unknown;
  secrets: string[];
  literalSecrets: string[];
}

/**
 * The connector settings of one instance (`rest`: every key that is not a common one), references
 * resolved, then parsed by the connector's schema. UnresolvedReferenceError when a reference cannot
 * be resolved; ConfigError naming the key when a value is wrong.
 */
export function parseSettings(
  def: ConnectorDefinition<unknown>,
  rest: Record<string, unknown>,
  where: string,
  source: SecretSource,
  lineAt?: (path: readonly PropertyKey[]) => string,
): ParsedSettings {
  const resolved = resolveRefs(rest, where, source);
  const s = (def.settings as z.ZodType).safeParse(resolved);
  if (!s.success) {
    const issue = s.error.issues[0]!;
    const key = issue.path[0];
    // A missing key, unless a rule about several keys (a refine: `custom`) says what is expected.
    if (
      issue.path.length === 1 &&
      issue.code !== 'custom' &&
      typeof key === 'string' &&
      !(key in (resolved as object))
    ) {
      throw new ConfigError(`${where} key "${key}": is required for brand ${def.brand}`);
    }
    throw new ConfigError(formatIssue(where, issue, lineAt));
  }
  return {
    settings: s.data,
    secrets: collectSecrets(s.data),
    literalSecrets: literalSecretKeys(rest, s.data),
  };
}
