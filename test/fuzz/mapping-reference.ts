// The mapping engine as it was before it compiled mappings (commit a9d0787: every call parsed each
// rule's path, lowercased its fields and filled its template from the text), with lookup.ts's
// lookupMapping of that commit, with one fix (object values are copied). Kept only as the oracle of test/fuzz/mapping-compiled.test.ts.
import type { AppObject } from '../../src/core/connector.js';
import { type PathSegment, parsePath } from '../../src/core/mapping/path.js';
import type { Mapping, MappingRule } from '../../src/core/mapping/types.js';
import type { Profile } from '../../src/core/profile.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const sources = (rule: MappingRule): string[] =>
  (typeof rule.profile === 'string' ? [rule.profile] : [...rule.profile!]).map((f) => f.toLowerCase());

function fillTemplate(template: string, profile: Profile): string | undefined {
  let any = false;
  const out = template.replace(/\{([^}]+)\}/g, (_, key: string) => {
    const v = profile[key.trim().toLowerCase()];
    if (!present(v)) return '';
    any = true;
    return String(v);
  });
  const cleaned = out.replace(/\s+/g, ' ').trim();
  return any && cleaned ? cleaned : undefined;
}

function outgoingValue(rule: MappingRule, profile: Profile): unknown {
  for (const f of sources(rule)) if (present(profile[f])) return profile[f];
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
export function mapOutgoing(mapping: Mapping, profile: Profile, variant: 'create' | 'update'): AppObject {
  const out: Obj = {};
  for (const rule of mapping) {
    if (rule.direction === 'in' || (rule.on && rule.on !== variant)) continue;
    const value = outgoingValue(rule, profile);
    if (!present(value)) continue;
    // The one change since a9d0787: an object value goes in as a copy (a later rule writing into its
    // path made it contain itself; see engine.test.ts).
    setPath(out, parsePath(rule.app), typeof value === 'object' ? structuredClone(value) : value, rule.with);
  }
  return out;
}

function pickEntry(list: unknown[], seg: PathSegment, rule: MappingRule): Obj | undefined {
  const select = seg.select!;
  const entries = list.filter(isObj);
  // A rule that writes the primary entry reads the primary entry back (else the first):
  // that is how "the primary email, else the first" of the spec falls out of the table.
  if (rule.with?.primary === true) {
    return entries.find((e) => e.primary === true) ?? entries.find((e) => matches(e, select)) ?? entries[0];
  }
  return entries.find((e) => matches(e, select));
}

function getPath(source: unknown, segs: readonly PathSegment[], rule: MappingRule): unknown {
  let node: unknown = source;
  for (const seg of segs) {
    if (!isObj(node)) return undefined;
    const v = node[seg.name];
    if (seg.select) {
      if (!Array.isArray(v)) return undefined;
      node = pickEntry(v, seg, rule);
    } else node = v;
  }
  return node;
}

/** Incoming: reads an app object back into a User Profile (first profile field of each rule). */
export function mapIncoming(mapping: Mapping, app: AppObject): Profile {
  const out: Profile = {};
  for (const rule of mapping) {
    if (rule.direction === 'out') continue;
    const field = sources(rule)[0];
    if (!field || present(out[field])) continue;
    const value = getPath(app, parsePath(rule.app), rule);
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
export function profileFieldsFor(mapping: Mapping, attribute: string): string[] {
  const out: string[] = [];
  for (const rule of mapping) {
    if (rule.direction === 'in') continue;
    const root = parsePath(rule.app)[0]?.name;
    if (root === attribute) for (const f of sources(rule)) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** lookup.ts's lookupMapping at commit a9d0787: a copy of the rules on every call. */
export function lookupMapping(mapping: Mapping): Mapping {
  return mapping.map(({ template: _t, ...rule }) => ({
    ...rule,
    profile: typeof rule.profile === 'string' ? rule.profile : rule.profile!.slice(0, 1),
  }));
}
