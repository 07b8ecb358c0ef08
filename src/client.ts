// The library API (a facade): create a client from a config (object or file), call each command on
// an instance, get the typed record back. The CLI is a thin layer over this. No global state: every
// connection, store and cache hangs off the client the caller created. Runtimes are built by
// client/instance-factory.ts; commands (the registry's) are run by client/dispatch.ts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { defaultAuditPath } from './audit/audit-log.js';
import { type CallOptions, type CallState, CommandTrail, type TrailClientOptions } from './audit/trail.js';
import { Dispatcher, type TestResult, type UserCommandInput } from './client/dispatch.js';
import { buildRuntime } from './client/instance-factory.js';
import type { GroupCommandName, UserCommandName } from './commands/registry.js';
import { builtInConnectors } from './connectors/registry.js';
import { type AppSchema, fieldOf, type MappingField } from './core/app-schema.js';
import {
  type Config,
  type ConnectorRegistry,
  type InstanceConfig,
  loadConfigFile,
  locateConfig,
  parseConfig,
  printableProxy,
} from './core/config.js';
import { ConfigError, UsageError } from './core/errors.js';
import type { InstanceFlags, InstanceRuntime } from './core/instance.js';
import { mappingTargetWarnings } from './core/mapping-targets.js';
import type { UserResult } from './core/record.js';
import { processSecretSource, type SecretSource } from './core/secrets.js';
import type { RetryInfo, Transport, TransportOptions } from './http/transport.js';

export type { CallOptions } from './audit/trail.js';
export type { TestResult, UserCommandInput } from './client/dispatch.js';

/** Logging, audit and dry-run options: see TrailClientOptions (audit/trail.ts). */
export interface IamClientOptions extends TrailClientOptions {
  /** A config object (`{instances: {...}}`). Takes precedence over `configPath`. */
  config?: unknown;
  /** A YAML config file. Without `config` or `configPath`: $IAM_CONFIG, ./iam.yaml, then the embedded default. */
  configPath?: string;
  registry?: ConnectorRegistry;
  env?: Readonly<Record<string, string | undefined>>;
  readFile?: SecretSource['readFile'];
  cwd?: string;
  /** Where embedded stores (the Local brand) live by default. */
  dataDir?: string;
  /** Builds HTTP transports; inject to aim at a test peer. */
  transport?: (opts: TransportOptions) => Transport;
  /** Warnings that must reach the user every run (e.g. `insecure: true`). */
  onWarning?: (message: string) => void;
  /** Told of every retry an instance's transport makes (metrics: retries, 429s). */
  onRetry?: (instance: string, info: RetryInfo) => void;
  /** A mapping rule whose target its brand's closed schema lacks is a ConfigError, not a warning. */
  strictMappings?: boolean;
}

/** get-mapping-fields: the names (first form), and each field's type and mutability. */
export interface MappingFieldsResult {
  instanceName: string;
  brand: string;
  fields: readonly string[];
  attributes: readonly MappingField[];
  /** `app`: read from the app; `static`: the connector's declared list. */
  source: 'app' | 'static';
  /** Why the static list stands in, when the app was asked and could not say. */
  details?: string;
}

export interface InstanceInfo {
  name: string;
  brand: string;
  flags: InstanceFlags;
  /** The brand needs no settings and no network (see ConnectorDefinition.offline). */
  offline: boolean;
  insecure: boolean;
  proxy: boolean | string;
}

export class IamClient {
  readonly config: Config;
  readonly #opts: IamClientOptions;
  readonly #runtimes = new Map<string, InstanceRuntime>();
  readonly #secrets: SecretSource;
  /** Per-command state (retries, correlation id, writes), so concurrent commands each keep their own. */
  readonly #calls = new AsyncLocalStorage<CallState>();
  readonly #trail: CommandTrail;
  readonly #dispatch: Dispatcher;

  constructor(opts: IamClientOptions = {}) {
    this.#opts = opts;
    const registry = opts.registry ?? builtInConnectors;
    const env = opts.env ?? process.env;
    this.#secrets = { env, readFile: opts.readFile ?? processSecretSource().readFile };
    this.config =
      opts.config !== undefined
        ? parseConfig(opts.config, { registry, secrets: this.#secrets, source: 'config' })
        : loadConfigFile(locateConfig(opts.configPath, env, opts.cwd ?? process.cwd()), {
            registry,
            secrets: this.#secrets,
          });
    const targets = mappingTargetWarnings(this.config);
    if (targets[0] !== undefined && opts.strictMappings)
      throw new ConfigError(`${targets[0]}; not loaded (--strict)`);
    for (const w of targets) opts.onWarning?.(w);
    this.#trail = new CommandTrail(opts, {
      config: this.config,
      env,
      current: () => this.#calls.getStore(),
      defaultAuditPath: opts.defaultAuditLog ? defaultAuditPath(this.#dataDir()) : undefined,
    });
    this.#dispatch = new Dispatcher(this.#trail, this.#calls);
  }

  #dataDir(): string {
    return this.#opts.dataDir ?? userDataDir(this.#opts.env ?? process.env);
  }

  instances(): InstanceInfo[] {
    return [...this.config.instances.values()].map((i) => ({
      name: i.name,
      brand: i.definition.brand,
      flags: i.flags,
      offline: i.definition.offline === true,
      insecure: i.insecure,
      proxy: printableProxy(i.proxy),
    }));
  }

