// Parsing of command arguments at the edge: the User Profile (a JSON object of lowercase fields, or a
// SCIM 2.0 User turned into one), booleans, member id lists. Every failure is a UsageError that names
// the argument and says what was expected.
import { UsageError } from './errors.js';
import { mapIncoming } from './mapping/engine.js';
import type { Mapping } from './mapping/types.js';
import { canonicalKey } from './profile-fields.js';

/** A User Profile: lowercase field names (spec section 4). `olduserdata` holds a nested Profile. */
export type Profile = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deepest nesting accepted in an argument (and in an app's answer): real ones need fewer than 10. */
export const MAX_JSON_DEPTH = 64;

/**
 * The first thing that makes a JSON value unsafe to walk, or undefined: nesting deeper than `max`
 * (recursive walks, JSON.stringify included, would overflow the stack; a cycle counts as too deep)
 * or a `__proto__` key (assigning it replaces an object's prototype instead of adding a field).
 * Iterative, so it cannot overflow itself. The answer names where, e.g. `a "__proto__" key at a.b`.
 */
export function unsafeJson(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, string[]][] = [[value, []]];
  const at = (path: string[]) => (path.length ? ` at ${excerpt(path.join('.'), 80)}` : '');
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string[]];
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= max) return `nesting deeper than ${max} levels${at(path)}`;
    for (const [k, child] of Object.entries(v)) {
      // Any case: profile keys are lowercased later, and `__PROTO__` would become `__proto__`.
      if (k.toLowerCase() === '__proto__') return `a ${excerpt(k)} key${at(path)}`;
      stack.push([child, [...path, k]]);
    }
  }
  return undefined;
}

/** A short printable excerpt of user input for a message: quoted, escaped (one line), capped. */
export function excerpt(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** Parses a JSON argument given as text or already as a value. */
export function parseJsonObject(input: unknown, field: string): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    const text = input.trim();
    if (!text) throw new UsageError(`${field}: expected a JSON object, got an empty value`, field);
    try {
      value = JSON.parse(text);
    } catch (e) {
      const why = e instanceof SyntaxError ? e.message.replace(/\s+/g, ' ') : 'invalid JSON';
      throw new UsageError(`${field}: expected a JSON object (${why})`, field);
    }
  }
  if (!isObj(value)) throw new UsageError(`${field}: expected a JSON object, got ${kindOf(value)}`, field);
  const unsafe = unsafeJson(value);
  if (unsafe) throw new UsageError(`${field}: not accepted: ${unsafe}`, field);
  return value;
}

/** True when the object looks like a SCIM User rather than a User Profile (spec section 1). */
export function isScimUser(obj: Record<string, unknown>): boolean {
  return 'schemas' in obj || 'userName' in obj || 'emails' in obj;
}

/** Keys in their CLI names: `Given Name`, `givenName` and `givenname` are one field. */
function lowerKeys(obj: Record<string, unknown>): Profile {
  const out: Profile = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = canonicalKey(k);
    out[key] = key === 'olduserdata' && isObj(v) ? lowerKeys(v) : v;
  }
  return out;
}

/**
 * Profile fields that name an account (it is looked up, matched or created by them). In these, a
 * character no one can see would make a look-alike account: `ann\u0000` or `ann\u200B` is another
 * user than `ann` to the app, and the same one to a person reading a list.
 */
export const IDENTITY_FIELDS: readonly string[] = [
  'id',
  'username',
  'email',
  'employeeid',
  'employeenumber',
  'externalid',
  'manageremail',
  'displayname',
  'givenname',
  'surname',
];

/**
 * Refused in identity fields: control characters (C0, DEL, C1: `\p{Cc}`), format characters
 * (`\p{Cf}`: bidi marks, embeddings, overrides and isolates, zero-width space/joiners, word joiner,
 * soft hyphen, BOM, tag characters) and the line/paragraph separators U+2028/U+2029.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

const codePoint = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Throws a UsageError naming the first identity field that holds an invisible character. */
function checkIdentity(profile: Profile, field: string, prefix = ''): void {
  for (const key of IDENTITY_FIELDS) {
    const value = profile[key];
    if (typeof value !== 'string') continue;
    const bad = INVISIBLE.exec(value);
    if (bad) {
      throw new UsageError(
        `${field}: field "${prefix}${key}" holds an invisible or control character (${codePoint(bad[0])}, ` +
          `character ${[...value.slice(0, bad.index)].length + 1}): not accepted in a field that names an account`,
        field,
      );
    }
  }
  if (!prefix && isObj(profile.olduserdata)) checkIdentity(profile.olduserdata, field, 'olduserdata.');
}

/**
 * Turns a `user-profile` (or first-generation `scim`) argument into a Profile. A SCIM User is read
 * through `scimMapping` (the spec's default SCIM mapping), keeping its `id`. Identity fields with
 * control or invisible characters are refused (UsageError).
 */
export function parseUserProfile(input: unknown, scimMapping: Mapping, field = 'user-profile'): Profile {
  const obj = parseJsonObject(input, field);
  let profile: Profile;
  if (!isScimUser(obj)) profile = lowerKeys(obj);
  else {
    profile = mapIncoming(scimMapping, obj);
    if (typeof obj.id === 'string' || typeof obj.id === 'number') profile.id = String(obj.id);
    if (isObj(obj.olduserdata)) profile.olduserdata = lowerKeys(obj.olduserdata);
  }
  checkIdentity(profile, field);
  return profile;
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/** true/false/yes/no/1/0 in any case (stricter than the original's lowercase `true` only). */
export function parseBoolean(input: unknown, field: string, fallback: boolean): boolean {
  if (input === undefined || input === null || input === '') return fallback;
  if (typeof input === 'boolean') return input;
  const s = String(input).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new UsageError(`${field}: expected true/false/yes/no/1/0, got ${excerpt(String(input))}`, field);
}

/** A JSON array or a comma-separated string of ids; blanks dropped, duplicates kept once. */
export function parseIdList(input: unknown, field: string): string[] {
  if (input === undefined || input === null || input === '') return [];
  let list: unknown = input;
  if (typeof input === 'string') {
    const text = input.trim();
    // `{...}` is JSON, not an id with braces: say it is the wrong kind of JSON.
    if (text.startsWith('[') || text.startsWith('{')) {
      try {
        list = JSON.parse(text);
      } catch {
        throw new UsageError(
          `${field}: expected a JSON array or comma-separated ids, got invalid JSON`,
          field,
        );
      }
    } else list = text.split(',');
  }
  if (!Array.isArray(list)) {
    throw new UsageError(
      `${field}: expected a JSON array or comma-separated ids, got ${kindOf(list)}`,
      field,
    );
  }
  const ids = new Set<string>();
  for (const item of list) {
    // Named by kind, not echoed: an item may be huge or nested too deep to print.
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw new UsageError(`${field}: every id must be a string, got ${kindOf(item)}`, field);
    }
    const id = String(item).trim();
    if (id) ids.add(id);
  }
  return [...ids];
}
