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

/** The filter's syntax tree, or a 400 `invalidFilter` naming what was wrong. */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER)
    throw badRequest(`filter: longer than ${MAX_FILTER} characters`, 'invalidFilter');
  try {
    return parse(quoteBareValues(text));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw badRequest(`filter: not a SCIM filter (RFC 7644 3.4.2.2): ${why.slice(0, 200)}`, 'invalidFilter');
  }
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

/** Whether a resource matches; `ne` on an absent attribute matches (nothing equals the value). */
export function matches(resource: Record<string, unknown>, filter: Filter): boolean {
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
