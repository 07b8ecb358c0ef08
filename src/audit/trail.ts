// What every command leaves behind, in one place per client: its correlation id, its debug lines,
// the writes it made (or, in a dry run, would have made) and its audit line. The client runs each
// command's body through `userCommand`/`groupCommand`, which open the audit log before a write
// sends anything (a log that cannot be opened stops it), apply the dry run to the record and audit
// it. Every write request is audited twice: an intent line (written whole before the request is
// sent; if it cannot be, the write is refused) and the command's outcome line when it ends.
// No global state: one trail per IamClient.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { groupCommand, isWriteCommand } from '../commands/registry.js';
import type { Config } from '../core/config.js';
import type { WriteGroupAudit } from '../core/connector.js';
import { dryRunGroup, dryRunVendor, type WriteDescription, type WriteObserver } from '../core/dry-run.js';
import { UsageError } from '../core/errors.js';
import type { GroupRecord, RecordContext, UserResult } from '../core/record.js';
import { redactShared, redactText } from '../core/redact.js';
import { SecretList, secretFileWarnings } from '../core/secrets.js';
import { withWriteControl } from '../http/dry-run.js';
import type { Transport } from '../http/transport.js';
import { createLogger, type Logger, type LogLevel, parseLogLevel } from '../log/logger.js';
import { AuditLog, osActor } from './audit-log.js';
import {
  type AuditContext,
  groupAuditEntry,
  type IntentTarget,
  intentEntry,
  thrownAuditEntry,
  userAuditEntry,
} from './entry.js';

/** Per-command state, carried by the client's AsyncLocalStorage. */
export interface CallState {
  retries: number;
  correlationId: string;
  /** Writes made (or captured in a dry run), redacted. */
  writes: WriteDescription[];
  /** Set when a write command starts: what its intent lines name. */
  target?: IntentTarget;
  /** Who the audit names for this command (an API key's name); default: the client's actor. */
  actor?: string;
}

/** Per-command options a caller of the client may give. */
export interface CallOptions {
  /** The audit's actor for this command only (a server names the API key; default: the client's). */
  actor?: string;
}

export const newCall = (opts: CallOptions = {}): CallState => ({
  retries: 0,
  correlationId: randomUUID(),
  writes: [],
  ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
});

/** The IamClient options this trail reads (IamClientOptions extends it). */
export interface TrailClientOptions {
  /** Debug lines (every HTTP request and answer, redacted) go here; default: a JSON-lines logger on stderr. */
  logger?: Logger;
  /** Level of the default logger: default $IAM_LOG_LEVEL, else `warn`; `debug` logs HTTP. */
  logLevel?: LogLevel;
  /** Where the default logger writes each line (default: stderr, synchronously). */
  logWrite?: (line: string) => void;
  /** Audit log of writes (JSON lines): a path, or false for none. Default: $IAM_AUDIT_LOG, else the config's `auditLog`. */
  auditLog?: string | false;
  /** With no audit path configured, audit to `<dataDir>/audit.log` (the CLI does). */
  defaultAuditLog?: boolean;
  /** Look up as usual but change nothing: writes are reported in the record (`details.dryRun`), not sent. */
  dryRun?: boolean;
  /** Who the audit log names as the actor; default: the OS user. */
  actor?: string;
  /** Warnings that must reach the user every run. */
  onWarning?: (message: string) => void;
}

/** What the client knows once its config is loaded. */
export interface TrailDeps {
  config: Config;
  env: Readonly<Record<string, string | undefined>>;
  /** The current command's state (the client's AsyncLocalStorage). */
  current: () => CallState | undefined;
  /** Used when `defaultAuditLog` is on and nothing else names a path. */
  defaultAuditPath: string | undefined;
}

export class CommandTrail {
  readonly logger: Logger;
  readonly dryRun: boolean;
  readonly audit: AuditLog | undefined;
  readonly #opts: TrailClientOptions;
  readonly #deps: TrailDeps;
  /** Every instance's secrets and those learned at run time: the one list the logger and the audit read. */
  readonly secrets: SecretList;
  readonly #actor: string;

