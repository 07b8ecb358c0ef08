// Redaction of values on their way out (records' details, the audit log, debug logs, dry runs):
// a secret-looking key's value, a Secret and every form of a known secret become [REDACTED].
// Hot: every command's record and audit lines pass here, so keys' verdicts are cached, nothing is
// allocated for a value that holds nothing to hide, and a line is serialised once.
import { type Scrub, scrubber } from './secret-forms.js';
import { REDACTED, SECRET_KEY, Secret, SecretList } from './secrets.js';

const isPresent = (v: unknown) => v !== null && v !== undefined && v !== '';

// Keys repeat (a few dozen attribute names), so SECRET_KEY runs once per distinct key. Bounded: an
// app sending ever new keys (ids as keys) cannot grow it past KEY_CACHE_MAX.
const KEY_CACHE_MAX = 4096;
const verdicts = new Map<string, boolean>();

/** Whether a key (or a SCIM PATCH `path`) names a secret. */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (verdicts.size >= KEY_CACHE_MAX) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

const scrubOf = (known: readonly string[]): Scrub =>
  known instanceof SecretList ? known.scrub : scrubber(known);

/** Whether the key `k` of `obj` (with `secretPath` computed for obj) holds a value to hide. */
const hides = (obj: Record<string, unknown>, k: string, secretPath: boolean): boolean =>
  (isSecretKey(k) || (secretPath && k === 'value')) && isPresent(obj[k]);

const namesSecretPath = (obj: Record<string, unknown>) =>
  typeof obj.path === 'string' && isSecretKey(obj.path);

/**
 * A deep copy of `value` with every secret-looking key's value, every Secret and every known
 * secret string (in any of its forms) replaced by [REDACTED]. A SCIM PATCH operation whose `path`
 * names a secret (`{"op":"replace","path":"password","value":"..."}`) has its `value` redacted.
 * Used for records' details, debug logs, dry-run output and the audit log.
 */
export function redact<T>(value: T, known: readonly string[] = []): T {
  const scrub = scrubOf(known);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Secret || depth > 64) return REDACTED;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const obj = v as Record<string, unknown>;
    const secretPath = namesSecretPath(obj);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const r = hides(obj, k, secretPath) ? REDACTED : walk(obj[k], depth + 1);
      // defineProperty: an app's `__proto__` key stays a plain key of the copy.
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
      else out[k] = r;
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Whether redact() would change nothing in `v` (it is returned as is then): no copy made. */
function isClean(v: unknown, scrub: Scrub, depth: number): boolean {
  if (typeof v === 'string') return scrub(v) === v;
  if (v === null || typeof v !== 'object') return true;
  if (v instanceof Secret || depth > 64) return false;
  if (Array.isArray(v)) return v.every((x) => isClean(x, scrub, depth + 1));
  const obj = v as Record<string, unknown>;
  const secretPath = namesSecretPath(obj);
  for (const k of Object.keys(obj)) {
    if (hides(obj, k, secretPath) || !isClean(obj[k], scrub, depth + 1)) return false;
  }
  return true;
}

/**
 * redact() for a value that is only read from now on (a record's details, the profile a record
 * echoes, a write's description): `value` itself when nothing in it would be redacted, which is
 * the common case and allocates nothing; else redact()'s copy. Callers never change either.
 */
export function redactShared<T>(value: T, known: readonly string[] = []): T {
  return isClean(value, scrubOf(known), 0) ? value : redact(value, known);
}

/** Whether redact() would hide something by key or type (a secret-named key, a Secret): no copy made. */
function holdsKeyedSecret(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Secret || depth > 64) return true;
  if (Array.isArray(v)) return v.some((x) => holdsKeyedSecret(x, depth + 1));
  const obj = v as Record<string, unknown>;
  const secretPath = namesSecretPath(obj);
  for (const k of Object.keys(obj)) {
    if (hides(obj, k, secretPath) || holdsKeyedSecret(obj[k], depth + 1)) return true;
  }
  return false;
}

/**
 * `value` as one line of JSON, redacted as redact() would, serialised once: the value is copied only
 * when a key or a Secret must be hidden, and known secrets are scrubbed from the text (every form,
 * JSON-escaped included, so a secret inside a key is hidden too).
 */
export function redactedJson(value: unknown, known: readonly string[] = []): string {
  const keyed = holdsKeyedSecret(value, 0) ? redact(value) : value;
  return scrubOf(known)(JSON.stringify(keyed));
}

/** Replaces known secret strings (in any of their forms) inside a message. */
export function redactText(text: string, known: readonly string[]): string {
  return scrubOf(known)(text);
}
