// Every form a known secret may take in text, and the one scrubber that replaces them all. Forms are
// computed once per list of secrets (cached), then each text is searched in one pass of one regular
// expression: an alternation of the literal forms and of the base64 "cores" (below), whose whole
// base64 run is replaced.
//
// Base64 works in 3-byte groups, so a secret inside a longer encoded string (`Basic
// base64("user:" + token)`) is not base64(token): its encoding depends on its offset mod 3. For each
// offset 0, 1 and 2 the characters that depend on the secret's bytes alone (the core) are the same
// whatever surrounds it; a base64 run that contains one of the three cores is replaced whole.

/** Shorter secrets are not scrubbed by value: a 1-3 character secret would redact most text. */
export const MIN_SECRET = 4;

const REDACTED = '[REDACTED]';

const lowerEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** Literal forms: as is, JSON-escaped, percent-encoded (both cases, both URL encoders), hex (both cases). */
function literalForms(s: string, buf: Buffer): string[] {
  const uri = encodeURIComponent(s);
  const form = new URLSearchParams({ v: s }).toString().slice(2);
  const hex = buf.toString('hex');
  return [
    s,
    JSON.stringify(s).slice(1, -1),
    uri,
    lowerEscapes(uri),
    form,
    lowerEscapes(form),
    hex,
    hex.toUpperCase(),
  ];
}

/** The three aligned base64 cores of a secret (standard alphabet, then base64url). */
export function base64Cores(buf: Buffer): string[] {
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(offset), buf]);
    const b64 = padded.toString('base64').replace(/=+$/, '');
    // Leading characters that mix in the padding bytes, trailing one that mixes in what follows.
    const head = [0, 2, 3][offset] ?? 0;
    const tail = padded.length % 3 === 0 ? 0 : 1;
    const core = b64.slice(head, b64.length - tail);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * Every form of the known secrets, longest first: literal forms, then base64 cores (the base64 and
 * base64url encodings of the secret itself contain its offset-0 core).
 */
export function secretForms(known: readonly string[]): string[] {
  const { literal, cores } = formsOf(known);
  return [...literal, ...cores];
}

function formsOf(known: readonly string[]): { literal: string[]; cores: string[] } {
  const literal = new Set<string>();
  const cores = new Set<string>();
  for (const s of known) {
    if (s.length < MIN_SECRET) continue;
    const buf = Buffer.from(s, 'utf8');
    for (const f of literalForms(s, buf)) if (f.length >= MIN_SECRET) literal.add(f);
    for (const c of base64Cores(buf)) {
      if (c.length < MIN_SECRET) continue;
      cores.add(c);
      // Base64 inside a URL (`?auth=Basic%20dXNl…%2B…`): its + and / percent-encoded.
      if (/[+/]/.test(c)) literal.add(encodeURIComponent(c));
    }
  }
  const longestFirst = (a: string, b: string) => b.length - a.length;
  return { literal: [...literal].sort(longestFirst), cores: [...cores].sort(longestFirst) };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const anyCase = (c: string) => (/[a-f]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c);
/** A form as a pattern: `%2F` also matches `%2f` (and an encoder mixing cases). */
const pattern = (form: string) =>
  escapeRe(form).replace(
    /%([0-9A-Fa-f])([0-9A-Fa-f])/g,
    (_m, a: string, b: string) => `%${anyCase(a)}${anyCase(b)}`,
  );
const alternation = (forms: readonly string[]) => new RegExp(forms.map(pattern).join('|'), 'g');

/** Base64 and base64url alphabet (a run may mix them: we do not know which one the app used). */
function isBase64Char(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 45 ||
    c === 95
  );
}

/**
 * One pass of one regular expression over the text: a literal form is replaced; a base64 core is
 * replaced with the whole base64 run around it.
 */
function replaceForms(text: string, forms: RegExp, cores: ReadonlySet<string>): string {
  forms.lastIndex = 0;
  let m = forms.exec(text);
  if (m === null) return text;
  let out = '';
  let last = 0;
  for (; m !== null; m = forms.exec(text)) {
    let start = m.index;
    let end = start + m[0].length;
    if (cores.has(m[0])) {
      while (start > last && isBase64Char(text.charCodeAt(start - 1))) start -= 1;
      while (end < text.length && isBase64Char(text.charCodeAt(end))) end += 1;
      while (end < text.length && text.charCodeAt(end) === 61 /* = */) end += 1;
    }
    out += `${text.slice(last, start)}${REDACTED}`;
    last = end;
    forms.lastIndex = end;
  }
  return out + text.slice(last);
}

export type Scrub = (text: string) => string;

const identity: Scrub = (s) => s;

function compile(known: readonly string[]): Scrub {
  const { literal, cores } = formsOf(known);
  if (literal.length === 0 && cores.length === 0) return identity;
  // Longest first, so a form that contains another is replaced whole.
  const forms = alternation([...literal, ...cores].sort((a, b) => b.length - a.length));
  const coreSet = new Set(cores);
  return (text) => replaceForms(text, forms, coreSet);
}

// Forms are computed once per list of secrets: the same lists (an instance's, a client's) are
// scrubbed with again and again. Bounded, so a caller building fresh lists cannot grow it forever.
const cache = new Map<string, Scrub>();
const CACHE_MAX = 256;

/** The scrubber of a list of secrets: replaces every form of each with [REDACTED]. */
export function scrubber(known: readonly string[]): Scrub {
  if (known.length === 0) return identity;
  const key = known.join('\u0000');
  let scrub = cache.get(key);
  if (!scrub) {
    if (cache.size >= CACHE_MAX) cache.clear();
    scrub = compile(known);
    cache.set(key, scrub);
  }
  return scrub;
}
