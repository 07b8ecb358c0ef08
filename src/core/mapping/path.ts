// Parses the app-side path of a mapping rule, a subset of SCIM attribute-path syntax (RFC 7644 3.10):
//   userName | name.givenName | emails[type eq "work"].value | urn:...:enterprise:2.0:User:department
// A `[attr eq "value"]` selector picks (or creates) one entry of a multi-valued attribute.
import { ConfigError } from '../errors.js';

export interface PathSegment {
  name: string;
  /** Only on multi-valued segments: the entry whose `attr` equals `value`. */
  select?: { attr: string; value: string | boolean | number };
}

const NAME = /^[A-Za-z_$][\w$-]*$/;
const SELECT =
  /^([A-Za-z_$][\w$-]*)\[\s*([A-Za-z_$][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|-?\d+(?:\.\d+)?)\s*\]$/;

/** Names that would reach Object.prototype when the engine writes `node[name]`: never attributes. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function parseSegment(raw: string, path: string): PathSegment {
  const reserved = (n: string) => {
    if (RESERVED.has(n)) throw new ConfigError(`mapping path "${path}": "${n}" is not an attribute name`);
  };
  if (NAME.test(raw)) {
    reserved(raw);
    return { name: raw };
  }
  const m = SELECT.exec(raw);
  if (!m) throw new ConfigError(`mapping path "${path}": cannot read "${raw}"`);
  const [, name, attr, literal] = m as unknown as [string, string, string, string];
  reserved(name);
  reserved(attr);
  const value: string | boolean | number = JSON.parse(literal);
  return { name, select: { attr, value } };
}

/** Splits a dotted path, keeping `[...]` selectors (which may contain dots inside quotes) intact. */
function splitDots(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && inQuote) {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    if (c === '.' && !inQuote) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function parsePath(path: string): PathSegment[] {
  const p = path.trim();
  if (p.toLowerCase().startsWith('urn:')) {
    // Extension attributes: the schema URN is one segment; what follows its last ':' is the attribute path.
    const cut = p.lastIndexOf(':');
    const urn = p.slice(0, cut);
    const rest = p.slice(cut + 1);
    if (!rest) throw new ConfigError(`mapping path "${path}": no attribute after the schema URN`);
    return [{ name: urn }, ...splitDots(rest).map((s) => parseSegment(s, path))];
  }
  if (!p) throw new ConfigError('mapping path is empty');
  return splitDots(p).map((s) => parseSegment(s, path));
}

/** The top-level attribute a path writes to (`emails` for `emails[type eq "work"].value`). */
export function rootOf(path: string): string {
  return parsePath(path)[0]?.name ?? path;
}
