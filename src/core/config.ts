// The configuration: `instances: {NAME: {brand, <connector settings>, flags, mappers...}}`, from a YAML
// file or an object. Checked once at load: unknown brand, unknown key, wrong type and missing secret
// each give one line naming the instance and the key.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { RateLimit, RetryPolicy } from '../http/transport.js';
import {
  type LineOf,
  lineText,
  printableName,
  unknownKeyText,
  yamlKeyLines,
  yamlProblem,
} from './config-errors.js';
import type { ConnectorDefinition } from './connector.js';
import { ConfigError } from './errors.js';
import { DEFAULT_FLAGS, type InstanceFlags } from './instance.js';
import { parsePath } from './mapping/path.js';
import type { Mapping } from './mapping/types.js';
import { unsafeJson } from './profile.js';
import {
  envProxySecrets,
  literalSecretKeys,
  resolveRef,
  Secret,
  type SecretSource,
  urlSettingCredentials,
} from './secrets.js';

export type ConnectorRegistry = readonly ConnectorDefinition<unknown>[];

export interface InstanceConfig {
  name: string;
  definition: ConnectorDefinition<unknown>;
  flags: InstanceFlags;
  insecure: boolean;
  proxy: boolean | string;
  caFile: string | undefined;
  timeoutMs: number | undefined;
  /** `rateLimit`: this instance's token bucket (else the connector's default, else none). */
  rateLimit: RateLimit | undefined;
  /** `retry`: overrides of the transport's retry policy (and the core's create budget). */
  retry: Partial<RetryPolicy> | undefined;
  mappers: { incoming?: Mapping; outgoing?: Mapping };
  /** The connector's settings, parsed by its own schema. */
  settings: unknown;
  /** Secret values, for scrubbing wherever text is printed. */
  secrets: string[];
  /** Setting keys holding a secret written literally (not `${env:}`/`${file:}`): checked against file mode. */
  literalSecrets: string[];
}

