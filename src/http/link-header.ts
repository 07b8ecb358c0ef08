// RFC 8288 Link header parsing (no library for it is installed). A header holds comma-separated
// link-values `<URI-Reference>; param=value; param="quoted, value"`; commas and semicolons may
// appear inside the <...> and inside quoted strings, so the value is scanned, not split. Param
// names are case-insensitive and only the first `rel` counts (RFC 8288 3.3); a rel may list
// several relation types (`rel="next last"`), compared case-insensitively. A malformed link-value
// is skipped, never guessed at.

export interface Link {
  /** The URI reference as written (resolve it against the request URL). */
  href: string;
  /** Relation types, lower case. */
  rels: string[];
  /** Parameters by lower-case name (first occurrence wins). */
  params: Record<string, string>;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  /** The current character (a method: TypeScript would narrow a property across moves). */
  c(): string | undefined {
    return this.s[this.i];
  }
  skipSpace(): void {
    while (isSpace(this.c())) this.i++;
  }
  /** Moves past the next comma outside <...> and quotes (or to the end). */
  skipValue(): void {
    let quoted = false;
    let angle = false;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (quoted && c === '\\') this.i++;
      else if (c === '"' && !angle) quoted = !quoted;
      else if (!quoted && c === '<') angle = true;
      else if (!quoted && c === '>') angle = false;
      else if (c === ',' && !quoted && !angle) {
        this.i++;
        return;
      }
    }
  }
  /** Characters up to (not including) one of `stops`, or the end. */
  until(stops: string): string {
    const start = this.i;
    while (this.i < this.s.length && !stops.includes(this.s[this.i] as string)) this.i++;
    return this.s.slice(start, this.i);
  }
  /** A quoted-string (the scanner is on its opening quote), unescaped; undefined if unterminated. */
  quoted(): string | undefined {
    let out = '';
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i] as string;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') this.i++;
      out += this.s[this.i] ?? '';
    }
    return undefined;
  }
}

/** One link-value at the scanner's position, or undefined when it is malformed. */
function linkValue(sc: Scanner): Link | undefined {
  if (sc.c() !== '<') return undefined;
  sc.i++;
  const href = sc.until('>').trim();
  if (sc.c() !== '>') return undefined;
  sc.i++;
  const params: Record<string, string> = {};
  for (;;) {
    sc.skipSpace();
    if (sc.c() === undefined || sc.c() === ',') break;
    if (sc.c() !== ';') return undefined;
    sc.i++;
    sc.skipSpace();
    const name = sc.until('=;, \t').toLowerCase();
    sc.skipSpace();
    let value = '';
    if (sc.c() === '=') {
      sc.i++;
      sc.skipSpace();
      const v = sc.c() === '"' ? sc.quoted() : sc.until(';, \t');
      if (v === undefined) return undefined;
      value = v;
    }
    if (name && params[name] === undefined) params[name] = value;
  }
  const rels = (params.rel ?? '')
    .toLowerCase()
    .split(/[ \t]+/)
    .filter(Boolean);
  return { href, rels, params };
}

/** Every well-formed link in a Link header value (several headers joined with ", " are fine). */
export function parseLinkHeader(value: string | undefined): Link[] {
  if (!value) return [];
  const sc = new Scanner(value);
  const out: Link[] = [];
  while (sc.i < value.length) {
    sc.skipSpace();
    if (sc.c() === ',') {
      sc.i++;
      continue;
    }
    if (sc.c() === undefined) break;
    const start = sc.i;
    const link = linkValue(sc);
    if (link) out.push(link);
    else sc.i = start;
    // Past this link-value's comma (or the rest of a malformed one).
    sc.skipValue();
  }
  return out;
}

/** The href of the first link with relation `rel` (e.g. `next`), if any. */
export function linkWithRel(value: string | undefined, rel: string): string | undefined {
  const want = rel.toLowerCase();
  return parseLinkHeader(value).find((l) => l.rels.includes(want))?.href;
}
