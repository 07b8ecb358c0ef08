// The library API: create a client from a config (object or file), call each command on an
// instance, get the typed record back. The CLI is a thin layer over this. No global state: every
// connection, store and cache hangs off the client the caller created.
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { defaultAuditPath } from './audit/audit-log.js';
import { type CallState, CommandTrail, newCall, type TrailClientOptions } from './audit/trail.js';
import { buildRuntime } from './client/instance-factory.js';
import {
  type GroupCommandName,
  groupCommand,
  type UserCommandName,
  userCommand,
} from './commands/registry.js';
import { builtInConnectors } from './connectors/registry.js';
import type { GroupScim } from './core/commands/groups.js';
import {
  type Config,
  type ConnectorRegistry,
  type InstanceConfig,
  loadConfigFile,
  locateConfig,
  parseConfig,
  printableProxy,
} from './core/config.js';
import { UsageError } from './core/errors.js';
import type { InstanceFlags, InstanceRuntime } from './core/instance.js';
import { parseBoolean, parseUserProfile } from './core/profile.js';
import { cleanMessage, type GroupRecord, type UserResult } from './core/record.js';
import { processSecretSource, type SecretSource } from './core/secrets.js';
import type { Transport, TransportOptions } from './http/transport.js';

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
}

export interface UserCommandInput {
  /** A User Profile object or JSON text, or a SCIM User. */
  userProfile?: unknown;
  /** First-generation input: a SCIM User (used when userProfile is absent). */
  scim?: unknown;
  allowEnable?: unknown;
}

export interface InstanceInfo {
  name: string;
  brand: string;
  flags: InstanceFlags;
  insecure: boolean;
  proxy: boolean | string;
}

export interface TestResult {
  instanceName: string;
  brand: string;
  success: boolean;
  message: string;
}

export class IamClient {
  readonly config: Config;
  readonly #opts: IamClientOptions;
  readonly #runtimes = new Map<string, InstanceRuntime>();
  readonly #secrets: SecretSource;
  /** Per-command state (retries, correlation id, writes), so concurrent commands each keep their own. */
  readonly #calls = new AsyncLocalStorage<CallState>();
  readonly #trail: CommandTrail;

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
    this.#trail = new CommandTrail(opts, {
      config: this.config,
      env,
      current: () => this.#calls.getStore(),
      defaultAuditPath: opts.defaultAuditLog ? defaultAuditPath(this.#dataDir()) : undefined,
    });
  }

  #dataDir(): string {
    return this.#opts.dataDir ?? userDataDir(this.#opts.env ?? process.env);
  }

  instances(): InstanceInfo[] {
    return [...this.config.instances.values()].map((i) => ({
      name: i.name,
      brand: i.definition.brand,
      flags: i.flags,
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
    });
    this.#runtimes.set(name, rt);
    return rt;
  }

  /** Runs one user command (a registry entry). Bad arguments throw UsageError before anything is sent. */
  async user(command: UserCommandName, instance: string, input: UserCommandInput): Promise<UserResult> {
    const entry = userCommand(command);
    if (!entry) throw new UsageError(`unknown user command "${command}"`, 'command');
    const rt = this.runtime(instance);
    const arg = input.userProfile ?? input.scim;
    if (arg === undefined) throw new UsageError(`${command}: user-profile is required`, 'user-profile');
    const field = input.userProfile !== undefined ? 'user-profile' : 'scim';
    const profile = parseUserProfile(arg, rt.scimInputMapping, field);
    const opts = { allowEnable: parseBoolean(input.allowEnable, 'allow-enable', true) };
    // The intent lines name the account before anything is sent (never other profile values).
    const target = { id: textOf(profile.id), username: textOf(profile.username) };
    const { result, retries } = await this.#counted((call) =>
      this.#trail.userCommand(command, rt, call, () => entry.run(rt, profile, opts), target),
    );
    if (retries > 0) result.vendor.details = withRetries(result.vendor.details, retries);
    return result;
  }

  /** Runs one group command (a registry entry); `input` holds its input keys (`scim`, `includeMembers`...). */
  async group(
    command: GroupCommandName,
    instance: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<GroupRecord> {
    const entry = groupCommand(command);
    if (!entry) throw new UsageError(`unknown group command "${command}"`, 'command');
    const rt = this.runtime(instance);
    const prepared = entry.prepare(rt, input);
    return this.#group(command, rt, prepared.scim, prepared.run);
  }

  /** Runs one command with its own state: retry counter, correlation id, writes. */
  async #counted<T>(fn: (call: CallState) => Promise<T>): Promise<{ result: T; retries: number }> {
    const call = newCall();
    const result = await this.#calls.run(call, () => fn(call));
    return { result, retries: call.retries };
  }

  async #group(
    command: GroupCommandName,
    rt: InstanceRuntime,
    scim: GroupScim,
    fn: () => Promise<GroupRecord>,
  ): Promise<GroupRecord> {
    const { result, retries } = await this.#counted((call) =>
      this.#trail.groupCommand(command, rt, scim, call, fn),
    );
    if (retries > 0) result.details = withRetries(result.details, retries);
    return result;
  }

  getUser = (instance: string, input: UserCommandInput) => this.user('get-user', instance, input);
  createUser = (instance: string, input: UserCommandInput) => this.user('create-user', instance, input);
  updateUser = (instance: string, input: UserCommandInput) => this.user('update-user', instance, input);
  enableUser = (instance: string, input: UserCommandInput) => this.user('enable-user', instance, input);
  disableUser = (instance: string, input: UserCommandInput) => this.user('disable-user', instance, input);

  getGroup = (instance: string, input: { scim: unknown; includeMembers?: unknown }) =>
    this.group('get-group', instance, input);
  createGroup = (instance: string, input: { scim: unknown }) => this.group('create-group', instance, input);
  updateGroup = (
    instance: string,
    input: { scim: unknown; memberIdsToAdd?: unknown; memberIdsToDelete?: unknown },
  ) => this.group('update-group', instance, input);
  deleteGroup = (instance: string, input: { scim: unknown }) => this.group('delete-group', instance, input);

  /** Connection check: ok with what was checked, or a clear reason. */
  async test(instance: string): Promise<TestResult> {
    const rt = this.runtime(instance);
    const check = async (): Promise<TestResult> => {
      try {
        const message = await rt.connector.test();
        return { instanceName: instance, brand: rt.brand, success: true, message };
      } catch (e) {
        const message = cleanMessage(e instanceof Error ? e.message : String(e), rt.secrets);
        return { instanceName: instance, brand: rt.brand, success: false, message };
      }
    };
    // Its own correlation id too, so its debug lines can be told apart.
    return (await this.#counted((call) => this.#trail.track('test', rt, call, false, check))).result;
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

  /** The app-side field names a mapper may target. */
  mappingFields(instance: string): { instanceName: string; brand: string; fields: readonly string[] } {
    const def = this.#instance(instance).definition;
    return { instanceName: instance, brand: def.brand, fields: def.mappingFields };
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

const textOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Retries are counted in the record's details (`retries`), so nothing that happened is hidden. */
function withRetries(details: unknown, retries: number): unknown {
  if (details && typeof details === 'object' && !Array.isArray(details)) return { ...details, retries };
  return { value: details, retries };
}

export function createIamClient(opts: IamClientOptions = {}): IamClient {
  return new IamClient(opts);
}
