// A Mapping compiled once: each rule's app path parsed, its profile fields lowercased, its template
// split into text and fields, its transform chain and condition compiled (functions chosen, regexes
// built, tables checked), which way it is read decided, and the lookup variant derived. The engine
// used to do all of this on every call (about 6% of the client's CPU on get-user).
//
// The engine accepts a Mapping or a CompiledMapping. A Mapping's compiled form is kept in a WeakMap
// keyed by the caller's own array: an entry is reachable only through that array, dies with it,
// holds nothing but what that array's rules say (no profile, no account, no client state, frozen),
// and is checked against the array's rules on every use, so a rule edited, added or removed after
// the first call is seen exactly as before. It is a memo of the caller's data, not state shared
// between clients: two clients share an entry only when they share the Mapping array itself.
import { ConfigError } from '../errors.js';
import { type CompiledCondition, compileCondition } from './condition.js';
import { type PathSegment, parsePath } from './path.js';
import { compileSteps, type Step } from './transforms.js';
import type { Mapping, MappingRule } from './types.js';

/** A template such as `{givenname} {surname}`: texts[0] field[0] texts[1] ... field[n-1] texts[n]. */
export interface CompiledTemplate {
  readonly texts: readonly string[];
  /** Profile field names, trimmed and lowercased. */
  readonly fields: readonly string[];
}

export interface CompiledRule {
  /** The rule as given, and the values of its fields when it was compiled (to see later edits). */
  readonly rule: MappingRule;
  readonly app: string;
  readonly profile: MappingRule['profile'];
  readonly profileList: readonly string[] | undefined;
  readonly templateText: string | undefined;
  readonly with: MappingRule['with'];
  readonly on: MappingRule['on'];
  readonly direction: MappingRule['direction'];
  readonly valueGiven: MappingRule['value'];
  readonly transformGiven: MappingRule['transform'];
  readonly whenGiven: MappingRule['when'];
  /** Profile fields, lowercased: outgoing takes the first present, incoming writes the first. */
  readonly sources: readonly string[];
  readonly template: CompiledTemplate | undefined;
  /** What outgoing reads: profile fields (then the template), the template alone, or a constant. */
  readonly source: 'profile' | 'template' | 'value';
  /** The constant of a `value` rule (frozen; the engine sets a copy). */
  readonly value: unknown;
  readonly steps: Step | undefined;
  readonly cond: CompiledCondition | undefined;
  /** Used outgoing / incoming. A two-way rule that is more than a copy (value, transform, when, template alone) is outgoing only. */
  readonly out: boolean;
  readonly in: boolean;
  /**
   * The parsed app path; undefined when it does not parse, and then the engine parses it again
   * where it uses the rule, so the ConfigError comes where and when it always did.
   */
  readonly segs: readonly PathSegment[] | undefined;
}

export interface CompiledMapping {
  readonly rules: readonly CompiledRule[];
  /**
   * The lookup variant (core/commands/lookup.ts): each rule's own first profile field and no
   * template, so a lookup attribute is present only when its own field is, not a fallback.
   */
  readonly lookup: CompiledMapping;
}

const TEMPLATE_FIELD = /\{([^}]+)\}/g;

function compileTemplate(template: string): CompiledTemplate {
  const texts: string[] = [];
  const fields: string[] = [];
  let from = 0;
  for (const m of template.matchAll(TEMPLATE_FIELD)) {
    texts.push(template.slice(from, m.index));
    fields.push((m[1] as string).trim().toLowerCase());
    from = m.index + m[0].length;
  }
  texts.push(template.slice(from));
  return Object.freeze({ texts: Object.freeze(texts), fields: Object.freeze(fields) });
}

function freezeSegments(segs: PathSegment[]): readonly PathSegment[] {
  for (const seg of segs) {
    if (seg.select) Object.freeze(seg.select);
    Object.freeze(seg);
  }
  return Object.freeze(segs);
}

