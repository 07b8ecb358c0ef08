// Parsing of command arguments at the edge: the User Profile (a JSON object of lowercase fields, or a
// SCIM 2.0 User turned into one), booleans, member id lists. Every failure is a UsageError that names
// the argument and says what was expected.
import { UsageError } from './errors.js';
import { mapIncoming } from './mapping/engine.js';
import type { Mapping } from './mapping/types.js';

/** A User Profile: lowercase field names (spec section 4). `olduserdata` holds a nested Profile. */
export type Profile = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

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
  if (!isObj(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new UsageError(`${field}: expected a JSON object, got ${got}`, field);
  }
  return value;
}

/** True when the object looks like a SCIM User rather than a User Profile (spec section 1). */
export function isScimUser(obj: Record<string, unknown>): boolean {
  return 'schemas' in obj || 'userName' in obj || 'emails' in obj;
}

function lowerKeys(obj: Record<string, unknown>): Profile {
  const out: Profile = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = k.toLowerCase();
    out[key] = key === 'olduserdata' && isObj(v) ? lowerKeys(v) : v;
  }
  return out;
}

/**
 * Turns a `user-profile` (or first-generation `scim`) argument into a Profile. A SCIM User is read
 * through `scimMapping` (the spec's default SCIM mapping), keeping its `id`.
 */
export function parseUserProfile(input: unknown, scimMapping: Mapping, field = 'user-profile'): Profile {
  const obj = parseJsonObject(input, field);
  if (!isScimUser(obj)) return lowerKeys(obj);
  const profile = mapIncoming(scimMapping, obj);
  if (typeof obj.id === 'string' || typeof obj.id === 'number') profile.id = String(obj.id);
  if (isObj(obj.olduserdata)) profile.olduserdata = lowerKeys(obj.olduserdata);
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
  throw new UsageError(`${field}: expected true/false/yes/no/1/0, got "${String(input)}"`, field);
}

/** A JSON array or a comma-separated string of ids; blanks dropped, duplicates kept once. */
export function parseIdList(input: unknown, field: string): string[] {
  if (input === undefined || input === null || input === '') return [];
  let list: unknown = input;
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('[')) {
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
  if (!Array.isArray(list))
    throw new UsageError(`${field}: expected a JSON array or comma-separated ids`, field);
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw new UsageError(`${field}: every id must be a string, got ${JSON.stringify(item)}`, field);
    }
    const id = String(item).trim();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
