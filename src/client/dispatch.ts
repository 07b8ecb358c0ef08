// Command dispatch: one registry entry run on one instance runtime, with its own state (retry
// counter, correlation id, writes) through the command trail (debug lines, dry run, audit). The
// client's facade (client.ts) finds the runtime; this runs the command on it.
import type { AsyncLocalStorage } from 'node:async_hooks';
import { type CallOptions, type CallState, type CommandTrail, newCall } from '../audit/trail.js';
import {
  type GroupCommandName,
  groupCommand,
  type UserCommandName,
  userCommand,
} from '../commands/registry.js';
import { NotSupportedError, UsageError } from '../core/errors.js';
import type { InstanceRuntime } from '../core/instance.js';
import { parseBoolean, parseUserProfile } from '../core/profile.js';
import { unknownProfileKeys } from '../core/profile-fields.js';
import { cleanMessage, type GroupRecord, type UserResult } from '../core/record.js';
import { unsupported } from '../core/supports.js';

export interface UserCommandInput {
  /** A User Profile object or JSON text, or a SCIM User. */
  userProfile?: unknown;
  /** First-generation input: a SCIM User (used when userProfile is absent). */
  scim?: unknown;
  allowEnable?: unknown;
  /** true: a profile key that is neither a User Profile field nor mapped is a UsageError; else a warning. */
  strict?: unknown;
}

export interface TestResult {
  instanceName: string;
  brand: string;
  success: boolean;
  message: string;
}

const textOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Retries are counted in the record's details (`retries`), so nothing that happened is hidden. */
function withRetries(details: unknown, retries: number): unknown {
  if (details && typeof details === 'object' && !Array.isArray(details)) return { ...details, retries };
  return { value: details, retries };
}

export class Dispatcher {
  readonly #trail: CommandTrail;
  readonly #calls: AsyncLocalStorage<CallState>;

  constructor(trail: CommandTrail, calls: AsyncLocalStorage<CallState>) {
    this.#trail = trail;
    this.#calls = calls;
  }

  /** Runs one command with its own state: retry counter, correlation id, writes. */
  async #counted<T>(
    fn: (call: CallState) => Promise<T>,
    opts: CallOptions,
  ): Promise<{ result: T; retries: number }> {
    const call = newCall(opts);
    const result = await this.#calls.run(call, () => fn(call));
    return { result, retries: call.retries };
  }

  /** A user command of the registry. Bad arguments throw UsageError before anything is sent. */
  async user(
    command: UserCommandName,
    rt: InstanceRuntime,
    input: UserCommandInput,
    opts: CallOptions = {},
  ): Promise<UserResult> {
    const entry = userCommand(command);
    if (!entry) throw new UsageError(`unknown user command "${command}"`, 'command');
    const arg = input.userProfile ?? input.scim;
    if (arg === undefined) throw new UsageError(`${command}: user-profile is required`, 'user-profile');
    const field = input.userProfile !== undefined ? 'user-profile' : 'scim';
    const profile = parseUserProfile(arg, rt.scimInputMapping, field);
    const unknown = unknownProfileKeys(profile, rt.mapping.outgoing);
    if (unknown[0] !== undefined) {
      if (parseBoolean(input.strict, 'strict', false))
        throw new UsageError(`${unknown[0]}; not sent (--strict)`, field);
      for (const message of unknown) rt.warn?.(`${message}; it is not sent`);
    }
    const run = { allowEnable: parseBoolean(input.allowEnable, 'allow-enable', true) };
    // The intent lines name the account before anything is sent (never other profile values).
    const target = { id: textOf(profile.id), username: textOf(profile.username) };
    const { result, retries } = await this.#counted(
      (call) => this.#trail.userCommand(command, rt, call, () => entry.run(rt, profile, run), target),
      opts,
    );
    if (retries > 0) result.vendor.details = withRetries(result.vendor.details, retries);
    return result;
  }

  /** A group command of the registry; `input` holds its input keys (`scim`, `includeMembers`...). */
  async group(
    command: GroupCommandName,
    rt: InstanceRuntime,
    input: Readonly<Record<string, unknown>>,
    opts: CallOptions = {},
  ): Promise<GroupRecord> {
    const entry = groupCommand(command);
    if (!entry) throw new UsageError(`unknown group command "${command}"`, 'command');
    const prepared = entry.prepare(rt, input);
    const { result, retries } = await this.#counted(
      (call) => this.#trail.groupCommand(command, rt, prepared.scim, call, prepared.run),
      opts,
    );
    if (retries > 0) result.details = withRetries(result.details, retries);
    return result;
  }

  /** Connection check: ok with what was checked, or a clear reason. */
  async test(rt: InstanceRuntime, opts: CallOptions = {}): Promise<TestResult> {
    const base = { instanceName: rt.instanceName, brand: rt.brand };
    const check = async (): Promise<TestResult> => {
      try {
        if (!rt.connector.test) throw new NotSupportedError(unsupported(rt.brand, 'test'));
        // It may name the endpoint, whose URL may carry credentials.
        return { ...base, success: true, message: cleanMessage(await rt.connector.test(), rt.secrets) };
      } catch (e) {
        const message = cleanMessage(e instanceof Error ? e.message : String(e), rt.secrets);
        return { ...base, success: false, message };
      }
    };
    // Its own correlation id too, so its debug lines can be told apart.
    return (await this.#counted((call) => this.#trail.track('test', rt, call, false, check), opts)).result;
  }
}