function parsed(app: string): readonly PathSegment[] | undefined {
  try {
    return freezeSegments(parsePath(app));
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Which source a rule has; a ConfigError when it has none, or two that exclude each other. */
function sourceOf(rule: MappingRule): CompiledRule['source'] {
  const hasValue = rule.value !== undefined;
  if (hasValue && (rule.profile !== undefined || rule.template !== undefined))
    throw new ConfigError('give one source: profile, value or template (profile may have a template)');
  if (hasValue) return 'value';
  if (rule.profile !== undefined) return 'profile';
  if (rule.template !== undefined) return 'template';
  throw new ConfigError('no source: give profile, value or template');
}

function compileRule(rule: MappingRule): CompiledRule {
  const { app, profile, template, on, direction } = rule;
  const list = profile === undefined || typeof profile === 'string' ? undefined : Object.freeze([...profile]);
  const source = sourceOf(rule);
  const incomingOnly = direction === 'in';
  if (incomingOnly && source !== 'profile')
    throw new ConfigError(`an incoming rule writes a profile field: ${source} is outgoing only`);
  const copy =
    source === 'profile' &&
    rule.transform === undefined &&
    rule.when === undefined &&
    direction === undefined;
  return Object.freeze({
    rule,
    app,
    profile,
    profileList: list,
    templateText: template,
    with: rule.with,
    on,
    direction,
    valueGiven: rule.value,
    transformGiven: rule.transform,
    whenGiven: rule.when,
    sources: Object.freeze(
      (list ?? (profile === undefined ? [] : [profile as string])).map((f) => f.toLowerCase()),
    ),
    template: template ? compileTemplate(template) : undefined,
    source,
    value: deepFreeze(structuredClone(rule.value)),
    steps: compileSteps(rule.transform, app),
    cond: rule.when === undefined ? undefined : compileCondition(rule.when, incomingOnly),
    out: !incomingOnly,
    in: incomingOnly || copy,
    segs: parsed(app),
  });
}

/** Lookup: the rule's own first profile field, no template; a constant or template alone is no lookup. */
function lookupRule(c: CompiledRule): CompiledRule {
  return Object.freeze({
    ...c,
    sources: Object.freeze(c.sources.slice(0, 1)),
    template: undefined,
    out: c.out && c.source === 'profile',
  });
}

function build(mapping: Mapping): CompiledMapping {
  const rules = Object.freeze(mapping.map(compileRule));
  let lookup: CompiledMapping | undefined;
  const compiled: CompiledMapping = {
    rules,
    // Built on first use: the incoming mapping never needs it.
    get lookup() {
      lookup ??= Object.freeze({
        rules: Object.freeze(rules.map(lookupRule)),
        get lookup() {
          return this;
        },
      });
      return lookup;
    },
  };
  return Object.freeze(compiled);
}

/** The rules are still those the compiled form was made from (none edited, added or removed). */
function current(c: CompiledMapping, mapping: Mapping): boolean {
  const { rules } = c;
  if (rules.length !== mapping.length) return false;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as CompiledRule;
    const rule = mapping[i] as MappingRule;
    if (
      rule !== r.rule ||
      rule.app !== r.app ||
      rule.profile !== r.profile ||
      rule.template !== r.templateText ||
      rule.with !== r.with ||
      rule.on !== r.on ||
      rule.direction !== r.direction ||
      rule.value !== r.valueGiven ||
      rule.transform !== r.transformGiven ||
      rule.when !== r.whenGiven
    )
      return false;
    const list = r.profileList;
    if (list && !sameFields(list, rule.profile as readonly string[])) return false;
  }
  return true;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const byMapping = new WeakMap<Mapping, CompiledMapping>();

/** Compiles a Mapping (a snapshot of its rules as they are now). */
export function compileMapping(mapping: Mapping): CompiledMapping {
  return build(mapping);
}

/** The compiled form of a Mapping, compiled on its first use and again only if its rules changed. */
export function compiledFor(mapping: Mapping | CompiledMapping): CompiledMapping {
  if (!Array.isArray(mapping)) return mapping as CompiledMapping;
  const m = mapping as Mapping;
  const hit = byMapping.get(m);
  if (hit && current(hit, m)) return hit;
  const fresh = build(m);
  byMapping.set(m, fresh);
  return fresh;
}

/** Compiles one rule (the loader's check of each rule, for its file, line and rule number). */
export function checkRule(rule: MappingRule): void {
  const c = compileRule(rule);
  if (!c.segs) parsePath(rule.app);
}
