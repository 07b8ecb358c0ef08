// A rule's `transform` chain, compiled once: each step's function is chosen, its regex compiled
// (re2js: linear time, so no pattern can hang the process), its date forms and lookup table checked,
// when the mapping is compiled. A step is a name (`lowercase`) or a one-key object (`{ split: ',' }`).
// String steps apply to each string of an array (a `split` result), and leave other values alone.
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { closestName } from '../closest.js';
import { ConfigError } from '../errors.js';
import { dateStep } from './dates.js';
import type { MappingValue, TransformStep } from './types.js';

// re2js (a linear-time engine: a rule cannot hang the process) loads with the first regex compiled,
// not at every start (start-up is benchmarked).
const load = createRequire(import.meta.url);
let re2: typeof RE2JS | undefined;
const Re2 = (): typeof RE2JS => (re2 ??= (load('re2js') as { RE2JS: typeof RE2JS }).RE2JS);

export type Step = (value: unknown) => unknown;

const NO_ARGUMENT = ['lowercase', 'uppercase', 'trim'] as const;
const WITH_ARGUMENT = ['default', 'concat', 'split', 'join', 'replace', 'date', 'lookup'] as const;
export const TRANSFORM_NAMES: readonly string[] = [...NO_ARGUMENT, ...WITH_ARGUMENT];

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown): boolean => v === undefined || v === null || v === '';
const printable = (s: string) => /^[\w.$-]{1,64}$/.test(s);

/** `f` on a string, or on each string of an array; any other value unchanged. */
const onStrings =
  (f: (s: string) => unknown): Step =>
  (v) =>
    typeof v === 'string' ? f(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? f(x) : x)) : v;

function unknownTransform(name: string): ConfigError {
  const guess = closestName(name, TRANSFORM_NAMES);
  const shown = printable(name) ? ` "${name}"` : '';
  return new ConfigError(
    `unknown transform${shown}${guess ? ` (did you mean "${guess}"?)` : ` (known: ${TRANSFORM_NAMES.join(', ')})`}`,
  );
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ConfigError(`${what}: expected a text`);
  return v;
}

function options(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (!isObj(v)) throw new ConfigError(`${what}: expected { ${keys.join(', ')} }`);
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length) {
    const k = extra[0] as string;
    const guess = closestName(k, keys);
    throw new ConfigError(
      `${what}: unknown key${printable(k) ? ` "${k}"` : ''}${guess ? ` (did you mean "${guess}"?)` : ` (expected ${keys.join(', ')})`}`,
    );
  }
  return v;
}

/** A re2js regex; flags are letters among i (ignore case), m (multi-line), s (dot matches newline). */
export function compileRegex(pattern: unknown, flags: unknown, what: string): RE2JS {
  const source = text(pattern, what);
  let bits = 0;
  for (const f of flags === undefined ? '' : text(flags, `${what} flags`)) {
    if (f === 'i') bits |= Re2().CASE_INSENSITIVE;
    else if (f === 'm') bits |= Re2().MULTILINE;
    else if (f === 's') bits |= Re2().DOTALL;
    else
      throw new ConfigError(
        `${what}: unknown flag "${f.replace(/[^\x20-\x7e]/g, '?')}" (expected i, m or s)`,
      );
  }
  try {
    return Re2().compile(source, bits);
  } catch (e) {
    throw new ConfigError(`${what}: bad regex (${(e as Error).message.split('\n')[0]})`);
  }
}

function replaceStep(arg: unknown): Step {
  const o = options(arg, 'transform "replace"', ['pattern', 'with', 'flags']);
  if (o.with === undefined) throw new ConfigError('transform "replace": "with" is missing');
  const replacement = text(o.with, 'transform "replace" with');
  const re = compileRegex(o.pattern, o.flags, 'transform "replace" pattern');
  try {
    re.matcher('').replaceAll(replacement);
  } catch (e) {
    throw new ConfigError(`transform "replace" with: ${(e as Error).message.split('\n')[0]}`);
  }
  return onStrings((s) => re.matcher(s).replaceAll(replacement));
}

