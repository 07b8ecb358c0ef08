// PATCH (RFC 7644 3.5.2) applied to a resource object, before anything is sent: the routes read the
// result and run the commands that reach it. Accepts the variations identity providers send: `op`
// in any case ("Replace"), attribute names in any case, no `path` with a map of attributes (whose
// keys may be paths, `name.givenName` or `urn:...:User:department`), a value filter on a path that
// matches nothing on add/replace (the entry is created from the filter's `eq` terms).
import type { Filter } from 'scim2-parse-filter';
import { badRequest } from './errors.js';
import { matches, parseFilter } from './filter.js';
import { canonicalKeys, canonicalName, SCHEMAS } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

interface Target {
  /** The object holding the attribute (the resource, or its extension object). */
  container: string[];
  attr: string;
  filter?: Filter;
  sub?: string;
}

/** Reads a PatchOp body: its operations, checked, with `op` lowercased. */
export function readPatch(body: unknown): PatchOperation[] {
  if (!isObj(body)) throw badRequest('body: expected a PatchOp JSON object', 'invalidSyntax');
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const ops = key === undefined ? undefined : body[key];
  if (!Array.isArray(ops) || ops.length === 0)
    throw badRequest('Operations: expected a non-empty array of operations', 'invalidSyntax');
  return ops.map((raw, i) => {
    const o = isObj(raw) ? (canonicalKeys(raw) as Obj) : {};
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw badRequest(`Operations[${i}].op: expected add, replace or remove`, 'invalidSyntax');
    if (o.path !== undefined && (typeof o.path !== 'string' || o.path.trim() === ''))
      throw badRequest(`Operations[${i}].path: expected an attribute path`, 'invalidPath');
    if (op === 'remove' && o.path === undefined)
      throw badRequest(`Operations[${i}]: remove needs a path`, 'noTarget');
    if (op !== 'remove' && o.value === undefined)
      throw badRequest(`Operations[${i}].value: required for ${op}`, 'invalidValue');
    return { op, ...(typeof o.path === 'string' ? { path: o.path.trim() } : {}), value: o.value };
  });
}

/** `emails[type eq "work"].value`, `name.givenName`, `urn:...:User:manager.value` as a target. */
export function parsePath(path: string): Target {
  let rest = path;
  const container: string[] = [];
  const ext = SCHEMAS.enterprise;
  if (rest.toLowerCase().startsWith(`${ext.toLowerCase()}:`)) {
    container.push(ext);
    rest = rest.slice(ext.length + 1);
  } else if (rest.toLowerCase().startsWith(`${SCHEMAS.user.toLowerCase()}:`)) {
    rest = rest.slice(SCHEMAS.user.length + 1);
  }
  const m = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!m?.[1]) throw badRequest(`path: not an attribute path: ${path.slice(0, 100)}`, 'invalidPath');
  if (!m[2] && m[3]) {
    // `name.givenName`: a sub-attribute of a single complex attribute.
    return { container: [...container, canonicalName(m[1])], attr: canonicalName(m[3]) };
  }
  return {
    container,
    attr: canonicalName(m[1]),
    ...(m[2] ? { filter: parseFilter(m[2]) } : {}),
    ...(m[3] ? { sub: canonicalName(m[3]) } : {}),
  };
}

function holder(resource: Obj, container: string[], create: boolean): Obj | undefined {
  let at = resource;
  for (const key of container) {
    if (!isObj(at[key])) {
      if (!create) return undefined;
      at[key] = {};
    }
    at = at[key] as Obj;
  }
  return at;
}

/** The `attr eq "v"` terms of a filter, to create the entry a filtered add/replace names. */
function eqTerms(filter: Filter): Obj | undefined {
  if (filter.op === 'eq') return { [canonicalName(filter.attrPath)]: filter.compValue };
  if (filter.op !== 'and') return undefined;
  const parts = filter.filters.map(eqTerms);
  return parts.every(isObj) ? Object.assign({}, ...parts) : undefined;
}

const sameValue = (a: unknown, b: unknown) =>
  isObj(a) && isObj(b) && a.value !== undefined && String(a.value) === String(b.value);

function setValue(into: Obj, attr: string, op: 'add' | 'replace', value: unknown): void {
  const current = into[attr];
  if (op === 'add' && Array.isArray(current)) {
    const more = Array.isArray(value) ? value : [value];
    into[attr] = [...current.filter((c) => !more.some((m) => sameValue(c, m))), ...more];
  } else if (isObj(current) && isObj(value)) into[attr] = { ...current, ...value };
  else into[attr] = value;
}

function applyFiltered(
  at: Obj,
  t: Target & { filter: Filter },
  op: PatchOperation['op'],
  value: unknown,
): void {
  const list = Array.isArray(at[t.attr]) ? (at[t.attr] as unknown[]) : [];
  const hit = (e: unknown) => isObj(e) && matches(e, t.filter);
  if (op === 'remove') {
    if (t.sub) for (const e of list) if (hit(e)) delete (e as Obj)[t.sub];
    if (!t.sub) at[t.attr] = list.filter((e) => !hit(e));
    return;
  }
  if (!list.some(hit)) {
    const seed = eqTerms(t.filter);
    if (!seed) throw badRequest(`path: no ${t.attr} entry matches the filter`, 'noTarget');
    list.push(seed);
    at[t.attr] = list;
  }
  for (const e of list) {
    if (!hit(e)) continue;
    if (t.sub) (e as Obj)[t.sub] = value;
    else if (isObj(value)) Object.assign(e as Obj, value);
  }
}

/** Applies the operations, in order, to a copy of the resource; the copy is returned. */
export function applyPatch(resource: Obj, ops: readonly PatchOperation[]): Obj {
  const out = structuredClone(resource);
  for (const { op, path, value: raw } of ops) {
    const value = canonicalKeys(raw);
    if (path === undefined) {
      if (!isObj(value)) throw badRequest('value: without a path, expected an object of attributes');
      for (const [key, v] of Object.entries(value)) {
        if (key === SCHEMAS.enterprise && isObj(v)) {
          for (const [k, w] of Object.entries(v)) applyOne(out, op, `${key}:${k}`, w);
        } else applyOne(out, op, key, v);
      }
      continue;
    }
    applyOne(out, op, path, value);
  }
  return out;
}

function applyOne(out: Obj, op: PatchOperation['op'], path: string, value: unknown): void {
  const t = parsePath(path);
  const at = holder(out, t.container, op !== 'remove');
  if (!at) return;
  if (t.filter) {
    applyFiltered(at, { ...t, filter: t.filter }, op, value);
    return;
  }
  if (op === 'remove') {
    if (Array.isArray(at[t.attr]) && value !== undefined) {
      const gone = Array.isArray(value) ? value : [value];
      at[t.attr] = (at[t.attr] as unknown[]).filter((e) => !gone.some((g) => sameValue(e, g)));
    } else delete at[t.attr];
    return;
  }
  if (t.sub) {
    const list = Array.isArray(at[t.attr]) ? (at[t.attr] as unknown[]) : undefined;
    if (list) for (const e of list) if (isObj(e)) e[t.sub] = value;
    return;
  }
  setValue(at, t.attr, op, value);
}
