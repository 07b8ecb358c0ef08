// PATCH operations (RFC 7644 3.5.2) and the user diff behind "send only what changed". Ops are
// lowercase, booleans stay JSON booleans, members are added with one `add` and removed by value
// path, never by `replace` of the whole member list (that drops members someone else added, and
// AWS refuses it).
import type { AppObject } from '../core/connector.js';
import { and, eq, type ScimFilter, valuePath } from './filter.js';
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

/** Most values the app keeps per multi-valued attribute (`{emails: 1}`); absent: no limit. */
export type MaxValues = Readonly<Record<string, number | undefined>>;

/**
 * The entries of a multi-valued attribute when each names a distinct `type` (`emails`,
 * `phoneNumbers`, `addresses` as the mapping builds them): those are patched one by one, so values
 * the profile does not speak of are kept. undefined for anything else (replaced whole).
 */
function typedEntries(want: unknown): AppObject[] | undefined {
  if (!Array.isArray(want) || want.length === 0) return undefined;
  const entries = want.filter(isObj);
  if (entries.length !== want.length) return undefined;
  const types = entries.map((e) => (typeof e.type === 'string' ? e.type.toLowerCase() : ''));
  if (types.includes('') || new Set(types).size !== types.length) return undefined;
  return entries;
}

const typeOf = (e: AppObject): string | undefined =>
  typeof e.type === 'string' ? e.type.toLowerCase() : undefined;

/** The existing entries of the desired entry's type, the primary one first. */
function sameType(existing: readonly AppObject[], entry: AppObject): AppObject[] {
  const same = existing.filter((e) => typeOf(e) === typeOf(entry));
  return [...same.filter((e) => e.primary === true), ...same.filter((e) => e.primary !== true)];
}

/** A value filter naming `target` alone among `existing`: by type, else type and value. */
function selector(existing: readonly AppObject[], target: AppObject): ScimFilter | undefined {
  const type = typeof target.type === 'string' ? target.type : undefined;
  const value = typeof target.value === 'string' ? target.value : undefined;
  const sharing = existing.filter((e) => type !== undefined && typeOf(e) === type.toLowerCase());
  if (type !== undefined && sharing.length === 1) return eq('type', type);
  if (value === undefined) return undefined;
  return type === undefined ? eq('value', value) : and(eq('type', type), eq('value', value));
}

/**
 * RFC 7644 3.5.2 ops for one typed multi-valued attribute: a changed entry of an existing type is
 * a `replace` of its changed sub-attributes through a value filter (`phoneNumbers[type eq
 * "mobile"].value`); a new type is an `add` of the entry (appended; a filtered replace that matches
 * nothing is a 400 noTarget on strict apps). An entry made primary takes `primary` from the others
 * (RFC 7643 2.4: at most one). undefined when this cannot be said entry by entry: then the whole
 * attribute is replaced, e.g. on an app that keeps a single value and already holds another type.
 */
function diffTyped(
  key: string,
  have: unknown,
  want: readonly AppObject[],
  max?: number,
): PatchOp[] | undefined {
  const existing = Array.isArray(have) ? have.filter(isObj) : [];
  if (Array.isArray(have) && existing.length !== have.length) return undefined;
  const ops: PatchOp[] = [];
  const added: AppObject[] = [];
  let madePrimary = false;
  for (const entry of want) {
    const same = sameType(existing, entry);
    if (same.some((e) => covers(e, entry))) continue;
    madePrimary ||= entry.primary === true;
    const target = same[0];
    if (!target) {
      added.push(entry);
      continue;
    }
    const filter = selector(existing, target);
    if (filter === undefined) return undefined;
    for (const [sub, v] of Object.entries(entry)) {
      if (sub !== 'type' && !absent(v) && !covers(target[sub], v)) {
        ops.push(replaceOp(`${valuePath(key, filter)}.${sub}`, v));
      }
    }
  }
  if (max !== undefined && existing.length + added.length > max) return undefined;
  if (added.length) ops.push({ op: 'add', path: key, value: added });
  if (madePrimary) {
    const wanted = new Set(want.map(typeOf));
    for (const other of existing.filter((e) => e.primary === true && !wanted.has(typeOf(e)))) {
      const filter = selector(existing, other);
      if (filter !== undefined) ops.push(replaceOp(`${valuePath(key, filter)}.primary`, false));
    }
  }
  return ops;
}

