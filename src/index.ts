// Public library API: named re-exports only.

export type { AuditEntry, AuditLine, AuditOutcome, IntentEntry } from './audit/entry.js';
export type { TrailClientOptions } from './audit/trail.js';
export { readCsv } from './batch/csv.js';
export type {
  BatchCommand,
  BatchEntry,
  BatchError,
  BatchItem,
  BatchOptions,
  BatchResult,
  EscrowPass,
} from './batch/engine.js';
export { BATCH_COMMANDS, runBatch, runBatchEntries } from './batch/engine.js';
export { type InputOptions, readJsonLines } from './batch/jsonl.js';
export { BatchStats, type BatchSummary, formatEscrowPass, formatSummary } from './batch/stats.js';
export type { CallOptions, IamClientOptions, InstanceInfo, TestResult, UserCommandInput } from './client.js';
export { createIamClient, IamClient } from './client.js';
export {
  COMMANDS,
  type CommandEntry,
  type CommandOption,
  type GroupCommandName,
  type UserCommandName,
} from './commands/registry.js';
export { builtInConnectors } from './connectors/registry.js';
export type { Config, ConnectorRegistry, InstanceConfig } from './core/config.js';
export type {
  Account,
  AppObject,
  Capabilities,
  Connector,
  ConnectorContext,
  ConnectorDefinition,
  Group,
  GroupMember,
  LookupKey,
  MemberChange,
} from './core/connector.js';
export { DRY_RUN_REASON, type WriteDescription } from './core/dry-run.js';
export type { IamErrorCode } from './core/errors.js';
export {
  AmbiguousError,
  AppError,
  ConfigError,
  ConflictError,
  IamError,
  InvalidResponseError,
  NotFoundError,
  NotSupportedError,
  RateLimitedError,
  TransportError,
  UsageError,
} from './core/errors.js';
export type { InstanceFlags } from './core/instance.js';
export { mapIncoming, mapOutgoing } from './core/mapping/engine.js';
export type { Mapping, MappingRule } from './core/mapping/types.js';
export type { Profile } from './core/profile.js';
export type { GroupRecord, UserAction, UserResult, VendorRecord } from './core/record.js';
export { Secret, SecretList } from './core/secrets.js';
export { describeSettings, type SettingDoc } from './core/settings-doc.js';
export { type HttpConnectionSettings, httpConnectionSettings } from './http/settings.js';
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './log/logger.js';
