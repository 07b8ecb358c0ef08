// `iam mappings check --instance X`: each outgoing rule's app attribute looked up in the schema the
// app serves (get-mapping-fields: SCIM /Schemas, an LDAP subschema, else the connector's list).
// A target the schema does not hold, or holds as read-only, is reported; exit 1 when there is one.
import type { IamClient } from '../client.js';
import { findField } from '../core/app-schema.js';
import { ConfigError, IamError, UsageError } from '../core/errors.js';
import { ruleTargets, staticVerdict } from '../core/mapping-targets.js';
import { cleanMessage } from '../core/record.js';
import type { CliIo } from './app.js';
import { mappingData } from './mapping-doc.js';
import { oneInstance } from './mappings-run.js';
import { type Opts, withClient } from './run.js';

type Verdict = 'ok' | 'unknown' | 'readOnly';

export interface RuleCheck {
  /** `outgoing` (a list), or `outgoing.create` / `outgoing.update` when the mapping has variants. */
  list: string;
  /** 1-based, in its list. */
  rule: number;
  app: string;
  verdict: Verdict;
  mutability?: string;
}

export async function checkMapping(client: IamClient, instance: string) {
  const schema = await client.mappingFields(instance);
  // Fields the connector itself translates (AD's `password` becomes unicodePwd) are never "unknown".
  const own = client.config.instances.get(instance)?.definition.connectorFields ?? [];
  const declared = new Set(own.map((f) => f.toLowerCase()));
  const outgoing = mappingData(client.runtime(instance).mapping.outgoing);
  const rules: RuleCheck[] = ruleTargets(outgoing).map((t) => {
    const f = findField(schema.attributes, t.app);
    // The app's own schema: the exact path. A static list: the attribute (its sub-paths unlisted).
    const verdict: Verdict =
      schema.source === 'static'
        ? (staticVerdict(schema.attributes, t.app) ?? 'ok')
        : !f
          ? declared.has(t.app.toLowerCase())
            ? 'ok'
            : 'unknown'
          : f.mutability === 'readOnly'
            ? 'readOnly'
            : 'ok';
    return { ...t, verdict, ...(f ? { mutability: f.mutability } : {}) };
  });
  return { ...schema, rules };
}

export function runMappingCheck(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    const name = oneInstance(client, opts);
    let r: Awaited<ReturnType<typeof checkMapping>>;
    try {
      r = await checkMapping(client, name);
    } catch (e) {
      if (!(e instanceof IamError) || e instanceof UsageError || e instanceof ConfigError) throw e;
      const why = cleanMessage(client.redactText(e.message), []);
      io.err(`iam: error: instance "${name}": mappings check: the app's schema could not be read: ${why}`);
      return 1;
    }
    const bad = r.rules.filter((c) => c.verdict !== 'ok');
    const from =
      r.source === 'app'
        ? "the app's schema"
        : `the connector's list (${r.details ?? 'not read from the app'})`;
    if (opts.output === 'json') {
      const { instanceName, brand, source, details, rules } = r;
      io.out(
        JSON.stringify({
          MappingCheck: { instanceName, brand, source, ...(details ? { details } : {}), rules },
        }),
      );
    } else if ((opts.output as string) === 'yaml') {
      const { stringify } = await import('yaml');
      io.out(
        stringify({
          instanceName: r.instanceName,
          brand: r.brand,
          source: r.source,
          rules: r.rules,
        }).trimEnd(),
      );
    } else {
      io.out(`Mapping check (${r.brand}, ${name}; against ${from})`);
      for (const c of r.rules) {
        const why =
          c.verdict === 'unknown'
            ? 'UNKNOWN: not in the schema'
            : c.verdict === 'readOnly'
              ? 'READ-ONLY'
              : 'ok';
        io.out(`  ${c.list} rule ${c.rule}: ${c.app}  ${why}`);
      }
    }
    for (const c of bad) {
      const what = c.verdict === 'unknown' ? 'is not in' : 'is read-only in';
      io.err(`iam: ${c.list} rule ${c.rule}: attribute "${c.app}" ${what} ${from}`);
    }
    return bad.length ? 1 : 0;
  });
}
