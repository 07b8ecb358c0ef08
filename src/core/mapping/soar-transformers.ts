// Cortex XSOAR mapper transformers and filters, translated into our transform steps and `when`
// conditions where the meaning is the same; anything else is answered as a reason (the importer
// lists it as untranslated, never drops it). Argument shapes follow the public content repository's
// mapper exports: `args: { <name>: { isContext, value: { simple } | null } }`.
import type { MappingCondition, TransformStep } from './types.js';

export interface SoarTransformer {
  operator?: unknown;
  args?: Record<
    string,
    { isContext?: boolean; value?: { simple?: unknown; complex?: unknown } | null } | undefined
  >;
}

/** A `${field}` reference (XSOAR's DT syntax for a context value) inside a text. */
export const DT_REF = /\$\{([^}]+)\}/g;
const HAS_DT = /\$\{[^}]+\}/;

/** One translated step, or the chain becomes a template (`concat` with `${field}` references). */
export type Translated =
  | { step: TransformStep }
  | { steps: TransformStep[] }
  | { template: { prefix: string; suffix: string } }
  | { why: string };

/** The literal text of an argument; undefined when absent; null when it is a context reference. */
export function argText(t: SoarTransformer, name: string): string | undefined | null {
  const a = t.args?.[name];
  if (!a || a.value === null || a.value === undefined) return undefined;
  if (a.value.complex) return null;
  const v = a.value.simple;
  if (v === undefined || v === null || v === '') return undefined;
  if (a.isContext) return null;
  return String(v);
}

