// The shapes of the command registry's entries (registry.ts): what a command declares as data.
import type { GroupScim } from '../core/group-scim.js';
import type { InstanceRuntime } from '../core/instance.js';
import type { Profile } from '../core/profile.js';
import type { GroupRecord, UserAction, UserResult } from '../core/record.js';

/** One CLI option of a command, and the input key it sets. */
export interface CommandOption {
  /** commander's flags, e.g. `--user-profile <json>`. */
  flags: string;
  description: string;
  /** The key of the command's input it sets (a key of `input`'s shape); absent: a printing option. */
  key?: string;
  default?: string;
  choices?: readonly string[];
  /** Names it has in the war-room form (`user-profile=...`), lower case. */
  warRoom?: readonly string[];
  /** Other spellings of the flag (`--memberIdsToAdd`). */
  aliases?: readonly string[];
}

export interface CommandBase<N extends string = string> {
  /** As typed: `get-user`. */
  name: N;
  kind: 'user' | 'group' | 'meta';
  /** Sends changes: audited (intent and outcome), may run as a dry run. */
  write: boolean;
  /** Human title of its records (`Get User`). */
  title: string;
  /** One line of help. */
  about: string;
  /** The arguments of an example call. */
  example: string;
  /** Its name in the SOAR war room (`!iam-get-user`). */
  warRoom: string;
  /** The key its JSON record is printed under (`IAM`, `GetGroup`, `Test`). */
  recordKey: string;
  /**
   * What the library takes (the keys of `UserCommandInput`-like objects), each described. Plain
   * data, not a zod schema: the registry is read at start-up, and zod alone costs `iam --version`
   * about 60 ms (BENCHMARKS.md); `inputSchema()` (input-schema.ts) builds one where it is needed.
   */
  input: InputShape;
  options: readonly CommandOption[];
}

/** One input key of a command: what it is, and whether the command needs it. */
export interface InputKey {
  description: string;
  optional?: boolean;
}
export type InputShape = Readonly<Record<string, InputKey>>;

/** A prepared command: input read and checked (UsageError before anything is sent), ready to run. */
export interface Prepared<R> {
  /** What the audit's intent lines name (never other input values). */
  target: { id?: string | null; username?: string | null; displayName?: string | null };
  run(): Promise<R>;
}

export interface UserCommandEntry<N extends string = string> extends CommandBase<N> {
  kind: 'user';
  /** The audit's and record's action (`get`, `create`...). */
  action: UserAction;
  /** The first-generation JSON key (`--format first-generation`), by the record's action. */
  firstGenKey: string;
  /** Runs over a file of profiles (`iam batch`). */
  batch: boolean;
  /** Takes `--allow-enable`. */
  allowEnable: boolean;
  run(rt: InstanceRuntime, profile: Profile, opts: { allowEnable: boolean }): Promise<UserResult>;
}

export interface GroupCommandEntry<N extends string = string> extends CommandBase<N> {
  kind: 'group';
  action: 'get' | 'create' | 'update' | 'delete';
  prepare(rt: InstanceRuntime, input: Record<string, unknown>): Prepared<GroupRecord> & { scim: GroupScim };
}

export interface MetaCommandEntry<N extends string = string> extends CommandBase<N> {
  kind: 'meta';
}

export type CommandEntry = UserCommandEntry | GroupCommandEntry | MetaCommandEntry;
