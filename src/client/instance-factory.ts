// The instance factory: one configured instance -> the runtime its commands run on (connector,
// transports, mapping, flags, the core's retry budget). Two transports come from the same factory
// with the instance's TLS, proxy, timeout, retry and debug log: the API transport, wrapped in the
// dry-run/audit write layer, and the token transport, without it (a token request is not a write:
// a dry run sends it, the audit never lists it). A secret learned at run time (`onSecret`, a
// fetched access token) joins the instance's list (records) and the client's (logger, audit).
import { setTimeout as delay } from 'node:timers/promises';
import type { CallState, CommandTrail } from '../audit/trail.js';
import type { InstanceConfig } from '../core/config.js';
import type { ConnectorContext } from '../core/connector.js';
import { ConfigError } from '../core/errors.js';
import type { InstanceRuntime } from '../core/instance.js';
import { type Secret, SecretList, type SecretSource, urlSettingCredentials } from '../core/secrets.js';
import { backoffDelay } from '../http/retry.js';
import type { RetryInfo, RetryPolicy, Transport, TransportOptions } from '../http/transport.js';
import { createHttpTransport, defaultTransportOptions } from '../http/undici-transport.js';
import { scimUserMapping } from '../scim/mapping.js';

export interface FactoryDeps {
  secrets: SecretSource;
  dataDir: string;
  trail: CommandTrail;
  /** The current command's state (retries are counted on it). */
  current: () => CallState | undefined;
  /** Builds HTTP transports; default: undici. */
  transport?: (opts: TransportOptions) => Transport;
  onWarning?: (message: string) => void;
  onRetry?: (instance: string, info: RetryInfo) => void;
}

/** The instance's `retry` setting over the defaults. */
export function retryPolicy(inst: InstanceConfig): RetryPolicy {
  const set = Object.entries(inst.retry ?? {}).filter(([, v]) => v !== undefined);
  return { ...defaultTransportOptions.retry, ...Object.fromEntries(set) };
}

/** Builds the runtime of one instance. No I/O: connectors connect on first use. */
export function buildRuntime(inst: InstanceConfig, deps: FactoryDeps): InstanceRuntime {
  const name = inst.name;
  const def = inst.definition;
  const { trail } = deps;
  if (inst.insecure)
    deps.onWarning?.(`instance "${name}": TLS certificates are not verified (insecure: true)`);
  // A batch may hit the same app behaviour thousands of times: each warning once per instance.
  const warned = new Set<string>();
  const onWarning = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    deps.onWarning?.(`instance "${name}": ${message}`);
  };
  for (const key of urlSettingCredentials(inst.settings).keys) {
    deps.onWarning?.(
      `instance "${name}": ${key} carries credentials (user:password@ or a secret query parameter); ` +
        `they are redacted from all output, but put them in the token setting or \${env:NAME} instead`,
    );
  }
  const makeTransport = deps.transport ?? createHttpTransport;
  // One counter per command (AsyncLocalStorage): transport retries and the core's own retries.
  const countRetry = () => {
    const call = deps.current();
    if (call) call.retries += 1;
  };
  const retry = retryPolicy(inst);
  const build = ({
    baseUrl,
    headers,
    rateLimited,
  }: Pick<TransportOptions, 'baseUrl' | 'headers' | 'rateLimited'>): Transport =>
    makeTransport({
      ...defaultTransportOptions,
      baseUrl,
      headers,
      ...(rateLimited ? { rateLimited } : {}),
      insecure: inst.insecure,
      proxy: inst.proxy,
      caFile: inst.caFile,
      timeoutMs: inst.timeoutMs ?? defaultTransportOptions.timeoutMs,
      retry,
      rateLimit: inst.rateLimit ?? def.capabilities.rateLimit,
      onRetry: (info: RetryInfo) => {
        countRetry();
        deps.onRetry?.(name, info);
      },
      logger: trail.logger,
    });
  // The core's own retries (a create re-sent) follow the transport's policy and pace.
  let transportRetry: Transport['retry'];
  let usesTransport = false;
  const secrets = SecretList.fromValues(inst.secrets);
  const ctx: ConnectorContext = {
    instanceName: name,
    secrets: deps.secrets,
    dataDir: deps.dataDir,
    caFile: inst.caFile,
    // The live list: a token fetched later is hidden from the connector's own messages too.
    secretValues: secrets,
    dryRun: trail.dryRun,
    onWrite: trail.onWrite,
    writeGroup: trail.writeGroup,
    onWarning,
    // Writes are observed (audit) and, in a dry run, captured around whatever transport is built.
    transport: (opts) => {
      usesTransport = true;
      const inner = build(opts);
      transportRetry ??= inner.retry;
      return trail.transport(inner, opts.baseUrl);
    },
    tokenTransport: build,
    onSecret: (secret: Secret) => {
      const value = secret.reveal();
      secrets.add(value);
      trail.secrets.add(value);
    },
  };
  const rt: InstanceRuntime = {
    brand: def.brand,
    instanceName: name,
    secrets,
    flags: inst.flags,
    capabilities: def.capabilities,
    mapping: {
      outgoing: inst.mappers.outgoing ?? def.mapping,
      incoming: inst.mappers.incoming ?? inst.mappers.outgoing ?? def.mapping,
    },
    scimInputMapping: scimUserMapping,
    connector: def.create(inst.settings, ctx),
    warn: onWarning,
    retry: {
      get attempts() {
        return (transportRetry?.policy ?? retry).attempts;
      },
      beforeRetry: async (n) => {
        countRetry();
        await (transportRetry ? transportRetry.wait(n) : delay(backoffDelay(n, retry, Math.random)));
      },
    },
  };
  if (trail.dryRun && !usesTransport && !def.nativeDryRun) {
    void rt.connector.close();
    throw new ConfigError(`instance "${name}": brand ${def.brand} cannot do a dry run (--dry-run)`);
  }
  return rt;
}
