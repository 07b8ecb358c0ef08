// Applies a Mapping forwards (outgoing: User Profile -> app object) and backwards (incoming: app
// object -> User Profile). Values are copied as values into structured objects, never through
// string templates of JSON, so quotes and backslashes survive unchanged. Each rule's source,
// condition and transform chain were compiled once (compiled.ts): a call only runs them.
import type { AppObject } from '../connector.js';
import type { Profile } from '../profile.js';
import { type CompiledMapping, type CompiledRule, type CompiledTemplate, compiledFor } from './compiled.js';
import { type PathSegment, parsePath } from './path.js';
import type { Mapping, MappingRule } from './types.js';

export type { CompiledMapping } from './compiled.js';
export { compileMapping } from './compiled.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
/** A rule's parsed path; a path that does not parse throws its ConfigError here, when the rule is used. */
const pathOf = (rule: CompiledRule): readonly PathSegment[] => rule.segs ?? parsePath(rule.app);

function fillTemplate(template: CompiledTemplate, profile: Profile): string | undefined {
  const { texts, fields } = template;
  let any = false;
  let out = texts[0] as string;
  for (let i = 0; i < fields.length; i++) {
    const v = profile[fields[i] as string];
    if (present(v)) {
      any = true;
      out += String(v);
    }
    out += texts[i + 1] as string;
  }
  if (!any) return undefined;
  const cleaned = out.replace(/\s+/g, ' ').trim();
  return cleaned || undefined;
}

function outgoingValue(rule: CompiledRule, profile: Profile): unknown {
  if (rule.source === 'value') return rule.value;
  for (const f of rule.sources) if (present(profile[f])) return profile[f];
  return rule.template ? fillTemplate(rule.template, profile) : undefined;
}

function matches(entry: unknown, select: NonNullable<PathSegment['select']>): entry is Obj {
  if (!isObj(entry)) return false;
  const v = entry[select.attr];
  return typeof v === 'string' && typeof select.value === 'string'
    ? v.toLowerCase() === select.value.toLowerCase()
    : v === select.value;
}

function setPath(
  target: Obj,
  segs: readonly PathSegment[],
  value: unknown,
  extra: MappingRule['with'],
): void {
  let node: Obj = target;
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg.select) {
      const list = Array.isArray(node[seg.name]) ? (node[seg.name] as unknown[]) : [];
      node[seg.name] = list;
      let entry = list.find((e) => matches(e, seg.select!));
      if (!entry) {
        entry = { [seg.select.attr]: seg.select.value };
        list.push(entry);
      }
      if (extra) Object.assign(entry, extra);
      if (last) (entry as Obj).value = value;
      else node = entry as Obj;
      return;
    }
    if (last) {
      node[seg.name] = value;
      return;
    }
    if (!isObj(node[seg.name])) node[seg.name] = {};
    node = node[seg.name] as Obj;
  });
}

/** Outgoing: builds the app object for a create or an update from a User Profile. */
export function mapOutgoing(
  mapping: Mapping | CompiledMapping,
  profile: Profile,
  variant: 'create' | 'update',
): AppObject {
  const out: Obj = {};
  for (const rule of compiledFor(mapping).rules) {
    if (!rule.out || (rule.on && rule.on !== variant)) continue;
    const { cond, steps } = rule;
    if (cond && !cond.holds(profile[cond.field])) continue;
    const value = steps ? steps(outgoingValue(rule, profile)) : outgoingValue(rule, profile);
    if (!present(value)) continue;
    // An object (a rule's constant, a profile value) goes in as a copy: a later rule that writes
    // into its path must change neither the rule, the caller's profile, nor the object itself.
    setPath(out, pathOf(rule), typeof value === 'object' ? structuredClone(value) : value, rule.with);
  }
  return out;
}

function pickEntry(list: unknown[], seg: PathSegment, primary: boolean): Obj | undefined {
  const select = seg.select!;
  const entries = list.filter(isObj);
  // A rule that writes the primary entry reads the primary entry back (else the first):
  // that is how "the primary email, else the first" of the spec falls out of the table.
  if (primary) {
    return entries.find((e) => e.primary === true) ?? entries.find((e) => matches(e, select)) ?? entries[0];
  }
  return entries.find((e) => matches(e, select));
}

function getPath(source: unknown, segs: readonly PathSegment[], primary: boolean): unknown {
  let node: unknown = source;
  for (const seg of segs) {
    if (!isObj(node)) return undefined;
    const v = node[seg.name];
    if (seg.select) {
      if (!Array.isArray(v)) return undefined;
      node = pickEntry(v, seg, primary);
    } else node = v;
  }
  return node;
}

/** Incoming: reads an app object back into a User Profile (first profile field of each rule). */
export function mapIncoming(mapping: Mapping | CompiledMapping, app: AppObject): Profile {
  const out: Profile = {};
  for (const rule of compiledFor(mapping).rules) {
    if (!rule.in) continue;
    const field = rule.sources[0];
    if (!field || present(out[field])) continue;
    const { cond, steps } = rule;
    if (cond && !cond.holds(getPath(app, cond.segs ?? [], false))) continue;
    const read = getPath(app, pathOf(rule), rule.with?.primary === true);
    const value = steps ? steps(read) : read;
    if (present(value) && !isObj(value)) out[field] = value;
  }
  return out;
}

/**
 * The value a lookup attribute takes in an outgoing-mapped object: a string as is, a multi-valued
 * attribute's primary (else first) `value`.
 */
export function lookupValue(mapped: AppObject, attribute: string): string | undefined {
  const v = mapped[attribute];
  if (typeof v === 'string') return v || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    const entries = v.filter(isObj);
    const e = entries.find((x) => x.primary === true) ?? entries[0];
    return typeof e?.value === 'string' && e.value ? e.value : undefined;
  }
  if (isObj(v) && typeof v.value === 'string') return v.value || undefined;
  return undefined;
}

/** The profile fields that feed an app attribute (for "which attributes would have worked" messages). */
export function profileFieldsFor(mapping: Mapping | CompiledMapping, attribute: string): string[] {
  const out: string[] = [];
  for (const rule of compiledFor(mapping).rules) {
    if (!rule.out) continue;
    const root = pathOf(rule)[0]?.name;
    if (root === attribute) for (const f of rule.sources) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The lookup variant of a mapping (core/commands/lookup.ts): each rule's own first profile field,
 * no template. Compiled with the mapping, once.
 */
export function lookupVariant(mapping: Mapping | CompiledMapping): CompiledMapping {
  return compiledFor(mapping).lookup;
}
