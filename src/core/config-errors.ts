// Configuration error text that never echoes what the user wrote: a mis-indented line can turn a
// secret into a key (`token:SECRET` is one key), a tag (`!SECRET`) or an alias (`*SECRET`), and the
// yaml library quotes all of these, with a snippet of the source. Errors here name the line, the
// column and known key names only.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, YAMLError } from 'yaml';
import { closestName } from './closest.js';

/** What went wrong, per yaml error code, in our words (the library's quote the source). */
const YAML_PROBLEMS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias cannot have a tag or an anchor',
  BAD_ALIAS: 'an alias (*name) that names no anchor defined before it',
  BAD_DIRECTIVE: 'an unknown % directive',
  BAD_DQ_ESCAPE: 'a bad escape in a "double-quoted" string',
  BAD_INDENT:
    'bad indentation (items of one mapping or list start at the same column), or an unclosed [ or {',
  BAD_PROP_ORDER: 'anchor and tag in the wrong order',
  BAD_SCALAR_START: 'a plain value cannot start with this character: quote it',
  BLOCK_AS_IMPLICIT_KEY: 'a block value used as a key',
  BLOCK_IN_FLOW: 'a block value inside a {flow} or [flow] collection',
  DUPLICATE_KEY: 'a key given twice in one mapping',
  IMPOSSIBLE: 'unreadable YAML',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'something missing: a closing quote or bracket, a comma between items, or ": " after a key',
  MULTILINE_IMPLICIT_KEY: 'a key that runs over several lines (is ": " missing after a key?)',
  MULTIPLE_ANCHORS: 'several anchors on one value',
  MULTIPLE_DOCS: 'several YAML documents in one file',
  MULTIPLE_TAGS: 'several tags on one value',
  NON_STRING_KEY: 'a key that is not a plain name',
  RESOURCE_EXHAUSTION: 'too many alias expansions',
  TAB_AS_INDENT: 'a tab used for indentation (use spaces)',
  TAG_RESOLVE_FAILED: 'Unresolved tag (a !tag; only plain YAML values are accepted)',
  UNEXPECTED_TOKEN: 'an unexpected character or token',
  BAD_COLLECTION_TYPE: 'a value of the wrong kind for its tag',
};

const at = (pos: { line: number; col: number } | undefined) =>
  pos ? `line ${pos.line}, column ${pos.col}: ` : '';

/** The first alias whose anchor is not defined before it, in a document that failed to resolve. */
function unresolvedAlias(text: string): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { logLevel: 'silent', lineCounter });
  let found: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (found === undefined && node.range && node.resolve(doc) === undefined) {
        found = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found === undefined ? undefined : lineCounter.linePos(found);
}

/**
 * One line saying what is wrong with a YAML text and where, never quoting it. `e` is what parsing
 * or converting threw (a YAMLError, the ReferenceError of an unresolved alias, a stack overflow).
 */
export function yamlProblem(e: unknown, text: string): string {
  if (e instanceof YAMLError) {
    return `${at(e.linePos?.[0])}${YAML_PROBLEMS[e.code] ?? 'unreadable YAML'}`;
  }
  const message = e instanceof Error ? e.message : '';
  if (/Maximum call stack size exceeded/.test(message)) return 'nested too deeply';
  if (/Unresolved alias/.test(message)) {
    let pos: { line: number; col: number } | undefined;
    try {
      pos = unresolvedAlias(text);
    } catch {
      pos = undefined;
    }
    return `${at(pos)}${YAML_PROBLEMS.BAD_ALIAS}`;
  }
  if (/[Aa]lias/.test(message)) return YAML_PROBLEMS.RESOURCE_EXHAUSTION ?? 'unreadable YAML';
  return 'unreadable YAML';
}

/** Line of the key at `path` in a YAML text (1-based), or undefined. */
export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/** A LineOf over a YAML text, parsed only when first asked (errors are rare). */
export function yamlKeyLines(text: string): LineOf {
  let parsed: { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined;
  return (path) => {
    try {
      if (!parsed) {
        const lines = new LineCounter();
        parsed = { doc: parseDocument(text, { logLevel: 'silent', lineCounter: lines }), lines };
      }
      let node: unknown = parsed.doc.contents;
      let offset: number | undefined;
      for (const key of path) {
        if (isAlias(node)) node = node.resolve(parsed.doc);
        if (isSeq(node) && typeof key === 'number') {
          // A list item (a mapping rule): its own first character.
          node = node.items[key];
          offset = (node as { range?: [number] } | undefined)?.range?.[0];
          continue;
        }
        if (!isMap(node)) return undefined;
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair || !isScalar(pair.key)) return undefined;
        offset = pair.key.range?.[0];
        node = pair.value;
      }
      return offset === undefined ? undefined : parsed.lines.linePos(offset).line;
    } catch {
      return undefined;
    }
  };
}

/** ` at line N` for a key path, or nothing when the line is not known (a config given as an object). */
export function lineText(lineOf: LineOf | undefined, path: readonly PropertyKey[]): string {
  const line = lineOf?.(path);
  return line === undefined ? '' : ` at line ${line}`;
}

/**
 * A name the user chose (an instance name, a mapping attribute) that is safe to print: a short
 * identifier. A mis-indented `token:SECRET:` line makes a key with a colon in it, never shown.
 */
export const printableName = (name: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name);

export { closestName };

/**
 * `unknown key at line N (did you mean "token"?)`: the key itself is not shown, as it may be a
 * secret (`token:SECRET` written without a space is one key); a suggestion is a known name.
 */
export function unknownKeyText(
  written: readonly string[],
  known: readonly string[],
  line: string,
  /** Names the project itself defines (another brand's settings): written exactly, safe to quote. */
  ours: readonly string[] = [],
): string {
  // `token:SECRET` written without a space after the colon is one key: say so, naming `token` only.
  const glued = known.filter((n) => written.some((k) => k.toLowerCase().startsWith(`${n.toLowerCase()}:`)));
  const guesses = [...new Set(written.map((k) => closestName(k, known)).filter((k) => k !== undefined))];
  const named = written.length === 1 && ours.includes(written[0] ?? '') ? ` "${written[0]}"` : '';
  const count = written.length === 1 ? `unknown key${named}` : `${written.length} unknown keys`;
  const guess = glued.length
    ? ` (a space missing after "${glued[0]}:"?)`
    : guesses.length
      ? ` (did you mean ${guesses.map((g) => `"${g}"`).join(', ')}?)`
      : '';
  return `${count}${line}${guess}`;
}