  constructor(opts: TrailClientOptions, deps: TrailDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.dryRun = opts.dryRun === true;
    this.secrets = SecretList.fromValues([
      ...[...deps.config.instances.values()].flatMap((i) => i.secrets),
      ...(deps.config.server?.secrets ?? []),
    ]);
    const level = opts.logLevel ?? parseLogLevel(deps.env.IAM_LOG_LEVEL, 'IAM_LOG_LEVEL');
    this.logger =
      opts.logger ??
      createLogger({
        ...(level ? { level } : {}),
        ...(opts.logWrite ? { write: opts.logWrite } : {}),
        secrets: this.secrets,
        context: () => {
          const call = deps.current();
          return call ? { correlationId: call.correlationId } : {};
        },
      });
    const path =
      opts.auditLog === false
        ? undefined
        : (opts.auditLog ??
          (deps.env.IAM_AUDIT_LOG || undefined) ??
          deps.config.auditLog ??
          deps.defaultAuditPath);
    this.audit = path
      ? new AuditLog(path, {
          secrets: this.secrets,
          ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
        })
      : undefined;
    this.#actor = opts.actor ?? osActor(deps.env);
    this.#warnLooseConfig();
  }

  /** A config file holding literal secrets must not be readable by others: say so on every run. */
  #warnLooseConfig(): void {
    const { config } = this.#deps;
    const { onWarning } = this.#opts;
    // A file path is absolute (locateConfig resolves it); `config` and `embedded default` are not files.
    if (!onWarning || !isAbsolute(config.source) || !existsSync(config.source)) return;
    const literals = [
      ...[...config.instances.values()].flatMap((i) =>
        i.literalSecrets.map((key) => ({ instance: i.name, key })),
      ),
      ...(config.server?.literalSecrets ?? []).map((key) => ({ key })),
    ];
    for (const w of secretFileWarnings(config.source, literals)) onWarning(w);
  }

  /**
   * Told of each write before it is sent: its intent line is written first (a ConfigError, thrown
   * to the sender, refuses the write when it cannot be), then the write is recorded on the command.
   * A dry run sends nothing, so it writes no intent.
   */
  readonly onWrite: WriteObserver = (write) => this.#observe(write, false);

  /** `keep`: the intent line is kept with its group's, to be written before the group commits. */
  #observe(write: WriteDescription, keep: boolean): void {
    const call = this.#deps.current();
    const redacted = redactShared(write, this.secrets);
    if (call?.target && this.audit && !this.dryRun) {
      const ctx = { actor: call.actor ?? this.#actor, correlationId: call.correlationId };
      const entry = intentEntry(redacted, call.target, ctx);
      if (keep) this.audit.queueRequired(entry);
      else this.audit.appendRequired(entry);
    }
    call?.writes.push(redacted);
  }

  /** Group commit (a store committing many commands at once): intents kept, then written together. */
  readonly writeGroup: WriteGroupAudit = {
    queue: (write) => this.#observe(write, true),
    writeIntents: () => this.audit?.writeQueued(),
    gatherOutcomes: () => this.audit?.gather(),
  };

  /** An instance's transport with its writes observed and, in a dry run, captured instead of sent. */
  transport(inner: Transport, baseUrl: string): Transport {
    return withWriteControl(inner, { baseUrl, dryRun: this.dryRun, onWrite: this.onWrite });
  }

  /** Before a write command sends anything: the audit log must be writable (ConfigError if not). */
  beforeWrite(): void {
    this.audit?.open();
  }

  #context(call: CallState): AuditContext {
    return {
      actor: call.actor ?? this.#actor,
      correlationId: call.correlationId,
      dryRun: this.dryRun,
      writes: call.writes,
    };
  }

  #logEnd(command: string, instance: string, outcome: string, call: CallState): void {
    this.logger.debug('command end', { command, instance, outcome, writes: call.writes.length });
  }

  /** A user command: the audit log opened first (writes), the body run, its record finished. */
  async userCommand(
    command: string,
    rt: RecordContext,
    call: CallState,
    fn: () => Promise<UserResult>,
    target: { id?: string | null; username?: string | null } = {},
  ) {
    const write = isWriteCommand(command);
    if (write) {
      this.beforeWrite();
      call.target = { command, instance: rt.instanceName, brand: rt.brand, ...target };
    }
    return this.user(command, rt, await this.track(command, rt, call, write, fn), call, write);
  }

  /** A group command, likewise. */
  async groupCommand(
    command: string,
    rt: RecordContext,
    input: { id?: string; displayName?: string },
    call: CallState,
    fn: () => Promise<GroupRecord>,
  ) {
    const write = isWriteCommand(command);
    if (write) {
      this.beforeWrite();
      const names = { id: input.id ?? null, displayName: input.displayName ?? null };
      call.target = { command, instance: rt.instanceName, brand: rt.brand, ...names };
    }
    return this.group(command, rt, input, await this.track(command, rt, call, write, fn), call);
  }

  /** Applies the dry run to a user record, audits a write, logs the end. */
  user(command: string, rt: RecordContext, result: UserResult, call: CallState, write: boolean): UserResult {
    let vendor = result.vendor;
    if (write && this.dryRun) vendor = dryRunVendor(vendor, call.writes, rt.secrets);
    // IAM.UserProfile echoes the input: a password given for a create must not be printed back.
    const out: UserResult = { vendor, userProfile: redactShared(result.userProfile, rt.secrets) };
    if (write) this.audit?.append(userAuditEntry(command, vendor, result.userProfile, this.#context(call)));
    const outcome = !vendor.success ? 'failed' : vendor.skipped ? 'skipped' : 'success';
    this.#logEnd(command, rt.instanceName, outcome, call);
    return out;
  }

  /** Applies the dry run to a group record, audits a write, logs the end. */
  group(
    command: string,
    rt: RecordContext,
    input: { id?: string; displayName?: string },
    rec: GroupRecord,
    call: CallState,
  ): GroupRecord {
    const write = isWriteCommand(command);
    const creates = groupCommand(command)?.action === 'create';
    const out = write && this.dryRun ? dryRunGroup(rec, call.writes, rt.secrets, creates) : rec;
    if (write) this.audit?.append(groupAuditEntry(command, out, input, this.#context(call)));
    const outcome = !out.success ? 'failed' : out.skipped ? 'skipped' : 'success';
    this.#logEnd(command, rt.instanceName, outcome, call);
    return out;
  }

  /** A command that threw after it may have written: audited as failed (reads and bad usage are not). */
  thrown(command: string, rt: RecordContext, error: unknown, call: CallState, write: boolean): void {
    if (write && !(error instanceof UsageError)) {
      const base = { command, instance: rt.instanceName, brand: rt.brand };
      this.audit?.append(thrownAuditEntry(base, error, this.#context(call)));
    }
    this.#logEnd(command, rt.instanceName, 'failed', call);
  }

  /** Runs a command's body: a debug line at the start; a throw is audited (writes) and logged. */
  async track<T>(
    command: string,
    rt: RecordContext,
    call: CallState,
    write: boolean,
    fn: () => Promise<T>,
  ): Promise<T> {
    this.logger.debug('command start', { command, instance: rt.instanceName, dryRun: this.dryRun });
    try {
      return await fn();
    } catch (e) {
      this.thrown(command, rt, e, call, write);
      throw e;
    }
  }

  /** Known secrets of every instance (in all their forms) replaced by [REDACTED]. */
  redactText(text: string): string {
    return redactText(text, this.secrets);
  }

  close(): void {
    this.audit?.close();
  }
}
