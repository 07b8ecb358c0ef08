import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError } from './errors.js';

const REDACTED = '[REDACTED]';

/**
 * A secret value (token, password, client secret). It cannot print itself: String(), JSON and
 * util.inspect all show [REDACTED]. Only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export interface SecretSource {
  env: Readonly<Record<string, string | undefined>>;
  readFile: (path: string) => string;
}

export const processSecretSource = (): SecretSource => ({
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
});

const REF = /^\$\{(env|file):([^}]+)\}$/;

/**
 * Resolves a `${env:NAME}` or `${file:PATH}` reference (or a literal) into its value.
 * `where` names the setting for the error message, e.g. `instance "aws" key "token"`.
 */
export function resolveRef(raw: string, where: string, source: SecretSource): string {
  const m = REF.exec(raw.trim());
  if (!m) return raw;
  const [, kind, name] = m as unknown as [string, 'env' | 'file', string];
  if (kind === 'env') {
    const v = source.env[name];
    if (v === undefined || v === '') {
      throw new ConfigError(
        `${where}: environment variable ${name} is not set (referenced as \${env:${name}})`,
      );
    }
    return v;
  }
  try {
    return source.readFile(name).replace(/\r?\n$/, '');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${where}: cannot read secret file ${name} (${reason})`);
  }
}

/** Keys whose values are secrets wherever they appear in app JSON, logs or records. */
export const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential/i;

/**
 * A deep copy of `value` with every secret-looking key's value and every known secret string
 * replaced by [REDACTED]. Used for records' details and anything else that is printed.
 */
export function redact<T>(value: T, known: readonly string[] = []): T {
  const secrets = known.filter((s) => s.length >= 4);
  const scrub = (s: string): string => {
    let out = s;
    for (const k of secrets) out = out.split(k).join(REDACTED);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (v instanceof Secret) return REDACTED;
    if (typeof v === 'string') return secrets.length ? scrub(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v)) {
        out[k] = SECRET_KEY.test(k) && val !== null && val !== undefined && val !== '' ? REDACTED : walk(val);
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** Replaces known secret strings inside a message. */
export function redactText(text: string, known: readonly string[]): string {
  let out = text;
  for (const k of known) if (k.length >= 4) out = out.split(k).join(REDACTED);
  return out;
}
