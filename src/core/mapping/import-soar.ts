// Cortex XSOAR mapper exports (`type: mapping-outgoing | mapping-incoming`) to our mapping format,
// pure: JSON in, rules out, and every field that could not be translated listed with the reason,
// never dropped. The format, as in the public content repository's mappers (e.g.
// Packs/IAM-SCIM/Classifiers/classifier-User_Profile_-_SCIM_(Incoming).json):
//   mapping: { <type>: { internalMapping: { <field>: { simple: "path" } |
//     { complex: { root, accessor, filters, transformers: [{ operator, args }] } } } } }
// Outgoing, <field> is the app attribute and the path a User Profile field; incoming, <field> is the
// User Profile field (its display name, `Given Name`) and the path the app's. Paths are XSOAR's:
// dots between keys, `\.` a dot inside a key, `.[0]` the first entry of a list.
import { canonicalKey } from '../profile-fields.js';
import { checkRuleShape, RuleProblem } from './rule-check.js';
import {
  escapeRe,
  type SoarTransformer,
  translateFilters,
  translateTransformer,
} from './soar-transformers.js';
import type { MappingRule, TransformStep } from './types.js';

export interface Untranslated {
  field: string;
  why: string;
}

export interface SoarImport {
  outgoing?: MappingRule[] | { create: MappingRule[]; update: MappingRule[] };
  incoming?: MappingRule[];
  /** What has no equivalent here: the user must write it by hand. */
  untranslated: Untranslated[];
  /** Translated with a difference worth knowing (said on stderr, not a failure). */
  notes: Untranslated[];
}

/** The input is not a mapper export (exit 2). */
export class NotAMapperError extends Error {}

interface Entry {
  simple?: unknown;
  complex?: {
    root?: unknown;
    accessor?: unknown;
    filters?: unknown;
    transformers?: unknown;
  } | null;
}

const NAME = /^[A-Za-z_$][\w$-]*$/;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Skip extends Error {}

/** An XSOAR context path as our SCIM attribute path; `primary`: it read the first entry of a list. */
export function soarPath(raw: string): { path: string; primary: boolean } {
  let s = raw.trim();
  const whole = /^\$\{([^}]+)\}$/.exec(s);
  if (whole) s = whole[1] as string;
  if (!s || /\$\{|[\s()=|]/.test(s)) throw new Skip(`"${raw}" is an expression, not a path`);
  const keys: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && s[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      keys.push(cur);
      cur = '';
    } else cur += c;
  }
  keys.push(cur);
  const segs: string[] = [];
  let primary = false;
  for (const k of keys) {
    const index = /^(.*?)\[(\d+)\]$/.exec(k);
    const name = index ? (index[1] as string) : k;
    if (index && index[2] !== '0')
      throw new Skip(`"${raw}": entry [${index[2]}] of a list has no equivalent path`);
    if (name) segs.push(name);
    if (index) {
      if (!segs.length) throw new Skip(`"${raw}": a list index without a list`);
      segs[segs.length - 1] += '[primary eq true]';
      primary = true;
    }
  }
  const [first, ...rest] = segs;
  if (first?.toLowerCase().startsWith('urn:')) {
    if (!rest.length) throw new Skip(`"${raw}": no attribute after the schema URN`);
    return { path: `${first}:${rest.join('.')}`, primary };
  }
  if (!segs.every((g) => NAME.test(g.replace('[primary eq true]', ''))))
    throw new Skip(`"${raw}" is not an attribute path`);
  return { path: segs.join('.'), primary };
}

const profileField = (raw: string): string => {
  const s = raw.trim().replace(/^\$\{([^}]+)\}$/, '$1');
  if (!s || /[${}.[\]]/.test(s)) throw new Skip(`"${raw}" is not a User Profile field`);
  return canonicalKey(s).replace(/\s+/g, '');
};

/** The transformer chain as steps, or a template when a concat reads other fields. */
function chain(
  transformers: unknown,
  root: string | undefined,
): { steps: TransformStep[]; template?: string } {
  const steps: TransformStep[] = [];
  let template: string | undefined;
  for (const t of Array.isArray(transformers) ? (transformers as SoarTransformer[]) : []) {
    const r = translateTransformer(t);
    if ('step' in r) steps.push(r.step);
    else if ('steps' in r) steps.push(...r.steps);
    else if ('template' in r) {
      const { prefix, suffix } = r.template;
      if (steps.length || root === undefined) throw new Skip('concat reads other fields after a transform');
      if (/[{}]/.test(`${prefix}${suffix}`.replace(/\$\{[^}]+\}/g, '')))
        throw new Skip('concat: a literal brace has no equivalent in a template');
      const field = (s: string) => s.replace(/\$\{([^}]+)\}/g, (_, f: string) => `{${profileField(f)}}`);
      template = `${field(prefix)}${template ?? `{${root}}`}${field(suffix)}`;
    } else {
      const last = steps[steps.length - 1];
      const op = String(t.operator ?? '').toLowerCase();
      if (
        op === 'atindex' &&
        r.why === 'atIndex 0 follows a split' &&
        typeof last === 'object' &&
        'split' in last
      ) {
        // split(d) then atIndex(0): the text before the first d (all of it when there is none).
        steps[steps.length - 1] = {
          replace: { pattern: `^([\\s\\S]*?)${escapeRe(last.split)}[\\s\\S]*$`, with: '$1' },
        };
      } else
        throw new Skip(r.why === 'atIndex 0 follows a split' ? 'atIndex 0 without a split before it' : r.why);
    }
  }
  return template === undefined ? { steps } : { steps, template };
}

