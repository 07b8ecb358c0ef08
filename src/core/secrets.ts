import { statSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError } from './errors.js';
import { FILE_CAPS, readCappedFile } from './read-capped.js';
import { type Scrub, scrubber, secretForms } from './secret-forms.js';

export { MIN_SECRET, secretForms } from './secret-forms.js';

export const REDACTED = '[REDACTED]';

/**
 * A secret value (token, password, client secret). It cannot print itself: String(), template
 * literals, JSON, util.inspect (so console.log) and Error messages all show [REDACTED]. Only
 * `reveal()` gives the value, at the one place that sends it. The value is a #private field, so
 * spreading, Object.keys and structuredClone see nothing either.
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
  [Symbol.toPrimitive](): string {
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
  readFile: (path) => readCappedFile(path, FILE_CAPS.secret),
});

/** C0 controls, DEL and C1 controls: none of them belongs in a token or a header value. */
export const CONTROL_CHAR = /\p{Cc}/u;

const REF = /^\$\{(env|file):([^}]+)\}$/;

/** True for a `${env:NAME}` or `${file:PATH}` reference (the secret itself is not in the file). */
export const isSecretRef = (raw: string): boolean => REF.test(raw.trim());

/**
 * Resolves a `${env:NAME}` or `${file:PATH}` reference (or a literal) into its value.
 * `where` names the setting for the error message, e.g. `instance "aws" key "token"`.
 */
/** One or more PEM blocks (RFC 7468), nothing else. */
const PEM = /^(-----BEGIN [A-Z0-9 ]+-----\r?\n[A-Za-z0-9+/=:,\- \r\n]*-----END [A-Z0-9 ]+-----\s*)+$/;

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
  let text: string;
  try {
    text = source.readFile(name);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    const limit = reason.startsWith('larger than') ? ', the limit for a secret file' : '';
    throw new ConfigError(`${where}: cannot read secret file ${name} (${reason}${limit})`);
  }
  // Editors add a BOM or trailing line breaks; neither is part of a token. Anything else that is a
  // control character (a line break inside) would break the header it is sent in: refused, with
  // the file named and the value never shown.
  const value = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  // A JSON document (a service account key file) spans lines by its own whitespace, which is no
  // part of any value in it: it is read as the same document on one line.
  const json = CONTROL_CHAR.test(value) ? oneLineJson(value) : undefined;
  if (json !== undefined) return json;
  // A PEM file (a private key, a certificate) is lines by format and never sent in a header:
  // its line breaks are kept; any other control character is still refused.
  if (PEM.test(value) && !CONTROL_CHAR.test(value.replace(/\r?\n/g, ''))) return value;
  if (CONTROL_CHAR.test(value)) {
    throw new ConfigError(
      `${where}: secret file ${name} holds a control character (a line break inside?): expected one line`,
    );
  }
  return value;
}