export const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** Python strftime to a date-fns pattern, for the directives with one meaning in both. */
export function strftimeToDateFns(f: string): string | undefined {
  const map: Record<string, string> = {
    Y: 'yyyy',
    y: 'yy',
    m: 'MM',
    d: 'dd',
    H: 'HH',
    I: 'hh',
    M: 'mm',
    S: 'ss',
    p: 'a',
    b: 'MMM',
    B: 'MMMM',
    a: 'EEE',
    A: 'EEEE',
    z: 'xx',
    '%': "'%'",
  };
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal) out += /[A-Za-z']/.test(literal) ? `'${literal.replace(/'/g, "''")}'` : literal;
    literal = '';
  };
  for (let i = 0; i < f.length; i++) {
    const c = f[i] as string;
    if (c !== '%') {
      literal += c;
      continue;
    }
    const d = f[++i] ?? '';
    const token = map[d];
    if (!token) return undefined;
    flush();
    out += token;
  }
  flush();
  return out;
}

function list(text: string | undefined | null): string[] | undefined {
  return typeof text === 'string' ? text.split(',').map((s) => s.trim()) : undefined;
}

/** One XSOAR transformer as our steps (or a reason it has no equivalent). */
export function translateTransformer(t: SoarTransformer): Translated {
  const op = typeof t.operator === 'string' ? t.operator : '';
  const ctx = (name: string) => argText(t, name) === null;
  const text = (name: string) => argText(t, name) ?? undefined;
  if (Object.keys(t.args ?? {}).some(ctx) && op !== 'concat')
    return { why: `${op}: an argument reads the context, which has no equivalent here` };
  switch (op.toLowerCase()) {
    case 'tolowercase':
      return { step: 'lowercase' };
    case 'touppercase':
      return { step: 'uppercase' };
    case 'trim':
      return { step: 'trim' };
    case 'concat': {
      const prefix = text('prefix') ?? '';
      const suffix = text('suffix') ?? '';
      if (ctx('prefix') || ctx('suffix')) return { why: 'concat: a prefix or suffix reads the context' };
      if (HAS_DT.test(prefix) || HAS_DT.test(suffix)) return { template: { prefix, suffix } };
      return { step: { concat: { ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) } } };
    }
    case 'split':
      return { step: { split: text('delimiter') ?? ',' } };
    case 'splitandtrim':
      return { steps: [{ split: text('delimiter') ?? ',' }, 'trim'] };
    case 'join':
      return { step: { join: text('separator') ?? ',' } };
    case 'replace': {
      const from = text('toReplace');
      if (from === undefined) return { why: 'replace: no "toReplace" text' };
      return {
        step: {
          replace: { pattern: escapeRe(from), with: (text('replaceWith') ?? '').replace(/\$/g, '$$$$') },
        },
      };
    }
    case 'replacematch': {
      const pattern = text('regex');
      if (pattern === undefined) return { why: 'ReplaceMatch: no "regex"' };
      return { step: { replace: { pattern, with: (text('replaceWith') ?? '').replace(/\\(\d)/g, '$$$1') } } };
    }
    case 'mapvaluestransformer': {
      const from = list(text('input_values'));
      const to = list(text('mapped_values'));
      if (!from || !to || from.length !== to.length)
        return { why: 'MapValuesTransformer: input_values and mapped_values differ in length' };
      return { step: { lookup: { table: Object.fromEntries(from.map((k, i) => [k, to[i] as string])) } } };
    }
    case 'if-then-else':
    case 'ifthenelse': {
      // The script (Packs/FiltersAndTransformers/Scripts/IfThenElse): `value==rhs` (its default
      // condition form) answers `then`, else `else`, else "" (nothing). That is a lookup.
      const condition = (text('condition') ?? 'value==equals').replace(/\s+/g, '');
      const rhs = text('rhs');
      const plain = ['value==rhs', 'value===rhs'].includes(condition);
      if (!plain || rhs === undefined || text('options') || text('conditionB') || text('lhsB'))
        return { why: 'If-Then-Else: only "value==rhs" without options has an equivalent (a lookup)' };
      return { step: { lookup: { table: { [rhs]: text('then') ?? '' }, default: text('else') ?? '' } } };
    }
    case 'formatteddatetoepoch': {
      const pattern = strftimeToDateFns(text('formatter') ?? '');
      if (!pattern) return { why: 'FormattedDateToEpoch: a formatter directive with no date-fns equivalent' };
      return { step: { date: { from: pattern, to: 'epoch-s' } } };
    }
    case 'datestringtoisoformat':
      return { step: { date: { from: 'iso', to: "yyyy-MM-dd'T'HH:mm:ssxxx" } } };
    case 'atindex': {
      const d = text('index');
      if (d !== '0')
        return { why: 'atIndex: only index 0 (the text before the first delimiter) has an equivalent' };
      return { why: 'atIndex 0 follows a split' };
    }
    default:
      return { why: `${op || 'a transformer without an operator'}: no equivalent transform` };
  }
}

/** An XSOAR filter (one condition, its left side a context path) as a `when`, else a reason. */
export function translateFilters(filters: unknown): { when?: MappingCondition; why?: string } {
  if (!Array.isArray(filters) || filters.length === 0) return {};
  const flat = filters.flat();
  if (filters.length !== 1 || flat.length !== 1) return { why: 'filters: more than one condition' };
  const f = flat[0] as {
    operator?: string;
    left?: { isContext?: boolean; value?: { simple?: unknown } };
    right?: { isContext?: boolean; value?: { simple?: unknown } };
    ignorecase?: boolean;
  };
  const field = f.left?.isContext ? f.left.value?.simple : undefined;
  if (typeof field !== 'string' || !field) return { why: 'filters: the left side is not a context field' };
  if (f.right?.isContext) return { why: 'filters: the right side reads the context' };
  const right = f.right?.value?.simple;
  const r = right === undefined || right === null ? undefined : String(right);
  const flags = f.ignorecase ? '(?i)' : '';
  switch (f.operator) {
    case 'isNotEmpty':
    case 'isExists':
      return { when: { field, present: true } };
    case 'isEmpty':
    case 'isNotExists':
      return { when: { field, present: false } };
    case 'isEqualString':
    case 'isEqualNumber':
      if (r === undefined) break;
      return f.ignorecase
        ? { when: { field, matches: `(?i)^${escapeRe(r)}$` } }
        : { when: { field, equals: r } };
    case 'in':
    case 'inList':
      if (r === undefined || f.ignorecase) break;
      return { when: { field, in: r.split(',').map((s) => s.trim()) } };
    case 'match':
      if (r === undefined) break;
      return { when: { field, matches: `${flags}${r}` } };
    case 'containsString':
      if (r === undefined) break;
      return { when: { field, matches: `${flags}${escapeRe(r)}` } };
    case 'startWith':
      if (r === undefined) break;
      return { when: { field, matches: `${flags}^${escapeRe(r)}` } };
    case 'endWith':
      if (r === undefined) break;
      return { when: { field, matches: `${flags}${escapeRe(r)}$` } };
  }
  return { why: `filters: operator ${String(f.operator)} has no equivalent condition` };
}
