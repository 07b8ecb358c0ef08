// List filters (RFC 7644 3.4.2.2): parsed by scim2-parse-filter, evaluated against SCIM resources by
// its Tester with SCIM's comparison rules: attribute names and (caseExact false) string values
// compare without case, dates compare as instants, `ne` is true when the attribute is absent.
// Lenient on one point, said in the README: a bare word where a value belongs (`userName sw O`,
// `meta.created gt 2015-10-10T14:38:21Z`, as Microsoft's validator sends) is read as a string.
import { type Filter, parse, Tester } from 'scim2-parse-filter';
import { badRequest } from './errors.js';

const COMPARE = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
const LITERAL = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/;
/** Longest filter accepted: a filter is a lookup, not a document. */
const MAX_FILTER = 4096;

/** Quotes a bare word after a comparison operator; quoted strings are copied as they are. */
export function quoteBareValues(text: string): string {
  const out: string[] = [];
  let previous = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      previous = '"';
      i = j + 1;
      continue;
    }
    if (/[\s()[\]]/.test(c)) {
      out.push(c);
      if (!/\s/.test(c)) previous = c;
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()[\]"]/.test(text.charAt(j))) j++;
    const word = text.slice(i, j);
    const bare = COMPARE.has(previous.toLowerCase()) && !LITERAL.test(word);
    out.push(bare ? JSON.stringify(word) : word);
    previous = word;
    i = j;
  }
  return out.join('');
}

/** End (exclusive) of the quoted string starting at `i`, backslash escapes skipped. */
function quotedEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
  return Math.min(j + 1, text.length);
}

/**
 * `emails[type eq "work"].value eq "x"` (a value path with a sub-attribute, as Entra ID and
 * Microsoft's validator send) as `emails[(type eq "work") and value eq "x"]`: the same entry must
 * satisfy both, where the parser would otherwise test any work email and any email with that value.
 */
export function foldSubAttributes(text: string): string {
  let out = text;
  for (let guard = 0; guard < 32; guard++) {
    const next = foldOne(out);
    if (next === undefined) return out;
    out = next;
  }
  return out;
}

/** The first `[..].sub op value` folded into its brackets, or undefined when there is none. */
function foldOne(text: string): string | undefined {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"') {
      i = quotedEnd(text, i) - 1;
    } else if (c === '[') {
      open = i;
    } else if (c === ']' && open >= 0) {
      const tail = /^\.([A-Za-z][\w$-]*)\s+([A-Za-z]+)/.exec(text.slice(i + 1));
      const op = tail?.[2]?.toLowerCase();
      if (!tail || !op || !(COMPARE.has(op) || op === 'pr')) {
        open = -1;
        continue;
      }
      let end = i + 1 + tail[0].length;
      if (op !== 'pr') {
        const gap = /^\s+/.exec(text.slice(end))?.[0].length ?? 0;
        const start = end + gap;
        end =
          text.charAt(start) === '"'
            ? quotedEnd(text, start)
            : start + (/^[^\s()[\]]*/.exec(text.slice(start))?.[0].length ?? 0);
      }
      const condition = `${tail[1]} ${text.slice(i + 1 + tail[0].length - (tail[2]?.length ?? 0), end)}`;
      return `${text.slice(0, open + 1)}(${text.slice(open + 1, i)}) and ${condition}]${text.slice(end)}`;
    }
  }
  return undefined;
}

/**
 * What is wrong with a node of the parser's tree, or undefined. The parser can hand back a node
 * without its operands (`not (a pr)not (b pr)` gives a `not` with no filter); matching it would throw.
 */
function malformed(node: unknown): string | undefined {
  const n = node as Partial<Record<string, unknown>> | undefined;
  if (typeof n !== 'object' || n === null || typeof n.op !== 'string') return 'an expression is missing';
  if (n.op === 'not') return malformed(n.filter);
  if (n.op === 'and' || n.op === 'or') {
    const parts = n.filters;
    if (!Array.isArray(parts) || parts.length < 2) return `"${n.op}" needs an expression on each side`;
    for (const part of parts) {
      const why = malformed(part);
      if (why) return why;
    }
    return undefined;
  }
  if (typeof n.attrPath !== 'string') return 'an attribute path is missing';
  if (n.op === '[]') return malformed(n.valFilter);
  return undefined;
}