/** A JSON object written over several lines, on one line; undefined when the text is not one. */
function oneLineJson(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? JSON.stringify(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** Keys whose values are secrets wherever they appear in app JSON, logs or records. */
export const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential/i;

/** URL query parameters that carry a credential: named like a secret, or a key, signature or code. */
export const isSecretParam = (name: string): boolean =>
  SECRET_KEY.test(name) ||
  /^(key|apikey|access[-_]?key|auth|sig|signature|code|session|sid|jwt)$/i.test(name);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/**
 * The credentials a URL carries, as written and decoded: its password, its user name when
 * `withUser` (`https://TOKEN@host` is a common way to give a token), and the values of query
 * parameters named like a secret (`?api_key=`, `?sig=`). A URL without a scheme is read as http
 * (as curl reads *_PROXY). Empty for text that is not a URL.
 */
export function urlCredentials(raw: string, withUser: boolean): string[] {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `http://${raw.trim()}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (url.password) out.push(url.password, decode(url.password));
  if (withUser && url.username) out.push(url.username, decode(url.username));
  for (const pair of url.search.slice(1).split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1 || !isSecretParam(decode(pair.slice(0, at)))) continue;
    out.push(pair.slice(at + 1), decode(pair.slice(at + 1)));
  }
  return [...new Set(out)];
}

/** Setting keys whose value is an http(s) URL carrying credentials, and those credentials. */
export function urlSettingCredentials(settings: unknown): { keys: string[]; values: string[] } {
  const keys: string[] = [];
  const values: string[] = [];
  if (!settings || typeof settings !== 'object') return { keys, values };
  for (const [k, v] of Object.entries(settings)) {
    if (typeof v !== 'string' || !/^https?:\/\//i.test(v)) continue;
    const found = urlCredentials(v, true);
    if (found.length === 0) continue;
    keys.push(k);
    values.push(...found);
  }
  return { keys, values };
}

/** Passwords of the proxies `proxy: true` takes from the environment (HTTPS_PROXY, HTTP_PROXY). */
export function envProxySecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const names = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
  return [...new Set(names.flatMap((n) => (env[n]?.trim() ? urlCredentials(env[n] ?? '', false) : [])))];
}

/**
 * A live list of known secret values, read by the records, the logger and the audit log alike: a
 * secret learned at run time (a fetched access token) is `add`ed once and hidden everywhere from
 * then on. It is an array (every `readonly string[]` parameter takes it); the scrubber of a list
 * is compiled once per distinct content (secret-forms.ts), so a grown list is compiled once more.
 */
export class SecretList extends Array<string> {
  // map/filter/slice return plain arrays (not a SecretList built with a length).
  static override get [Symbol.species]() {
    return Array;
  }
  #forms: string[] = [];
  #formsOf = 0;
  #scrub: Scrub = scrubber([]);
  #scrubOf = 0;

  static fromValues(values: Iterable<string>): SecretList {
    const list = new SecretList();
    for (const v of values) list.add(v);
    return list;
  }

  /** Adds a secret (once); its forms are redacted from now on. */
  add(value: string): void {
    if (value === '' || this.includes(value)) return;
    this.push(value);
  }

  /** Every form of every secret, longest first (recomputed only after the list grew). */
  get forms(): readonly string[] {
    if (this.#formsOf !== this.length) {
      this.#forms = secretForms(this);
      this.#formsOf = this.length;
    }
    return this.#forms;
  }

  /** The scrubber of these secrets (looked up again only after the list grew). */
  get scrub(): Scrub {
    if (this.#scrubOf !== this.length) {
      this.#scrub = scrubber(this);
      this.#scrubOf = this.length;
    }
    return this.#scrub;
  }
}

/**
 * Setting keys (dotted paths) whose parsed value is a Secret written literally in the config,
 * rather than as a `${env:}`/`${file:}` reference. `raw` is the setting object as written.
 */
export function literalSecretKeys(raw: unknown, parsed: unknown, prefix = ''): string[] {
  if (!parsed || typeof parsed !== 'object' || parsed instanceof Secret) return [];
  const rawObj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const out: string[] = [];
  for (const [k, v] of Object.entries(parsed)) {
    const r = rawObj[k];
    if (v instanceof Secret) {
      if (typeof r === 'string' && !isSecretRef(r)) out.push(`${prefix}${k}`);
    } else if (v && typeof v === 'object') {
      out.push(...literalSecretKeys(r, v, `${prefix}${k}.`));
    }
  }
  return out;
}

/**
 * Warnings for a config file that holds literal secrets and that group or others may read
 * (mode & 0o077): one per instance and key, naming the file and what to do. None on Windows,
 * where the mode bits say nothing about who can read.
 */
export function secretFileWarnings(
  path: string,
  literals: readonly { instance?: string; key: string }[],
  mode: number | undefined = statMode(path),
): string[] {
  if (literals.length === 0 || mode === undefined || process.platform === 'win32') return [];
  if ((mode & 0o077) === 0) return [];
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  return literals.map(
    ({ instance, key }) =>
      `config file ${path} is readable by group/others (mode ${octal}) and holds a literal secret ` +
      `(${instance === undefined ? '' : `instance "${instance}" `}key "${key}"): run chmod 600 ${path}, or write it as \${env:NAME} or \${file:PATH}`,
  );
}

function statMode(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}
