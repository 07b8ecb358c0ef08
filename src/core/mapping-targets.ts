// Mapping rules checked against a schema known without asking the app: a brand whose declared
// fields are all the fields its app has (`closedSchema`) gets one warning per rule that targets an
// attribute it does not have, or one it has as read-only, when the config is loaded (an error with
// --strict). `iam mappings check` does the same against the schema the app serves.
import { fieldOf, findField, type MappingField } from './app-schema.js';
import type { Config, InstanceConfig } from './config.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface RuleTarget {
  /** `outgoing` (a list), or `outgoing.create` / `outgoing.update` when the mapping has variants. */
  list: string;
  /** 1-based, in its list. */
  rule: number;
  app: string;
}

/** The outgoing rules of a mapping (a rule list, or an object of them) that name an app attribute. */
export function ruleTargets(value: unknown, list = 'outgoing'): RuleTarget[] {
  if (Array.isArray(value)) {
    return value.flatMap((r, i) =>
      isObj(r) && typeof r.app === 'string' && r.direction !== 'in'
        ? [{ list, rule: i + 1, app: r.app }]
        : [],
    );
  }
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => ruleTargets(v, `${list}.${k}`));
  return [];
}

const root = (path: string) => path.split(/[.[]/)[0]?.toLowerCase() ?? '';

/** `unknown` when no declared field has the target's root attribute, `readOnly`, else undefined. */
export function staticVerdict(
  fields: readonly MappingField[],
  app: string,
): 'unknown' | 'readOnly' | undefined {
  const exact = findField(fields, app);
  if (exact) return exact.mutability === 'readOnly' ? 'readOnly' : undefined;
  return fields.some((f) => root(f.path) === root(app)) ? undefined : 'unknown';
}

function instanceWarnings(source: string, inst: InstanceConfig): string[] {
  const def = inst.definition;
  if (!def.closedSchema || inst.mappers.outgoing === undefined) return [];
  const fields = def.mappingFields.map(fieldOf);
  return ruleTargets(inst.mappers.outgoing).flatMap((t) => {
    const verdict = staticVerdict(fields, t.app);
    if (!verdict) return [];
    const what = verdict === 'unknown' ? `is not a ${def.brand} field` : `is read-only in ${def.brand}`;
    return [
      `${source}: instance "${inst.name}" mappers.${t.list} rule ${t.rule}: attribute "${t.app}" ${what} (iam get-mapping-fields lists them)`,
    ];
  });
}

/** One line per rule of the config whose target its brand's closed schema does not allow. */
export function mappingTargetWarnings(config: Config): string[] {
  return [...config.instances.values()].flatMap((i) => instanceWarnings(config.source, i));
}