  #instance(name: string): InstanceConfig {
    const inst = this.config.instances.get(name);
    if (!inst) {
      const known = [...this.config.instances.keys()].join(', ') || 'none';
      throw new UsageError(
        `unknown instance "${name}" (configured in ${this.config.source}: ${known})`,
        'instance',
      );
    }
    return inst;
  }

  /** The runtime of an instance, built on first use (no I/O until a command runs). */
  runtime(name: string): InstanceRuntime {
    const cached = this.#runtimes.get(name);
    if (cached) return cached;
    const inst = this.#instance(name);
    // Its `${env:}`/`${file:}` reference failed at load: this instance's error, only when it is used.
    if (inst.unresolved) throw inst.unresolved;
    const rt = buildRuntime(inst, {
      secrets: this.#secrets,
      dataDir: this.#dataDir(),
      trail: this.#trail,
      current: () => this.#calls.getStore(),
      ...(this.#opts.transport ? { transport: this.#opts.transport } : {}),
      ...(this.#opts.onWarning ? { onWarning: this.#opts.onWarning } : {}),
      ...(this.#opts.onRetry ? { onRetry: this.#opts.onRetry } : {}),
    });
    this.#runtimes.set(name, rt);
    return rt;
  }

  /** Runs one user command of the registry. Bad arguments throw UsageError before anything is sent. */
  user(
    command: UserCommandName,
    instance: string,
    input: UserCommandInput,
    opts?: CallOptions,
  ): Promise<UserResult> {
    return this.#dispatch.user(command, this.runtime(instance), input, opts);
  }

  /** Runs one group command of the registry; `input` holds its input keys (`scim`, `includeMembers`...). */
  group(
    command: GroupCommandName,
    instance: string,
    input: Readonly<Record<string, unknown>>,
    opts?: CallOptions,
  ) {
    return this.#dispatch.group(command, this.runtime(instance), input, opts);
  }

  getUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('get-user', instance, input, opts);
  createUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('create-user', instance, input, opts);
  updateUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('update-user', instance, input, opts);
  enableUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('enable-user', instance, input, opts);
  disableUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('disable-user', instance, input, opts);
  deleteUser = (instance: string, input: UserCommandInput, opts?: CallOptions) =>
    this.user('delete-user', instance, input, opts);

  getGroup = (instance: string, input: { scim: unknown; includeMembers?: unknown }, opts?: CallOptions) =>
    this.group('get-group', instance, input, opts);
  createGroup = (instance: string, input: { scim: unknown }, opts?: CallOptions) =>
    this.group('create-group', instance, input, opts);
  updateGroup = (
    instance: string,
    input: { scim: unknown; memberIdsToAdd?: unknown; memberIdsToDelete?: unknown },
    opts?: CallOptions,
  ) => this.group('update-group', instance, input, opts);
  deleteGroup = (instance: string, input: { scim: unknown }, opts?: CallOptions) =>
    this.group('delete-group', instance, input, opts);

  /** Connection check: ok with what was checked, or a clear reason. */
  test(instance: string, opts?: CallOptions): Promise<TestResult> {
    return this.#dispatch.test(this.runtime(instance), opts);
  }

  /** The audit log's path, when this client audits. */
  get auditLogPath(): string | undefined {
    return this.#trail.audit?.path;
  }

  /** Files on this machine the configured instances write (embedded stores such as Local's). */
  localFiles(): string[] {
    return [...this.config.instances.values()].flatMap(
      (i) => i.definition.localFiles?.(i.settings, this.#dataDir()) ?? [],
    );
  }

  /** The app-side field names the connector declares (no call to the app). */
  declaredMappingFields(instance: string): readonly string[] {
    return this.#instance(instance).definition.mappingFields.map((f) => fieldOf(f).path);
  }

  /**
   * What a mapper may target: what the connector's `schema` operation answers (it may ask the app,
   * whose custom attributes then show), else the connector's declared list. `fields` holds the
   * names (as before), `attributes` each one's type, multi-valuedness and mutability.
   */
  async mappingFields(instance: string): Promise<MappingFieldsResult> {
    const rt = this.runtime(instance);
    const declared = this.#instance(instance).definition.mappingFields;
    const answer = rt.connector.schema ? await rt.connector.schema() : declared;
    const schema: AppSchema = Array.isArray(answer)
      ? { fields: answer, source: rt.connector.schema ? 'app' : 'static' }
      : (answer as AppSchema);
    const attributes = schema.fields.map(fieldOf);
    return {
      instanceName: instance,
      brand: rt.brand,
      fields: attributes.map((f) => f.path),
      attributes,
      source: schema.source,
      ...(schema.note ? { details: schema.note } : {}),
    };
  }

  async close(): Promise<void> {
    const all = [...this.#runtimes.values()];
    this.#runtimes.clear();
    await Promise.allSettled(all.map((rt) => rt.connector.close()));
    this.#trail.close();
  }

  /** Known secrets of every instance replaced by [REDACTED] (for messages printed outside records). */
  redactText(text: string): string {
    return this.#trail.redactText(text);
  }
}

/**
 * The per-user data directory, from the client's own environment (env-paths reads the process's,
 * so a client given `env` with another HOME would still have written to the real one).
 */
function userDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const name = 'iam-commands';
  if (process.platform === 'darwin' && env.HOME)
    return join(env.HOME, 'Library', 'Application Support', name);
  if (process.platform !== 'win32' && env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, name);
  if (process.platform !== 'win32' && env.HOME) return join(env.HOME, '.local', 'share', name);
  return envPaths(name, { suffix: '' }).data;
}

export function createIamClient(opts: IamClientOptions = {}): IamClient {
  return new IamClient(opts);
}
