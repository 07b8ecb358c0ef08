// The configuration: `instances: {NAME: {brand, <connector settings>, flags, mappers...}}`, from a YAML
// file or an object. Its shape is checked once at load, for the whole file: unknown brand, unknown
// key, wrong type or range each give one line naming the instance and the key. `${env:}`/`${file:}`
// references are resolved per instance (config-refs.ts): one that fails is reported when (and only
// when) that instance is used. The shape is in config-schema.ts.
import { closeSync, constants, existsSync, fstatSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { connectionOf } from '../http/settings.js';
import type { RateLimit, RetryPolicy } from '../http/transport.js';
import { type LineOf, lineText, unknownKeyText, yamlKeyLines, yamlProblem } from './config-errors.js';
import { type ParsedSettings, parseSettings, proxySecrets, UnresolvedReferenceError } from './config-refs.js';
import { COMMON_KEYS, commonSchema, formatIssue, settingKeys, topSchema } from './config-schema.js';
import { parseServer, type ServerConfig } from './config-server.js';
import type { ConnectorDefinition } from './connector.js';
import { ConfigError } from './errors.js';
import { DEFAULT_FLAGS, type InstanceFlags } from './instance.js';
import { loadMappers } from './mapping/load.js';
import type { Mapping } from './mapping/types.js';
import { unsafeJson } from './profile.js';
import { CappedReadError, FILE_CAPS, formatBytes, readCappedFile } from './read-capped.js';
import { envProxySecrets, type SecretSource, urlSettingCredentials } from './secrets.js';

export { printableProxy } from './config-refs.js';

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
  /**
   * A `${env:}`/`${file:}` reference of this instance that could not be resolved at load (settings,
   * secrets and proxy are then empty): thrown when the instance is used, never for another one.
   */
  unresolved: ConfigError | undefined;
}

export interface Config {
  /** Where it came from: a file path, or `embedded default`. */
  source: string;
  instances: Map<string, InstanceConfig>;
  /** Top-level `auditLog`: the audit file (resolved against the config file's directory). */
  auditLog: string | undefined;
  /** `server:` (iam serve, iam mcp), when the file has one. */
  server?: ServerConfig | undefined;
}

/**
 * Without a config file: one instance `local` of the registry's offline brand (a connector that
 * needs no settings and no network declares `offline`), so every command can be tried at once.
 */
export function embeddedDefault(registry: ConnectorRegistry): {
  instances: Record<string, { brand: string }>;
} {
  const offline = registry.find((d) => d.offline);
  return { instances: offline ? { local: { brand: offline.brand } } : {} };
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

/** `(reason)` for a file that could not be read, with the cap when it was too large. */
function readFailure(e: unknown, what: string): string {
  const reason = e instanceof CappedReadError ? e.code : (e as Error).message.split('\n')[0];
  return reason?.startsWith('larger than') ? `${reason}, the limit for ${what}` : (reason ?? 'error');
}

/** caFile is read when a connection is built; at load only that it is a readable, bounded regular file. */
function checkCaFile(path: string, where: string): void {
  let reason: string | undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) reason = 'not a regular file';
    else if (st.size > FILE_CAPS.caFile)
      reason = `larger than ${formatBytes(FILE_CAPS.caFile)}, the limit for a caFile`;
  } catch (e) {
    reason = (e as NodeJS.ErrnoException).code ?? 'error';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (reason) throw new ConfigError(`${where} key "caFile": cannot read ${path} (${reason})`);
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

/** Its common keys, then its connector settings; throws ConfigError for a wrong shape. */
function parseInstance(
  name: string,
  body: Record<string, unknown>,
  where: string,
  opts: ParseConfigOptions,
): InstanceConfig {
  const common: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) (COMMON_KEYS.has(k) ? common : rest)[k] = v;
  let unresolved: ConfigError | undefined;
  const held = (e: unknown) => {
    if (!(e instanceof UnresolvedReferenceError)) throw e;
    unresolved ??= e;
  };
  const c = commonSchema.safeParse(common);
  const inInstance = (path: readonly PropertyKey[]) => lineText(opts.lineOf, ['instances', name, ...path]);
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
    const ours = opts.registry.flatMap(settingKeys);
    const text = unknownKeyText(unknown, [...known, ...COMMON_KEYS], inInstance([unknown[0] ?? '']), ours);
    throw new ConfigError(`${where}: ${text}; ${def.brand} settings are: ${known.join(', ')}`);
  }
  let parsed: ParsedSettings = { settings: undefined, secrets: [], literalSecrets: [] };
  try {
    parsed = parseSettings(def, rest, where, opts.secrets, inInstance);
  } catch (e) {
    held(e);
  }
  const baseDir = opts.baseDir ?? process.cwd();
  const { brand: _b, mappers, ...flags } = c.data;
  // The connector's connection settings (a brand that composes none has none).
  const { insecure, proxy, caFile, timeoutMs, rateLimit, retry } = connectionOf(parsed.settings);
  const caPath = caFile ? resolve(baseDir, caFile) : undefined;
  if (caPath) checkCaFile(caPath, where);
  return {
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
    mappers: loadMappers(mappers, {
      where,
      source: opts.source ?? 'config',
      instance: name,
      baseDir,
      lineOf: opts.lineOf,
    }),
    settings: parsed.settings,
    // Credentials in a URL setting (`https://user:pass@`, `?api_key=`), and in the proxy URL
    // `proxy: true` takes from HTTPS_PROXY/HTTP_PROXY, are secrets like a token.
    secrets: [
      ...parsed.secrets,
      ...proxySecrets(proxy),
      ...urlSettingCredentials(parsed.settings).values,
      ...(proxy === true ? envProxySecrets(opts.secrets.env) : []),
    ],
    literalSecrets: parsed.literalSecrets,
    unresolved,
  };
}