export interface Config {
  /** Where it came from: a file path, or `embedded default`. */
  source: string;
  instances: Map<string, InstanceConfig>;
  /** Top-level `auditLog`: the audit file (resolved against the config file's directory). */
  auditLog: string | undefined;
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

/** Names the mapping engine reads or writes as keys: these would reach Object.prototype. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const notReserved = (s: string) => !RESERVED_NAMES.has(s.trim().toLowerCase());
const profileField = z.string().min(1).refine(notReserved, { error: 'is not a profile field name' });

/** The app-side path is parsed at load, so a bad one is reported with its instance and key. */
const appPath = z
  .string()
  .min(1)
  .superRefine((path, ctx) => {
    try {
      parsePath(path);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

const ruleSchema = z.strictObject({
  app: appPath,
  profile: z.union([profileField, z.array(profileField).min(1)], {
    error: 'expected a profile field name or a list of them',
  }),
  template: z
    .string()
    .refine((t) => [...t.matchAll(/\{([^}]+)\}/g)].every((m) => notReserved(m[1] ?? '')), {
      error: 'names a field that is not a profile field',
    })
    .optional(),
  with: z
    .record(
      z.string().refine(notReserved, { error: 'is not an attribute name' }),
      z.union([z.string(), z.number(), z.boolean()]),
    )
    .optional(),
  on: z.enum(['create', 'update']).optional(),
  direction: z.enum(['in', 'out']).optional(),
});
const mappingSchema = z.array(ruleSchema);
const mapperSchema = z
  .union([z.string(), mappingSchema], { error: 'expected a mapping file path or a list of rules' })
  .optional();

const commonSchema = z.strictObject({
  brand: z.string({ error: 'expected a brand name' }),
  allowCreate: bool.optional(),
  allowUpdate: bool.optional(),
  allowEnable: bool.optional(),
  allowDisable: bool.optional(),
  createIfNotExists: bool.optional(),
  insecure: bool.optional(),
  proxy: z
    .union([bool, z.url({ protocol: /^https?$/ })], { error: 'expected true, false or a proxy URL' })
    .optional(),
  caFile: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  rateLimit: z
    .strictObject(
      {
        requestsPerSecond: z
          .number({ error: 'expected a positive number' })
          .positive('expected a positive number'),
        burst: z
          .number({ error: 'expected a positive number' })
          .positive('expected a positive number')
          .optional(),
      },
      { error: 'expected {requestsPerSecond, burst}' },
    )
    .optional(),
  retry: z
    .strictObject(
      {
        attempts: z
          .number({ error: 'expected a whole number from 1 to 20' })
          .int('expected a whole number from 1 to 20')
          .min(1, 'expected a whole number from 1 to 20')
          .max(20, 'expected a whole number from 1 to 20')
          .optional(),
        baseDelayMs: z
          .number({ error: 'expected a number of ms' })
          .nonnegative('expected a number of ms')
          .optional(),
        maxDelayMs: z
          .number({ error: 'expected a positive number of ms' })
          .positive('expected a positive number of ms')
          .optional(),
      },
      { error: 'expected {attempts, baseDelayMs, maxDelayMs}' },
    )
    .optional(),
  mappers: z
    .strictObject({
      incoming: mapperSchema,
      outgoing: mapperSchema,
    })
    .optional(),
});
const COMMON_KEYS = new Set(Object.keys(commonSchema.shape));

/**
 * One line for a schema issue. Never the user's text beyond names: an unknown key is named by its
 * line (it may be a mis-indented secret); a key path shows only printable names. `lineAt` gives
 * ` at line N` for a path below `where`.
 */
function formatIssue(
  where: string,
  issue: z.core.$ZodIssue,
  lineAt: (path: readonly PropertyKey[]) => string = () => '',
): string {
  const safe = issue.path.every((p) => typeof p === 'number' || printableName(String(p)));
  const path = safe ? issue.path.map(String).join('.') : '';
  if (issue.code === 'unrecognized_keys') {
    const inside = path ? ` in "${path}"` : '';
    const line = lineAt([...issue.path, issue.keys[0] ?? '']);
    return `${where}: ${unknownKeyText(issue.keys, [], `${inside}${line}`)}`;
  }
  const key = path ? ` key "${path}"` : safe ? '' : ` key${lineAt(issue.path) || ' (not shown)'}`;
  return `${where}${key}: ${issue.message}`;
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

/** The password of a proxy URL (`http://user:pass@host`), decoded and as written. */
function proxySecrets(proxy: unknown): string[] {
  if (typeof proxy !== 'string') return [];
  try {
    const { password } = new URL(proxy);
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}

/** A proxy URL safe to print: its password replaced. */
export function printableProxy(proxy: boolean | string): boolean | string {
  if (typeof proxy !== 'string') return proxy;
  try {
    const u = new URL(proxy);
    if (u.password) u.password = 'REDACTED';
    return u.toString();
  } catch {
    return '[unreadable proxy URL]';
  }
}

function collectSecrets(value: unknown, out: string[] = []): string[] {
  if (value instanceof Secret) out.push(value.reveal());
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectSecrets(v, out);
  return out;
}

/**
 * YAML to a value. Warnings (an unknown tag, a collection as a key) are errors here: the yaml
 * library would otherwise print them to stderr, in several lines, and go on with a guess.
 */
function readYaml(text: string): unknown {
  try {
    const doc = parseDocument(text, { logLevel: 'silent' });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw problem;
    return doc.toJS();
  } catch (e) {
    // Our words with a line and column: the library's quote the source (`Unresolved tag: !SECRET`).
    throw new Error(yamlProblem(e, text));
  }
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
    raw = readYaml(readFileSync(path, 'utf8'));
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
  /** Line of a key path in the file, for messages that must not quote the key. */
  lineOf?: LineOf;
}

export function parseConfig(raw: unknown, opts: ParseConfigOptions): Config {
  const source = opts.source ?? 'config';
  const lineAt = (path: readonly PropertyKey[]) => lineText(opts.lineOf, path);
  // Before any walk: a `__proto__` key would slip past the key checks below, deep nesting overflow them.
  const unsafe = unsafeJson(raw);
  if (unsafe) throw new ConfigError(`${source}: not accepted: ${unsafe}`);
  const top = z
    .strictObject({
      instances: z
        .record(z.string(), z.record(z.string(), z.unknown()))
        .refine((r) => Object.keys(r).length > 0, { error: 'expected at least one instance' }),
      auditLog: z.string().min(1, 'expected a file path').optional(),
    })
    .safeParse(raw);
  if (!top.success) {
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    if (!isObject) throw new ConfigError(`${source}: expected a mapping with an "instances" key`);
    throw new ConfigError(formatIssue(source, top.error.issues[0]!, lineAt));
  }
  const instances = new Map<string, InstanceConfig>();
  for (const [name, body] of Object.entries(top.data.instances)) {
    const where = `${source}: instance "${name}"`;
    const common: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) (COMMON_KEYS.has(k) ? common : rest)[k] = v;
    // A proxy URL may carry a password: it may be a ${env:}/${file:} reference like any secret.
    if (typeof common.proxy === 'string')
      common.proxy = resolveRef(common.proxy, `${where} key "proxy"`, opts.secrets);
    const c = commonSchema.safeParse(common);
    const inInstance = (path: readonly PropertyKey[]) => lineAt(['instances', name, ...path]);
    if (!c.success) throw new ConfigError(formatIssue(where, c.error.issues[0]!, inInstance));
    const def = opts.registry.find((d) => d.brand.toLowerCase() === c.data.brand.toLowerCase());
    if (!def) {
      const brands = opts.registry.map((d) => d.brand).join(', ');
      const guess = unknownKeyText([c.data.brand], brands.split(', '), '').replace(/^unknown key/, '');
      throw new ConfigError(
        `${where}: unknown brand${inInstance(['brand'])}${guess} (expected one of: ${brands})`,
      );
    }
    const known = settingKeys(def);
    const unknown = Object.keys(rest).filter((k) => known.length && !known.includes(k));
    if (unknown.length) {
      const text = unknownKeyText(unknown, [...known, ...COMMON_KEYS], inInstance([unknown[0] ?? '']));
      throw new ConfigError(`${where}: ${text}; ${def.brand} settings are: ${known.join(', ')}`);
    }
    const resolved = resolveRefs(rest, where, opts.secrets);
    const s = (def.settings as z.ZodType).safeParse(resolved);
    if (!s.success) {
      const issue = s.error.issues[0]!;
      const key = issue.path[0];
      if (issue.path.length === 1 && typeof key === 'string' && !(key in (resolved as object))) {
        throw new ConfigError(`${where} key "${key}": is required for brand ${def.brand}`);
      }
      throw new ConfigError(formatIssue(where, issue, inInstance));
    }
    const baseDir = opts.baseDir ?? process.cwd();
    const { brand: _b, mappers, insecure, proxy, caFile, timeoutMs, rateLimit, retry, ...flags } = c.data;
    const caPath = caFile ? resolve(baseDir, caFile) : undefined;
    if (caPath) {
      try {
        accessSync(caPath, constants.R_OK);
      } catch (e) {
        throw new ConfigError(
          `${where} key "caFile": cannot read ${caPath} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    instances.set(name, {
      name,
      definition: def,
      flags: { ...DEFAULT_FLAGS, ...flags },
      insecure: insecure ?? false,
      proxy: proxy ?? false,
      caFile: caPath,
      timeoutMs,
      rateLimit: rateLimit && {
        requestsPerSecond: rateLimit.requestsPerSecond,
        burst: rateLimit.burst ?? Math.max(1, Math.ceil(rateLimit.requestsPerSecond)),
      },
      retry,
      mappers: {
        incoming: loadMapping(mappers?.incoming, `${where} key "mappers.incoming"`, baseDir),
        outgoing: loadMapping(mappers?.outgoing, `${where} key "mappers.outgoing"`, baseDir),
      },
      settings: s.data,
      // Credentials in a URL setting (`https://user:pass@`, `?api_key=`), and in the proxy URL
      // `proxy: true` takes from HTTPS_PROXY/HTTP_PROXY, are secrets like a token.
      secrets: [
        ...collectSecrets(s.data),
        ...proxySecrets(proxy),
        ...urlSettingCredentials(s.data).values,
        ...(proxy === true ? envProxySecrets(opts.secrets.env) : []),
      ],
      literalSecrets: literalSecretKeys(rest, s.data),
    });
  }
  const auditLog = top.data.auditLog;
  return {
    source,
    instances,
    auditLog: auditLog ? resolve(opts.baseDir ?? process.cwd(), auditLog) : undefined,
  };
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
    raw = readYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  return parseConfig(raw, { ...opts, source: path, baseDir: dirname(path), lineOf: yamlKeyLines(text) });
}
