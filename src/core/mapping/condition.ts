// A rule's `when`, compiled once: map the rule only when the condition holds. Outgoing it tests a
// User Profile field; on an incoming-only rule it tests an app path (parsed like a rule's `app`).
import { closestName } from '../closest.js';
import { ConfigError } from '../errors.js';
import { type PathSegment, parsePath } from './path.js';
import { compileRegex } from './transforms.js';

const KEYS = ['field', 'equals', 'in', 'matches', 'present'] as const;
const TESTS = ['equals', 'in', 'matches', 'present'] as const;
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export interface CompiledCondition {
  /** The profile field, lowercased (outgoing). */
  readonly field: string;
  /** The app path (incoming-only rules). */
  readonly segs: readonly PathSegment[] | undefined;
  readonly holds: (value: unknown) => boolean;
}

/** `incoming`: the field is an app path. Throws ConfigError (the loader adds file, line and rule). */
export function compileCondition(when: unknown, incoming: boolean): CompiledCondition {
  if (typeof when !== 'object' || when === null || Array.isArray(when))
    throw new ConfigError('"when" must be a map like { field: department, equals: Sales }');
  const o = when as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      const guess = closestName(k, KEYS);
      const shown = /^[\w.$-]{1,64}$/.test(k) ? ` "${k}"` : '';
      throw new ConfigError(`"when": unknown key${shown}${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }
  if (typeof o.field !== 'string' || !o.field.trim()) throw new ConfigError('"when": "field" is missing');
  const tests = TESTS.filter((t) => t in o);
  if (tests.length !== 1)
    throw new ConfigError(`"when": give exactly one of ${TESTS.join(', ')} (found ${tests.length})`);
  const field = o.field.trim();
  if (['__proto__', 'constructor', 'prototype'].includes(field.toLowerCase()))
    throw new ConfigError('"when": "field" is not a field name');
  const segs = incoming ? parsePath(field) : undefined;
  return { field: field.toLowerCase(), segs, holds: tester(tests[0] as (typeof TESTS)[number], o) };
}

function tester(kind: (typeof TESTS)[number], o: Record<string, unknown>): (value: unknown) => boolean {
  const same = (a: unknown, b: string | number | boolean) => isScalar(a) && String(a) === String(b);
  switch (kind) {
    case 'equals': {
      const want = o.equals;
      if (!isScalar(want)) throw new ConfigError('"when" equals: expected a text, number or true/false');
      return (v) => same(v, want);
    }
    case 'in': {
      const list = o.in;
      if (!Array.isArray(list) || !list.every(isScalar))
        throw new ConfigError('"when" in: expected a list of texts, numbers or true/false');
      const wanted = new Set(list.map(String));
      return (v) => isScalar(v) && wanted.has(String(v));
    }
    case 'matches': {
      const re = compileRegex(o.matches, undefined, '"when" matches');
      return (v) => isScalar(v) && re.matcher(String(v)).find();
    }
    default: {
      if (typeof o.present !== 'boolean') throw new ConfigError('"when" present: expected true or false');
      const want = o.present;
      return (v) => present(v) === want;
    }
  }
}
