// RFC 4514 (DN string) and RFC 4515 (filter string) escaping. Lookups never build filter strings:
// they send ldapts Filter objects (EqualityFilter...), whose values go on the wire as BER octets, so
// no value is ever parsed as filter syntax. `escapeFilterValue` is for the rare place that shows or
// takes a filter as text. DNs are strings on the wire, so every RDN value is escaped here.

/** RFC 4514 2.4: escapes one attribute value for use in a DN string. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') out += '\\5C';
    else if (c === '\0') out += '\\00';
    else if ('"+,;<>='.includes(c)) out += `\\${c}`;
    else if (i === 0 && (c === ' ' || c === '#')) out += `\\${c}`;
    else if (i === value.length - 1 && c === ' ') out += '\\ ';
    else out += c;
  }
  return out;
}

/** `attr=value` with the value escaped (RFC 4514). */
export const rdn = (attribute: string, value: string): string => `${attribute}=${escapeDnValue(value)}`;

/** RFC 4515 3: escapes `*`, `(`, `)`, `\` and NUL of a value written into a filter string. */
export function escapeFilterValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return [...value].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return value.replace(/[*()\\\0]/g, (c) => `\\${(c.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`);
}

/**
 * Splits a DN string into its RDN strings (escapes kept), at the commas that are not escaped.
 * `uid=a\,b,ou=people,dc=x` -> [`uid=a\,b`, `ou=people`, `dc=x`].
 */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i] as string;
    if (c === '\\' && i + 1 < dn.length) {
      cur += c + dn[i + 1];
      i += 1;
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

/** The index of the first comma of `dn` that is not escaped, or -1. */
function firstComma(dn: string): number {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i += 1;
    else if (dn[i] === ',') return i;
  }
  return -1;
}

/** The parent of a DN (`ou=people,dc=x` for `uid=a,ou=people,dc=x`), as written. */
export function parentDn(dn: string): string {
  const i = firstComma(dn);
  return i < 0 ? '' : dn.slice(i + 1).trim();
}

/** The first RDN of a DN (`uid=a` for `uid=a,ou=people,dc=x`), as written. */
export function firstRdn(dn: string): string {
  const i = firstComma(dn);
  return (i < 0 ? dn : dn.slice(0, i)).trim();
}

/** Undoes RFC 4514 escapes in one RDN value (`\,` and `\2C` both give `,`; UTF-8 hex pairs decode). */
export function unescapeDnValue(value: string): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '\\' && i + 1 < value.length) {
      bytes.push(...enc.encode(value[i + 1]));
      i += 1;
    } else {
      const cp = value.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A DN in a form to compare two DNs by (attribute names and values lowered, escapes undone). */
export function normalizeDn(dn: string): string {
  return splitDn(dn)
    .map((r) => {
      const eq = r.indexOf('=');
      return `${r.slice(0, eq).trim().toLowerCase()}=${unescapeDnValue(r.slice(eq + 1)).toLowerCase()}`;
    })
    .join(',');
}

/** One single-valued RDN (`uid=a\\,b`, as any server wrote it) escaped again our way (RFC 4514, `\\5C`). */
export function reescapeRdn(r: string): string {
  const eq = r.indexOf('=');
  return rdn(r.slice(0, eq).trim(), unescapeDnValue(r.slice(eq + 1)));
}
