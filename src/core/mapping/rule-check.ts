// Checks one rule as written (a file's or the config's YAML, already parsed) and returns it typed,
// or throws the problem with the key it belongs to, so the loader can name the line: unknown keys
// (with the closest name), a bad path, a missing source, an unknown transform, a bad regex.
import { closestName } from '../closest.js';
import { ConfigError } from '../errors.js';
import { checkRule } from './compiled.js';
import { compileCondition } from './condition.js';
import { parsePath } from './path.js';
import { compileSteps } from './transforms.js';
import type { MappingRule } from './types.js';

export const RULE_KEYS = [
  'app',
  'profile',
  'template',
  'value',
  'transform',
  'when',
  'with',
  'on',
  'direction',
];

/** A problem in a rule; `key` is where it is (undefined: the rule as a whole). */
export class RuleProblem extends Error {
  constructor(
    message: string,
    readonly key: string | undefined,
  ) {
    super(message);
  }
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const reserved = (s: string) => RESERVED.has(s.trim().toLowerCase());
const printable = (s: string) => /^[\w.$-]{1,64}$/.test(s);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function at<T>(key: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConfigError) throw new RuleProblem(e.message, key);
    throw e;
  }
}

function profileOk(p: unknown): boolean {
  const field = (f: unknown) => typeof f === 'string' && f.trim() !== '' && !reserved(f);
  return field(p) || (Array.isArray(p) && p.length > 0 && p.every(field));
}

function checkWith(w: unknown): void {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (!isObj(w) || !Object.values(w).every(scalar))
    throw new RuleProblem('"with": expected a map of attribute: text, number or true/false', 'with');
  if (Object.keys(w).some(reserved)) throw new RuleProblem('"with": a key is not an attribute name', 'with');
}

/**
 * The rule, checked. `incoming`: the rule belongs to an incoming list (its `when` names an app path,
 * its transform applies to the app value, and it may not be a constant or a template alone).
 */
export function checkRuleShape(raw: unknown, incoming: boolean): MappingRule {
  if (!isObj(raw))
    throw new RuleProblem('expected a map like { app: userName, profile: username }', undefined);
  for (const k of Object.keys(raw)) {
    if (RULE_KEYS.includes(k)) continue;
    const guess = closestName(k, RULE_KEYS);
    const shown = printable(k) ? ` "${k}"` : '';
    throw new RuleProblem(`unknown key${shown}${guess ? ` (did you mean "${guess}"?)` : ''}`, k);
  }
  const r = raw as Record<string, unknown> & MappingRule;
  if (typeof r.app !== 'string' || !r.app.trim())
    throw new RuleProblem('"app" (the app path) is missing', 'app');
  at('app', () => parsePath(r.app));
  if (r.profile !== undefined && !profileOk(r.profile))
    throw new RuleProblem('"profile": expected a profile field name or a list of them', 'profile');
  if (r.template !== undefined) {
    if (typeof r.template !== 'string') throw new RuleProblem('"template": expected a text', 'template');
    if ([...r.template.matchAll(/\{([^}]+)\}/g)].some((m) => reserved(m[1] ?? '')))
      throw new RuleProblem('"template": names a field that is not a profile field', 'template');
  }
  if (r.with !== undefined) checkWith(r.with);
  if (r.on !== undefined && r.on !== 'create' && r.on !== 'update')
    throw new RuleProblem('"on": expected create or update', 'on');
  if (r.direction !== undefined && r.direction !== 'in' && r.direction !== 'out')
    throw new RuleProblem('"direction": expected in or out', 'direction');
  const rule: MappingRule = incoming && r.direction === undefined ? { ...r, direction: 'in' } : r;
  at('transform', () => compileSteps(rule.transform as readonly unknown[] | undefined, rule.app));
  if (rule.when !== undefined) at('when', () => compileCondition(rule.when, rule.direction === 'in'));
  at(undefined, () => checkRule(rule));
  return rule;
}
