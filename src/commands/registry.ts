// The command registry: every command, once, as data. The CLI (its commands, options and help), the
// war-room parser, batch, the record printer, the audit (does it write?) and the client's dispatch
// all read this list; adding a command is adding one entry here (and its core function).
// It knows no CLI library: options are described as data that the CLI turns into commander options.
import { type GroupScim, parseGroupScim } from '../core/group-scim.js';
import type { InstanceRuntime } from '../core/instance.js';
import { type Profile, parseBoolean, parseIdList } from '../core/profile.js';
import type { GroupRecord, UserAction, UserResult } from '../core/record.js';

// The commands themselves load on first use: `iam --version`, `--help` and a usage error never
// load the core's command chain (start-up time is benchmarked). Each loads once per process.
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load();
    return p;
  };
};
const users = once(() => import('../core/commands/users.js'));
const groups = once(() => import('../core/commands/groups.js'));
const deletes = once(() => import('../core/commands/delete-user.js'));

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

interface CommandBase<N extends string = string> {
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

const userInput: InputShape = {
  userProfile: { description: 'User Profile JSON (or a SCIM User)' },
  scim: { description: 'first-generation input: a SCIM User', optional: true },
  allowEnable: { description: 'enable the account (true/false/yes/no/1/0)', optional: true },
};

const PROFILE: CommandOption = {
  flags: '--user-profile <json>',
  description: 'User Profile JSON (or a SCIM User)',
  key: 'userProfile',
  warRoom: ['user-profile'],
};
const SCIM_USER: CommandOption = {
  flags: '--scim <json>',
  description: 'first-generation input: a SCIM User',
  key: 'scim',
  warRoom: ['scim'],
};
const FORMAT: CommandOption = {
  flags: '--format <format>',
  description: 'json shape',
  choices: ['first-generation'],
};
const ALLOW_ENABLE: CommandOption = {
  flags: '--allow-enable <bool>',
  description: 'enable the account (true/false/yes/no/1/0)',
  key: 'allowEnable',
  default: 'true',
  warRoom: ['allow-enable'],
};

function user<N extends string>(
  name: N,
  e: Pick<UserCommandEntry, 'action' | 'write' | 'about' | 'example' | 'run'> & { allowEnable?: boolean },
): UserCommandEntry<N> {
  const allowEnable = e.allowEnable ?? false;
  const title = `${e.action.charAt(0).toUpperCase()}${e.action.slice(1)} User`;
  return {
    ...e,
    name,
    kind: 'user',
    title,
    warRoom: `iam-${name}`,
    recordKey: 'IAM',
    firstGenKey: title.replace(' ', ''),
    batch: true,
    allowEnable,
    input: userInput,
    options: [PROFILE, SCIM_USER, FORMAT, ...(allowEnable ? [ALLOW_ENABLE] : [])],
  };
}

const groupScimOption = (what: string): CommandOption => ({
  flags: '--scim <json>',
  description: `group SCIM JSON (${what})`,
  key: 'scim',
  warRoom: ['scim'],
});

function group<N extends string>(
  name: N,
  e: Omit<GroupCommandEntry<N>, 'name' | 'kind' | 'title' | 'warRoom' | 'recordKey'>,
): GroupCommandEntry<N> {
  const title = `${e.action.charAt(0).toUpperCase()}${e.action.slice(1)} Group`;
  return { ...e, name, kind: 'group', title, warRoom: `iam-${name}`, recordKey: title.replace(' ', '') };
}

const scimInput = (extra: InputShape = {}): InputShape => ({
  scim: { description: 'group SCIM JSON' },
  ...extra,
});

export const USER_COMMANDS = [
  user('get-user', {
    action: 'get',
    write: false,
    about: 'Get a user by id, username or email.',
    example: `--user-profile '{"username":"jdoe"}'`,
    run: async (rt, profile) => (await users()).getUser(rt, profile),
  }),
  user('create-user', {
    action: 'create',
    write: true,
    allowEnable: true,
    about: 'Create a user (an existing one is updated instead).',
    example: `--user-profile '{"username":"jdoe","email":"jdoe@example.com","givenname":"Jane","surname":"Doe"}'`,
    run: async (rt, profile, opts) => (await users()).createUser(rt, profile, opts),
  }),
  user('update-user', {
    action: 'update',
    write: true,
    allowEnable: true,
    about: 'Update a user (a missing one is created when createIfNotExists is on).',
    example: `--user-profile '{"username":"jdoe","title":"CTO"}'`,
    run: async (rt, profile, opts) => (await users()).updateUser(rt, profile, opts),
  }),
  user('enable-user', {
    action: 'enable',
    write: true,
    about: 'Enable a user (never creates).',
    example: `--user-profile '{"username":"jdoe"}'`,
    run: async (rt, profile) => (await users()).enableUser(rt, profile),
  }),
  user('disable-user', {
    action: 'disable',
    write: true,
    about: 'Disable a user.',
    example: `--user-profile '{"email":"jdoe@example.com"}'`,
    run: async (rt, profile) => (await users()).disableUser(rt, profile),
  }),
  user('delete-user', {
    action: 'delete',
    write: true,
    about: 'Delete a user (off unless the instance sets allowDelete: true).',
    example: `--user-profile '{"username":"jdoe"}'`,
    run: async (rt, profile) => (await deletes()).deleteUser(rt, profile),
  }),
] as const;

const idsOption = (flag: string, alias: string, key: string): CommandOption => ({
  flags: `--${flag} <ids>`,
  description: 'JSON array or comma-separated ids',
  key,
  aliases: [`--${alias}`],
  warRoom: [flag, alias.toLowerCase()],
});

const groupNames = (scim: GroupScim) => ({ id: scim.id ?? null, displayName: scim.displayName ?? null });

export const GROUP_COMMANDS = [
  group('get-group', {
    action: 'get',
    write: false,
    about: 'Get a group by id or displayName.',
    example: `--scim '{"displayName":"Engineering"}' --include-members yes`,
    input: scimInput({ includeMembers: { description: 'include members (true/false)', optional: true } }),
    options: [
      groupScimOption('id or displayName'),
      {
        flags: '--include-members <bool>',
        description: 'include members',
        key: 'includeMembers',
        default: 'false',
        warRoom: ['include-members'],
      },
    ],
    prepare(rt, input) {
      const scim = parseGroupScim(input.scim, 'id-or-displayName');
      const members = parseBoolean(input.includeMembers, 'include-members', false);
      return {
        scim,
        target: groupNames(scim),
        run: async () => (await groups()).getGroup(rt, scim, members),
      };
    },
  }),
  group('create-group', {
    action: 'create',
    write: true,
    about: 'Create an empty group.',
    example: `--scim '{"displayName":"Engineering"}'`,
    input: scimInput(),
    options: [groupScimOption('displayName')],
    prepare(rt, input) {
      const scim = parseGroupScim(input.scim, 'displayName');
      return { scim, target: groupNames(scim), run: async () => (await groups()).createGroup(rt, scim) };
    },
  }),
  group('update-group', {
    action: 'update',
    write: true,
    about: 'Add and/or remove group members (adds first, in batches).',
    example: `--scim '{"id":"GROUP_ID"}' --member-ids-to-add '["USER_ID"]'`,
    input: scimInput({
      memberIdsToAdd: { description: 'member ids to add', optional: true },
      memberIdsToDelete: { description: 'member ids to remove', optional: true },
    }),
    options: [
      groupScimOption('id'),
      idsOption('member-ids-to-add', 'memberIdsToAdd', 'memberIdsToAdd'),
      idsOption('member-ids-to-delete', 'memberIdsToDelete', 'memberIdsToDelete'),
    ],
    prepare(rt, input) {
      const scim = parseGroupScim(input.scim, 'id');
      const add = parseIdList(input.memberIdsToAdd, 'memberIdsToAdd');
      const remove = parseIdList(input.memberIdsToDelete, 'memberIdsToDelete');
      return {
        scim,
        target: groupNames(scim),
        run: async () => (await groups()).updateGroup(rt, scim, add, remove),
      };
    },
  }),
  group('delete-group', {
    action: 'delete',
    write: true,
    about: 'Delete a group.',
    example: `--scim '{"id":"GROUP_ID"}'`,
    input: scimInput(),
    options: [groupScimOption('id')],
    prepare(rt, input) {
      const scim = parseGroupScim(input.scim, 'id');
      return { scim, target: groupNames(scim), run: async () => (await groups()).deleteGroup(rt, scim) };
    },
  }),
] as const;

const meta = <N extends string>(
  name: N,
  e: Pick<MetaCommandEntry, 'about' | 'example' | 'recordKey' | 'title'>,
): MetaCommandEntry<N> => ({
  ...e,
  name,
  kind: 'meta',
  write: false,
  warRoom: `iam-${name}`,
  input: {},
  options: [],
});

export const META_COMMANDS = [
  meta('test', {
    about: 'Check the connection and credentials of an instance.',
    example: '--instance aws',
    recordKey: 'Test',
    title: 'Test',
  }),
  meta('get-mapping-fields', {
    about: 'List the app-side field names a mapper may target.',
    example: '--instance aws',
    recordKey: 'MappingFields',
    title: 'Mapping Fields',
  }),
] as const;

export type UserCommandName = (typeof USER_COMMANDS)[number]['name'];
export type GroupCommandName = (typeof GROUP_COMMANDS)[number]['name'];
export type CommandName = UserCommandName | GroupCommandName | (typeof META_COMMANDS)[number]['name'];

/** Every command, in the order the CLI lists them. */
export const COMMANDS: readonly CommandEntry[] = [...USER_COMMANDS, ...GROUP_COMMANDS, ...META_COMMANDS];

const BY_NAME: ReadonlyMap<string, CommandEntry> = new Map(COMMANDS.map((c) => [c.name, c]));

/** The entry of a command, or undefined. */
export const commandEntry = (name: string): CommandEntry | undefined => BY_NAME.get(name);

/** True when the command sends changes (audited; refused by nothing else). Unknown names are writes. */
export const isWriteCommand = (name: string): boolean => BY_NAME.get(name)?.write ?? true;

export function userCommand(name: string): UserCommandEntry | undefined {
  const e = BY_NAME.get(name);
  return e?.kind === 'user' ? e : undefined;
}

export function groupCommand(name: string): GroupCommandEntry | undefined {
  const e = BY_NAME.get(name);
  return e?.kind === 'group' ? e : undefined;
}
