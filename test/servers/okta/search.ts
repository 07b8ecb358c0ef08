// The `search` parameter of List users / List groups: SCIM filter syntax (RFC 7644 3.4.2.2) as
// the Users API describes it, here the one form clients send to find one object:
// `<attribute> eq "<string>"`, where a `\` or `"` inside the string is escaped with `\`.
// `and`/`or` of such terms are read too. Strings compare case-insensitively, as Okta's do.
// Anything else is Okta's E0000031 "Invalid search criteria.".
import { invalidSearch, type Json } from './errors.js';

type Term = { attr: string; value: string };
export type Search = { op: 'and' | 'or'; terms: Term[] };

export function parseSearch(expr: string): Search {
  const terms: Term[] = [];
  let op: 'and' | 'or' | undefined;
  let i = 0;
  const skip = () => {
    while (expr[i] === ' ') i++;
  };
  for (;;) {
    skip();
    const attr = /^[A-Za-z][\w.]*/.exec(expr.slice(i))?.[0];
    if (!attr) throw invalidSearch();
    i += attr.length;
    skip();
    if (expr.slice(i, i + 2).toLowerCase() !== 'eq') throw invalidSearch();
    i += 2;
    skip();
    if (expr[i] !== '"') throw invalidSearch();
    i++;
    let value = '';
    for (;;) {
      const c = expr[i++];
      if (c === undefined) throw invalidSearch();
      if (c === '"') break;
      if (c === '\\') {
        const next = expr[i++];
        if (next === undefined) throw invalidSearch();
        value += next;
      } else value += c;
    }
    terms.push({ attr, value });
    skip();
    if (i >= expr.length) return { op: op ?? 'and', terms };
    const word = /^(and|or)\s/i.exec(expr.slice(i))?.[1]?.toLowerCase() as 'and' | 'or' | undefined;
    if (!word || (op && op !== word)) throw invalidSearch();
    op = word;
    i += word.length;
  }
}

function valueAt(obj: Json, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Json)[k] : undefined;
  return v;
}

export function matches(obj: Json, s: Search): boolean {
  const test = (t: Term) => {
    const v = valueAt(obj, t.attr);
    return typeof v === 'string' && v.toLowerCase() === t.value.toLowerCase();
  };
  return s.op === 'and' ? s.terms.every(test) : s.terms.some(test);
}