function concatStep(arg: unknown): Step {
  const o = options(arg, 'transform "concat"', ['prefix', 'suffix']);
  const prefix = o.prefix === undefined ? '' : text(o.prefix, 'transform "concat" prefix');
  const suffix = o.suffix === undefined ? '' : text(o.suffix, 'transform "concat" suffix');
  const one = (x: unknown) =>
    typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? `${prefix}${x}${suffix}` : x;
  return (v) => (absent(v) ? v : Array.isArray(v) ? v.map(one) : one(v));
}

function lookupStep(arg: unknown): Step {
  const o = options(arg, 'transform "lookup"', ['table', 'default']);
  if (!isObj(o.table))
    throw new ConfigError('transform "lookup": "table" must be a map of value: replacement');
  const table = new Map(Object.entries(o.table));
  const hasDefault = 'default' in o;
  const fallback = o.default;
  const one = (x: unknown) => {
    if (absent(x) || isObj(x) || Array.isArray(x)) return x;
    const key = String(x);
    return table.has(key) ? structuredClone(table.get(key)) : hasDefault ? structuredClone(fallback) : x;
  };
  return (v) => (Array.isArray(v) ? v.map(one) : one(v));
}

function stepWithArgument(name: string, arg: unknown, target: string): Step {
  switch (name) {
    case 'default': {
      const d = arg as MappingValue;
      return (v) => (absent(v) ? structuredClone(d) : v);
    }
    case 'concat':
      return concatStep(arg);
    case 'split': {
      const sep = text(arg, 'transform "split"');
      if (!sep) throw new ConfigError('transform "split": the separator is empty');
      return (v) => (typeof v === 'string' ? v.split(sep) : v);
    }
    case 'join': {
      const sep = text(arg, 'transform "join"');
      return (v) => (Array.isArray(v) ? v.filter((x) => !absent(x)).join(sep) : v);
    }
    case 'replace':
      return replaceStep(arg);
    case 'date': {
      const o = options(arg, 'transform "date"', ['to', 'from']);
      const to = text(o.to, 'transform "date" to');
      const from = o.from === undefined ? undefined : text(o.from, 'transform "date" from');
      return dateStep(to, from, target);
    }
    default:
      return lookupStep(arg);
  }
}

/** One step's function; a ConfigError (without file or rule: the loader adds them) when it is wrong. */
export function compileStep(step: TransformStep | unknown, target: string): Step {
  if (typeof step === 'string') {
    if (step === 'lowercase') return onStrings((s) => s.toLowerCase());
    if (step === 'uppercase') return onStrings((s) => s.toUpperCase());
    if (step === 'trim') return onStrings((s) => s.trim());
    if ((WITH_ARGUMENT as readonly string[]).includes(step))
      throw new ConfigError(`transform "${step}" needs an argument: write { ${step}: ... }`);
    throw unknownTransform(step);
  }
  if (!isObj(step)) throw new ConfigError('a transform step is a name or a one-key map like { split: "," }');
  const keys = Object.keys(step);
  if (keys.length !== 1) throw new ConfigError('a transform step is a one-key map like { split: "," }');
  const name = keys[0] as string;
  if ((NO_ARGUMENT as readonly string[]).includes(name))
    throw new ConfigError(`transform "${name}" takes no argument: write it as - ${name}`);
  if (!(WITH_ARGUMENT as readonly string[]).includes(name)) throw unknownTransform(name);
  return stepWithArgument(name, step[name], target);
}

/** The chain as one function, or undefined when there is none. */
export function compileSteps(steps: readonly unknown[] | undefined, target: string): Step | undefined {
  if (steps === undefined) return undefined;
  if (!Array.isArray(steps)) throw new ConfigError('"transform" must be a list of steps');
  const fns = steps.map((s) => compileStep(s, target));
  if (fns.length === 1) return fns[0];
  return (v) => {
    let x = v;
    for (const f of fns) x = f(x);
    return x;
  };
}