/** The filter's syntax tree, or a 400 `invalidFilter` naming what was wrong. */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER)
    throw badRequest(`filter: longer than ${MAX_FILTER} characters`, 'invalidFilter');
  let tree: Filter;
  try {
    tree = parse(foldSubAttributes(quoteBareValues(text)));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw badRequest(`filter: not a SCIM filter (RFC 7644 3.4.2.2): ${why.slice(0, 200)}`, 'invalidFilter');
  }
  const why = malformed(tree);
  if (why) {
    const hint = `${why} (two expressions need "and" or "or" between them)`;
    throw badRequest(`filter: not a SCIM filter (RFC 7644 3.4.2.2): ${hint}`, 'invalidFilter');
  }
  return tree;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Both sides as comparable values: instants for two dates, lowercase for strings, else as they are. */
function operands(r: unknown, v: unknown): [unknown, unknown] {
  if (typeof r === 'string' && typeof v === 'string') {
    if (ISO_DATE.test(r) && ISO_DATE.test(v)) {
      const a = Date.parse(r);
      const b = Date.parse(v);
      if (!Number.isNaN(a) && !Number.isNaN(b)) return [a, b];
    }
    return [r.toLowerCase(), v.toLowerCase()];
  }
  return [r, v];
}

/** SCIM's comparison rules on top of the library's walk over attribute paths. */
class ScimTester extends Tester {
  override eq(r: unknown, v: unknown): boolean {
    const [a, b] = operands(r, v);
    return a === b;
  }
  override ne(r: unknown, v: unknown): boolean {
    return !this.eq(r, v);
  }
  override co(r: unknown, v: unknown): boolean {
    const [a, b] = operands(r, v);
    return typeof a === 'string' && typeof b === 'string' && a.includes(b);
  }
  override sw(r: unknown, v: unknown): boolean {
    const [a, b] = operands(r, v);
    return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
  }
  override ew(r: unknown, v: unknown): boolean {
    const [a, b] = operands(r, v);
    return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
  }
  #order(r: unknown, v: unknown, test: (a: number | string, b: number | string) => boolean): boolean {
    const [a, b] = operands(r, v);
    const ok = (x: unknown) => typeof x === 'number' || typeof x === 'string';
    return ok(a) && typeof a === typeof b && test(a as number | string, b as number | string);
  }
  override gt(r: unknown, v: unknown): boolean {
    return this.#order(r, v, (a, b) => a > b);
  }
  override ge(r: unknown, v: unknown): boolean {
    return this.#order(r, v, (a, b) => a >= b);
  }
  override lt(r: unknown, v: unknown): boolean {
    return this.#order(r, v, (a, b) => a < b);
  }
  override le(r: unknown, v: unknown): boolean {
    return this.#order(r, v, (a, b) => a <= b);
  }
}

const tester = new ScimTester();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values at an attribute path (`emails`, `name.givenName`, `urn:...:User:manager`), any case. */
function valuesAt(resource: Obj, attrPath: string): unknown[] {
  const colon = attrPath.lastIndexOf(':');
  const steps =
    colon === -1 ? attrPath.split('.') : [attrPath.slice(0, colon), ...attrPath.slice(colon + 1).split('.')];
  let here: unknown[] = [resource];
  for (const step of steps) {
    const name = step.toLowerCase();
    here = here.flatMap((v) => {
      if (!isObj(v)) return [];
      const key = Object.keys(v).find((k) => k.toLowerCase() === name);
      const found = key === undefined ? undefined : v[key];
      return found === undefined ? [] : Array.isArray(found) ? found : [found];
    });
  }
  return here;
}

/** Whether a resource matches; `ne` on an absent attribute matches (nothing equals the value). */
export function matches(resource: Record<string, unknown>, filter: Filter): boolean {
  // A value path: one entry must satisfy the whole inner filter (the library tests each condition
  // against any entry, so `emails[type eq "work" and value eq "x"]` matched a home email "x").
  if (filter.op === '[]')
    return valuesAt(resource, filter.attrPath).some((v) => isObj(v) && matches(v, filter.valFilter));
  if (filter.op === 'ne') return !tester.test(resource, { ...filter, op: 'eq' });
  if (filter.op === 'not') return !matches(resource, filter.filter);
  if (filter.op === 'and') return filter.filters.every((f) => matches(resource, f));
  if (filter.op === 'or') return filter.filters.some((f) => matches(resource, f));
  return tester.test(resource, filter);
}

/** `<attr> eq "<string>"` at the top of a filter: the value a lookup can use, or undefined. */
export function equalityOn(filter: Filter, attribute: string): string | undefined {
  if (filter.op !== 'eq' || filter.attrPath.toLowerCase() !== attribute.toLowerCase()) return undefined;
  return typeof filter.compValue === 'string' ? filter.compValue : undefined;
}
