// PATCH operations (RFC 7644 3.5.2) and the user diff behind "send only what changed". Ops are
// lowercase, booleans stay JSON booleans, members are added with one `add` and removed by value
// path, never by `replace` of the whole member list (that drops members someone else added, and
// AWS refuses it).
import type { AppObject } from '../core/connector.js';
import { eq, valuePath } from './filter.js';
import { SCHEMA } from './wire.js';

export interface PatchOp {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof SCHEMA.patchOp];
  Operations: PatchOp[];
}

export function patchRequest(ops: readonly PatchOp[]): PatchRequest {
  return { schemas: [SCHEMA.patchOp], Operations: [...ops] };
}

export const replaceOp = (path: string, value: unknown): PatchOp => ({ op: 'replace', path, value });

export const setActiveOp = (active: boolean): PatchOp => replaceOp('active', active === true);

export function addMembersOp(ids: readonly string[]): PatchOp {
  return { op: 'add', path: 'members', value: ids.map((value) => ({ value })) };
}

/**
 * `filter`: one op per id, path `members[value eq "id"]` (RFC 7644 3.5.2.2, the escaping is the
 * filter builder's). `value-list`: one op with path `members` and the ids as value (non-standard,
 * for apps that only understand that).
 */
export function removeMembersOps(ids: readonly string[], style: 'filter' | 'value-list'): PatchOp[] {
  if (style === 'value-list')
    return [{ op: 'remove', path: 'members', value: ids.map((value) => ({ value })) }];
  return ids.map((id) => ({ op: 'remove', path: valuePath('members', eq('value', id)) }));
}

const isObj = (v: unknown): v is AppObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Attributes that are the server's, never the client's to patch. */
const SERVER_OWNED: ReadonlySet<string> = new Set(['id', 'schemas', 'meta']);

/**
 * True when `current` already holds everything `desired` says: equal scalars, objects whose every
 * desired key matches, arrays of the same length whose every desired entry matches a distinct
 * current entry (in any order). Extra keys the server adds (`display`, `$ref`) do not count.
 */
export function covers(current: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return false;
    const used = new Set<number>();
    return desired.every((d) => {
      const i = current.findIndex((c, idx) => !used.has(idx) && covers(c, d));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (isObj(desired)) {
    if (!isObj(current)) return false;
    return Object.entries(desired).every(([k, v]) => v === undefined || covers(current[k], v));
  }
  return current === desired;
}

const absent = (v: unknown) => v === undefined || v === null;

/**
 * The PATCH ops that turn `current` (the app's user JSON) into one holding `desired` (mapped fields).
 * - simple attributes: `replace` when different;
 * - complex attributes (`name`): one `replace` per changed sub-attribute (`name.givenName`);
 * - multi-valued attributes (`emails`, `phoneNumbers`): `replace` of the whole attribute;
 * - extension schemas (`urn:...:User` objects): one `replace` per changed attribute with the full
 *   URN path (`urn:...:enterprise:2.0:User:department`), RFC 7644 3.10.
 * Absent or null desired values are "no opinion": the diff never removes an attribute.
 * `replace` of a missing attribute is an add (RFC 7644 3.5.2.3), so `add` is never needed.
 */
export function diffUser(current: AppObject, desired: AppObject): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (SERVER_OWNED.has(key) || absent(want)) continue;
    const have = current[key];
    if (key.toLowerCase().startsWith('urn:') && isObj(want)) {
      const ext = isObj(have) ? have : {};
      for (const [sub, v] of Object.entries(want)) {
        if (!absent(v) && !covers(ext[sub], v)) ops.push(replaceOp(`${key}:${sub}`, v));
      }
    } else if (isObj(want)) {
      const obj = isObj(have) ? have : {};
      for (const [sub, v] of Object.entries(want)) {
        if (!absent(v) && !covers(obj[sub], v)) ops.push(replaceOp(`${key}.${sub}`, v));
      }
    } else if (!covers(have, want)) {
      ops.push(replaceOp(key, want));
    }
  }
  return ops;
}

/**
 * `desired` laid over `current` for a read-modify-write PUT: objects and extension schemas merge
 * key by key, arrays and scalars are replaced, absent/null desired values keep what is there.
 */
export function mergeUser(current: AppObject, desired: AppObject): AppObject {
  const wanted = Object.fromEntries(Object.entries(desired).filter(([k]) => !SERVER_OWNED.has(k)));
  return mergeDeep(current, wanted);
}

function mergeDeep(current: AppObject, desired: AppObject): AppObject {
  const out: AppObject = { ...current };
  for (const [key, want] of Object.entries(desired)) {
    if (absent(want)) continue;
    const have = out[key];
    out[key] = isObj(want) && isObj(have) ? mergeDeep(have, want) : want;
  }
  return out;
}
