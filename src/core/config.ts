// The configuration: `instances: {NAME: {brand, <connector settings>, flags, mappers...}}`, from a YAML
// file or an object. Checked once at load: unknown brand, unknown key, wrong type and missing secret
// each give one line naming the instance and the key.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ConnectorDefinition } from './connector.js';
import { ConfigError } from './errors.js';
import { DEFAULT_FLAGS, type InstanceFlags } from './instance.js';
import type { Mapping } from './mapping/types.js';
import { resolveRef, Secret, type SecretSource } from './secrets.js';

export type ConnectorRegistry = readonly ConnectorDefinition<unknown>[];

export interface InstanceConfig {
  name: string;
  definition: ConnectorDefinition<unknown>;
  flags: InstanceFlags;
  insecure: boolean;
  proxy: boolean | string;
  caFile: string | undefined;
  timeoutMs: number | undefined;
  mappers: { incoming?: Mapping; outgoing?: Mapping };
  /** The connector's settings, parsed by its own schema. */
  settings: unknown;
  /** Secret values, for scrubbing wherever text is printed. */
  secrets: string[];
}

export interface Config {
  /** Where it came from: a file path, or `embedded default`. */
  source: string;
  instances: Map<string, InstanceConfig>;
}

export const EMBEDDED_DEFAULT = { instances: { local: { brand: 'Local' } } } as const;

const bool = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    return ['true', 'yes', '1'].includes(s) ? true : ['false', 'no', '0'].includes(s) ? false : v;
  },
  z.boolean({ error: 'expected true or false' }),
);

const ruleSchema = z.strictObject({
  app: z.string().min(1),
  profile: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  template: z.string().optional(),
  with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  on: z.enum(['create', 'update']).optional(),
  direction: z.enum(['in', 'out']).optional(),
});
const mappingSchema = z.array(ruleSchema);

const commonSchema = z.strictObject({
  brand: z.string({ error: 'expected a brand name' }),
  allowCreate: bool.optional(),
  allowUpdate: bool.optional(),
  allowEnable: bool.optional(),
  allowDisable: bool.optional(),
  createIfNotExists: bool.optional(),
  insecure: bool.optional(),
  proxy: z
    .union([bool, z.url({ protocol: /^https?$/, error: 'expected true, false or a proxy URL' })])
    .optional(),
  caFile: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  mappers: z
    .strictObject({
      incoming: z.union([z.string(), mappingSchema]).optional(),
      outgoing: z.union([z.string(), mappingSchema]).optional(),
    })
    .optional(),
});
const COMMON_KEYS = new Set(Object.keys(commonSchema.shape));

function formatIssue(where: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `${where}: unknown key "${issue.keys.join('", "')}"`;
  return `${where}${path ? ` key "${path}"` : ''}: ${issue.message}`;
}

function settingKeys(def: ConnectorDefinition<unknown>): string[] {
  const s = def.settings as unknown;
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Resolves `${env:}`/`${file:}` references in every string of a settings object. */
function resolveRefs(value: unknown, where: string, source: SecretSource): unknown {
  if (typeof value === 'string') return resolveRef(value, where, source);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, where, source));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveRefs(v, `${where} key "${k}"`, source)]),
    );
  }
  return value;
}

function collectSecrets(value: unknown, out: string[] = []): string[] {
  if (value instanceof Secret) out.push(value.reveal());
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectSecrets(v, out);
  return out;
}

function loadMapping(
  ref: string | z.infer<typeof mappingSchema> | undefined,
  where: string,
  baseDir: string,
) {
  if (ref === undefined || Array.isArray(ref)) return ref;
  const path = resolve(baseDir, ref);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(
      `${where}: cannot read mapping file ${path} (${(e as Error).message.split('\n')[0]})`,
    );
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssue(`${where} (${path})`, parsed.error.issues[0]!));
  return parsed.data;
}

export interface ParseConfigOptions {
  registry: ConnectorRegistry;
  secrets: SecretSource;
  source?: string;
  /** Directory that relative mapping/CA file paths are read from. */
  baseDir?: string;
}

export function parseConfig(raw: unknown, opts: ParseConfigOptions): Config {
  const source = opts.source ?? 'config';
  const top = z
    .strictObject({ instances: z.record(z.string(), z.record(z.string(), z.unknown())) })
    .safeParse(raw);
  if (!top.success) throw new ConfigError(formatIssue(source, top.error.issues[0]!));
  const instances = new Map<string, InstanceConfig>();
  for (const [name, body] of Object.entries(top.data.instances)) {
    const where = `${source}: instance "${name}"`;
    const common: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) (COMMON_KEYS.has(k) ? common : rest)[k] = v;
    const c = commonSchema.safeParse(common);
    if (!c.success) throw new ConfigError(formatIssue(where, c.error.issues[0]!));
    const def = opts.registry.find((d) => d.brand.toLowerCase() === c.data.brand.toLowerCase());
    if (!def) {
      const brands = opts.registry.map((d) => d.brand).join(', ');
      throw new ConfigError(`${where}: unknown brand "${c.data.brand}" (expected one of: ${brands})`);
    }
    const known = settingKeys(def);
    const unknown = Object.keys(rest).filter((k) => known.length && !known.includes(k));
    if (unknown.length) {
      throw new ConfigError(
        `${where}: unknown key "${unknown.join('", "')}" (${def.brand} settings are: ${known.join(', ')})`,
      );
    }
    const resolved = resolveRefs(rest, where, opts.secrets);
    const s = (def.settings as z.ZodType).safeParse(resolved);
    if (!s.success) {
      const issue = s.error.issues[0]!;
      const key = issue.path[0];
      if (issue.path.length === 1 && typeof key === 'string' && !(key in (resolved as object))) {
        throw new ConfigError(`${where} key "${key}": is required for brand ${def.brand}`);
      }
      throw new ConfigError(formatIssue(where, issue));
    }
    const baseDir = opts.baseDir ?? process.cwd();
    const { brand: _b, mappers, insecure, proxy, caFile, timeoutMs, ...flags } = c.data;
    instances.set(name, {
      name,
      definition: def,
      flags: { ...DEFAULT_FLAGS, ...flags },
      insecure: insecure ?? false,
      proxy: proxy ?? false,
      caFile: caFile ? resolve(baseDir, caFile) : undefined,
      timeoutMs,
      mappers: {
        incoming: loadMapping(mappers?.incoming, `${where} key "mappers.incoming"`, baseDir),
        outgoing: loadMapping(mappers?.outgoing, `${where} key "mappers.outgoing"`, baseDir),
      },
      settings: s.data,
      secrets: collectSecrets(s.data),
    });
  }
  return { source, instances };
}

/** Where the config comes from: --config, else $IAM_CONFIG, else ./iam.yaml, else the embedded default. */
export function locateConfig(
  explicit: string | undefined,
  env: SecretSource['env'],
  cwd: string,
): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  if (env.IAM_CONFIG) return resolve(cwd, env.IAM_CONFIG);
  const local = resolve(cwd, 'iam.yaml');
  return existsSync(local) ? local : undefined;
}

export function loadConfigFile(
  path: string | undefined,
  opts: Omit<ParseConfigOptions, 'source' | 'baseDir'>,
): Config {
  if (!path) return parseConfig(EMBEDDED_DEFAULT, { ...opts, source: 'embedded default' });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `config file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  return parseConfig(raw, { ...opts, source: path, baseDir: dirname(path) });
}