export function parseConfig(raw: unknown, opts: ParseConfigOptions): Config {
  const source = opts.source ?? 'config';
  const lineAt = (path: readonly PropertyKey[]) => lineText(opts.lineOf, path);
  // Before any walk: a `__proto__` key would slip past the key checks below, deep nesting overflow them.
  const unsafe = unsafeJson(raw);
  if (unsafe) throw new ConfigError(`${source}: not accepted: ${unsafe}`);
  const top = topSchema.safeParse(raw);
  if (!top.success) {
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    if (!isObject) throw new ConfigError(`${source}: expected a mapping with an "instances" key`);
    throw new ConfigError(formatIssue(source, top.error.issues[0]!, lineAt));
  }
  const instances = new Map<string, InstanceConfig>();
  for (const [name, body] of Object.entries(top.data.instances)) {
    instances.set(name, parseInstance(name, body, `${source}: instance "${name}"`, opts));
  }
  const auditLog = top.data.auditLog;
  const server = parseServer(top.data.server, new Set(instances.keys()), source, opts.secrets);
  return {
    source,
    instances,
    auditLog: auditLog ? resolve(opts.baseDir ?? process.cwd(), auditLog) : undefined,
    ...(server ? { server } : {}),
  };
}

/** Where the config comes from: --config, else $IAM_CONFIG, else ./iam.yaml, else the embedded default. */
/** Where a config is read from, and why that one: the order `locateConfig` follows. */
export type ConfigOrigin = '--config' | 'IAM_CONFIG' | './iam.yaml' | 'user config' | 'embedded default';

/** The per-user config: `$XDG_CONFIG_HOME/iam/config.yaml`, else `~/.config/iam/config.yaml`. */
export function userConfigPath(env: SecretSource['env']): string | undefined {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : env.APPDATA);
  return base ? join(base, 'iam', 'config.yaml') : undefined;
}

/**
 * The config file to read: `--config`, else `$IAM_CONFIG`, else `./iam.yaml`, else the per-user
 * config when it exists; undefined means the embedded default.
 */
export function findConfig(
  explicit: string | undefined,
  env: SecretSource['env'],
  cwd: string,
): { path: string | undefined; origin: ConfigOrigin } {
  if (explicit) return { path: resolve(cwd, explicit), origin: '--config' };
  if (env.IAM_CONFIG) return { path: resolve(cwd, env.IAM_CONFIG), origin: 'IAM_CONFIG' };
  const local = resolve(cwd, 'iam.yaml');
  if (existsSync(local)) return { path: local, origin: './iam.yaml' };
  const user = userConfigPath(env);
  if (user && existsSync(user)) return { path: user, origin: 'user config' };
  return { path: undefined, origin: 'embedded default' };
}

export function locateConfig(
  explicit: string | undefined,
  env: SecretSource['env'],
  cwd: string,
): string | undefined {
  return findConfig(explicit, env, cwd).path;
}

export function loadConfigFile(
  path: string | undefined,
  opts: Omit<ParseConfigOptions, 'source' | 'baseDir'>,
): Config {
  if (!path) return parseConfig(embeddedDefault(opts.registry), { ...opts, source: 'embedded default' });
  let text: string;
  try {
    // Bounded, and only a regular file: `--config /dev/zero` once grew memory without end, and a
    // FIFO (or /dev/stdin) would block or be consumed; neither is a config file.
    text = readCappedFile(path, FILE_CAPS.config);
  } catch (e) {
    throw new ConfigError(`config file ${path}: cannot read it (${readFailure(e, 'a config file')})`);
  }
  let raw: unknown;
  try {
    raw = readYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  return parseConfig(raw, { ...opts, source: path, baseDir: dirname(path), lineOf: yamlKeyLines(text) });
}