function outgoingRule(field: string, e: Entry, notes: Untranslated[], label: string): MappingRule {
  const target = soarPath(field);
  if (target.primary) notes.push({ field: label, why: '[0] became the primary entry' });
  const primary = target.primary ? { with: { primary: true } } : {};
  if (typeof e.simple === 'string' && e.simple && !e.complex)
    return { app: target.path, profile: profileField(e.simple), ...primary };
  const c = e.complex;
  if (!c || typeof c.root !== 'string' || !c.root)
    throw new Skip('no source (an empty simple and no complex)');
  if (c.accessor) throw new Skip('an accessor on a User Profile field has no equivalent');
  const root = profileField(c.root);
  const f = translateFilters(c.filters);
  if (f.why) throw new Skip(f.why);
  const { steps, template } = chain(c.transformers, root);
  const source = template ? { template } : { profile: root };
  return {
    app: target.path,
    ...source,
    ...(steps.length ? { transform: steps } : {}),
    ...(f.when ? { when: { ...f.when, field: profileField(f.when.field) } } : {}),
    ...primary,
  };
}

function incomingRule(field: string, e: Entry, notes: Untranslated[], label: string): MappingRule {
  const profile = profileField(field);
  const c = e.complex;
  const rawPath =
    typeof e.simple === 'string' && e.simple && !c ? e.simple : c && typeof c.root === 'string' ? c.root : '';
  if (!rawPath) throw new Skip('no source (an empty simple and no complex)');
  const accessor = c && typeof c.accessor === 'string' && c.accessor ? `.${c.accessor}` : '';
  const from = soarPath(`${rawPath}${accessor}`);
  if (from.primary) notes.push({ field: label, why: '[0] read as the primary entry, else the first' });
  const f = c ? translateFilters(c.filters) : {};
  if (f.why) throw new Skip(f.why);
  const { steps, template } = c ? chain(c.transformers, undefined) : { steps: [] };
  if (template) throw new Skip('a template builds an outgoing value only');
  return {
    app: from.path,
    profile,
    ...(steps.length ? { transform: steps } : {}),
    ...(f.when ? { when: { ...f.when, field: soarPath(f.when.field).path } } : {}),
    ...(from.primary ? { with: { primary: true } } : {}),
  };
}

type Variant = 'both' | 'create' | 'update';
const variantOf = (type: string): Variant =>
  /create/i.test(type) ? 'create' : /update/i.test(type) ? 'update' : 'both';

/** Translates one or several mapper exports (an array, or one object). */
export function importSoarMapper(input: unknown): SoarImport {
  const exports = Array.isArray(input) ? input : [input];
  if (!exports.length) throw new NotAMapperError('an empty list, not an XSOAR mapper export');
  const out: SoarImport = { untranslated: [], notes: [] };
  const sides: Record<Variant, MappingRule[] | undefined> = {
    both: undefined,
    create: undefined,
    update: undefined,
  };
  for (const mapper of exports) {
    if (
      !isObj(mapper) ||
      !isObj(mapper.mapping) ||
      !['mapping-outgoing', 'mapping-incoming'].includes(String(mapper.type))
    )
      throw new NotAMapperError(
        'not an XSOAR mapper export (expected "type": "mapping-outgoing" or "mapping-incoming" and a "mapping")',
      );
    const incoming = mapper.type === 'mapping-incoming';
    for (const [type, body] of Object.entries(mapper.mapping)) {
      const variant: Variant = incoming ? 'both' : variantOf(type);
      const internal = isObj(body) && isObj(body.internalMapping) ? body.internalMapping : {};
      const rules: MappingRule[] = [];
      for (const [field, entry] of Object.entries(internal)) {
        const label = `${incoming ? 'incoming' : 'outgoing'} "${type}" ${field}`;
        try {
          if (!isObj(entry)) throw new Skip('not a { simple } or { complex } entry');
          const rule = (incoming ? incomingRule : outgoingRule)(field, entry as Entry, out.notes, label);
          checkRuleShape(rule, incoming);
          rules.push(rule);
        } catch (e) {
          if (!(e instanceof Skip || e instanceof RuleProblem)) throw e;
          out.untranslated.push({ field: label, why: e.message });
        }
      }
      if (incoming) {
        if (out.incoming)
          out.untranslated.push({
            field: `incoming "${type}"`,
            why: 'a second incoming type: only the first is imported',
          });
        else out.incoming = rules;
      } else if (sides[variant])
        out.untranslated.push({
          field: `outgoing "${type}"`,
          why: `a second ${variant} type: only the first is imported`,
        });
      else sides[variant] = rules;
    }
  }
  const { both, create, update } = sides;
  if (create || update) {
    if (both && create)
      out.untranslated.push({
        field: 'outgoing',
        why: 'a type for both beside a create type: it was left out',
      });
    const c = create ?? both ?? [];
    out.outgoing = update ? { create: c, update } : c;
  } else if (both) out.outgoing = both;
  return out;
}