/**
 * The PATCH ops that turn `current` (the app's user JSON) into one holding `desired` (mapped fields).
 * - simple attributes: `replace` when different;
 * - complex attributes (`name`): one `replace` per changed sub-attribute (`name.givenName`);
 * - typed multi-valued attributes (`emails`, `phoneNumbers`, `addresses`): per entry, see
 *   diffTyped, so the values the profile does not speak of are kept; other arrays: `replace`;
 * - extension schemas (`urn:...:User` objects): one `replace` per changed attribute with the full
 *   URN path (`urn:...:enterprise:2.0:User:department`), RFC 7644 3.10.
 * Absent or null desired values are "no opinion": the diff never removes an attribute.
 * `replace` of a missing attribute is an add (RFC 7644 3.5.2.3).
 */
export function diffUser(current: AppObject, desired: AppObject, maxValues: MaxValues = {}): PatchOp[] {
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
      const typed = typedEntries(want);
      const entryOps = typed && diffTyped(key, have, typed, maxValues[key]);
      ops.push(...(entryOps ?? [replaceOp(key, want)]));
    }
  }
  return ops;
}

/** Typed entries laid over the app's: same type merged, new types appended, one primary. */
function mergeTyped(have: unknown, want: readonly AppObject[], max?: number): unknown {
  if (!Array.isArray(have) || !have.every(isObj)) return want;
  const out: AppObject[] = [...have];
  for (const entry of want) {
    const target = sameType(out, entry)[0];
    const defined = Object.fromEntries(Object.entries(entry).filter(([, v]) => !absent(v)));
    if (target) out[out.indexOf(target)] = { ...target, ...defined };
    else out.push(entry);
  }
  if (max !== undefined && out.length > max) return want;
  if (!want.some((e) => e.primary === true)) return out;
  const wanted = new Set(want.map(typeOf));
  return out.map((e) => (e.primary === true && !wanted.has(typeOf(e)) ? { ...e, primary: false } : e));
}

/**
 * `desired` laid over `current` for a read-modify-write PUT: objects and extension schemas merge
 * key by key, typed multi-valued attributes entry by entry (mergeTyped), other arrays and scalars
 * are replaced, absent/null desired values keep what is there.
 */
export function mergeUser(current: AppObject, desired: AppObject, maxValues: MaxValues = {}): AppObject {
  const wanted = Object.fromEntries(Object.entries(desired).filter(([k]) => !SERVER_OWNED.has(k)));
  const merged = mergeDeep(current, wanted);
  for (const [key, want] of Object.entries(wanted)) {
    const typed = typedEntries(want);
    if (typed) merged[key] = mergeTyped(current[key], typed, maxValues[key]);
  }
  return merged;
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

/**
 * The names of the attributes a PATCH changes (never values), for the audit: each operation's path
 * without its value filter, or its value's keys when it has no path (extensions as `urn:...:attr`).
 */
export function patchFieldNames(ops: readonly PatchOp[]): string[] {
  const names = new Set<string>();
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const op of ops) {
    if (typeof op.path === 'string' && op.path) {
      names.add(op.path.replace(/\[.*$/, ''));
      continue;
    }
    if (!isObj(op.value)) continue;
    for (const [k, v] of Object.entries(op.value)) {
      if (k === 'schemas' || k === 'id' || k === 'meta') continue;
      if (k.toLowerCase().startsWith('urn:') && isObj(v))
        for (const sub of Object.keys(v)) names.add(`${k}:${sub}`);
      else names.add(k);
    }
  }
  return [...names];
}
