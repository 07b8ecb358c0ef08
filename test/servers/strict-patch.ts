// RFC 7644 section 3.5.2 PATCH, applied to a User exactly as the RFC words it, for the strict test
// app (trust-scim.ts). What a lenient server forgives, this one does not:
// - `add` to a multi-valued attribute appends (3.5.2.1);
// - `replace` of a multi-valued attribute without a filter replaces all its values (3.5.2.3);
// - a value filter (`emails[type eq "work"]`, `.value` after it) targets the matching values only,
//   and a `replace` or `remove` whose filter matches nothing is 400 `noTarget` (3.5.2.3, 3.5.2.2);
// - a value made `primary` makes every other value of the attribute non-primary (3.5.2).
// Attribute names are case-insensitive (RFC 7643 2.1); filter strings compare case-insensitively.
import { isRecord } from './scim-support.js';

type Json = Record<string, unknown>;
type Literal = string | number | boolean;

export class PatchError extends Error {
  constructor(
    readonly scimType: 'noTarget' | 'invalidPath' | 'invalidValue',
    message: string,
  ) {
    super(message);
  }
}

const MULTI = new Set(['emails', 'phonenumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles']);

interface Path {
  /** Extension schema URN holding the attribute, if any. */
  ext?: string;
  attr: string;
  filter?: { attr: string; value: Literal }[];
  sub?: string;
}

const NAME = '[A-Za-z$][\\w$-]*';
const PATH = new RegExp(`^(${NAME})(?:\\[(.+)\\])?(?:\\.(${NAME}))?$`);
const CLAUSE = new RegExp(
  `^\\s*(${NAME})\\s+eq\\s+("(?:[^"\\\\]|\\\\.)*"|true|false|-?\\d+(?:\\.\\d+)?)\\s*`,
  'i',
);

function parseFilter(text: string, path: string): NonNullable<Path['filter']> {
  const out: NonNullable<Path['filter']> = [];
  let rest = text;
  for (;;) {
    const m = CLAUSE.exec(rest);
    if (!m) throw new PatchError('invalidPath', `Unsupported filter in path ${path}`);
    out.push({ attr: m[1] as string, value: JSON.parse(m[2] as string) as Literal });
    rest = rest.slice(m[0].length);
    if (rest === '') return out;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw new PatchError('invalidPath', `Unsupported filter in path ${path}`);
    rest = rest.slice(and[0].length);
  }
}

function parsePath(path: string): Path {
  let ext: string | undefined;
  let rest = path.trim();
  if (rest.toLowerCase().startsWith('urn:')) {
    const cut = rest.lastIndexOf(':');
    ext = rest.slice(0, cut);
    rest = rest.slice(cut + 1);
  }
  const m = PATH.exec(rest);
  if (!m) throw new PatchError('invalidPath', `Invalid path ${path}`);
  const parsed: Path = { attr: m[1] as string };
  if (ext !== undefined) parsed.ext = ext;
  if (m[2] !== undefined) parsed.filter = parseFilter(m[2], path);
  if (m[3] !== undefined) parsed.sub = m[3];
  return parsed;
}

/** The existing key spelled any way (attribute names are case-insensitive), else `name`. */
function keyOf(obj: Json, name: string): string {
  return Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function same(a: unknown, b: Literal): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function matches(entry: unknown, filter: NonNullable<Path['filter']>): entry is Json {
  return isRecord(entry) && filter.every((c) => same(entry[keyOf(entry, c.attr)], c.value));
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** RFC 7644 3.5.2: "primary" true on the touched values means false on every other one. */
function onePrimary(list: unknown, touched: readonly unknown[]): void {
  if (!Array.isArray(list) || !touched.some((t) => isRecord(t) && t[keyOf(t, 'primary')] === true)) return;
  for (const e of list)
    if (isRecord(e) && !touched.includes(e) && e[keyOf(e, 'primary')] === true) e.primary = false;
}

function applyFiltered(
  kind: string,
  parent: Json,
  name: string,
  p: Path,
  value: unknown,
  path: string,
): void {
  const current = parent[name];
  const hits = Array.isArray(current) ? current.filter((e) => matches(e, p.filter ?? [])) : [];
  if (hits.length === 0) throw new PatchError('noTarget', `No value matches the filter in path ${path}`);
  const list = current as unknown[];
  if (kind === 'remove') {
    if (p.sub) for (const h of hits) delete h[keyOf(h, p.sub)];
    else parent[name] = list.filter((e) => !hits.includes(e as Json));
    return;
  }
  if (p.sub) {
    for (const h of hits) h[keyOf(h, p.sub)] = value;
    onePrimary(list, hits);
    return;
  }
  if (!isRecord(value)) throw new PatchError('invalidValue', `Path ${path} needs an object value`);
  const replaced = hits.map((h) => (kind === 'add' ? { ...h, ...value } : { ...value }));
  parent[name] = list.map((e) => (hits.includes(e as Json) ? replaced[hits.indexOf(e as Json)] : e));
  onePrimary(parent[name], replaced);
}

function applyPath(user: Json, kind: string, path: string, value: unknown): void {
  const p = parsePath(path);
  let parent = user;
  if (p.ext !== undefined) {
    const key = keyOf(user, p.ext);
    if (!isRecord(user[key])) user[key] = {};
    parent = user[key] as Json;
  }
  const name = keyOf(parent, p.attr);
  if (p.filter) {
    applyFiltered(kind, parent, name, p, value, path);
    return;
  }
  const current = parent[name];
  if (p.sub) {
    if (kind === 'remove') {
      if (isRecord(current)) delete current[keyOf(current, p.sub)];
      return;
    }
    const obj = isRecord(current) ? current : {};
    obj[keyOf(obj, p.sub)] = value;
    parent[name] = obj;
    return;
  }
  if (kind === 'remove') {
    delete parent[name];
    return;
  }
  const multi = Array.isArray(current) || MULTI.has(name.toLowerCase());
  if (multi) {
    const values = asList(value);
    parent[name] = kind === 'add' ? [...(Array.isArray(current) ? current : []), ...values] : values;
    onePrimary(parent[name], values);
  } else if (isRecord(current) && isRecord(value)) {
    // A complex attribute: the sub-attributes given replace theirs, the others stay (3.5.2.3).
    parent[name] = { ...current, ...value };
  } else {
    parent[name] = value;
  }
}

/** The user after `operations`, or a PatchError (the server answers 400 with its scimType). */
export function applyPatch(user: Json, operations: unknown): Json {
  const out = JSON.parse(JSON.stringify(user)) as Json;
  if (!Array.isArray(operations)) throw new PatchError('invalidValue', 'Operations must be an array');
  for (const op of operations) {
    if (!isRecord(op)) throw new PatchError('invalidValue', 'An operation must be an object');
    const kind = String(op.op).toLowerCase();
    if (!['add', 'remove', 'replace'].includes(kind)) throw new PatchError('invalidValue', `Bad op ${op.op}`);
    if (typeof op.path === 'string') {
      applyPath(out, kind, op.path, op.value);
      continue;
    }
    if (kind === 'remove') throw new PatchError('noTarget', 'remove needs a path');
    if (!isRecord(op.value)) throw new PatchError('invalidValue', 'An op without path needs an object value');
    for (const [key, v] of Object.entries(op.value)) {
      if (key.toLowerCase().startsWith('urn:') && isRecord(v)) {
        for (const [sub, sv] of Object.entries(v)) applyPath(out, kind, `${key}:${sub}`, sv);
      } else applyPath(out, kind, key, v);
    }
  }
  return out;
}
