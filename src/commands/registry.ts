// The command registry: every command, once, as data. The CLI (its commands, options and help), the
// war-room parser, batch, the record printer, the audit (does it write?) and the client's dispatch
// all read this list; adding a command is adding one entry here (and its core function).
// It knows no CLI library: options are described as data that the CLI turns into commander options.
import { GROUP_COMMANDS } from './group-commands.js';
import type {
  CommandEntry,
  CommandOption,
  GroupCommandEntry,
  InputShape,
  MetaCommandEntry,
  UserCommandEntry,
} from './types.js';

export { GROUP_COMMANDS } from './group-commands.js';
export type * from './types.js';

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
const deletes = once(() => import('../core/commands/delete-user.js'));

const userInput: InputShape = {
  userProfile: { description: 'User Profile JSON (or a SCIM User)' },
  scim: { description: 'first-generation input: a SCIM User', optional: true },
  allowEnable: { description: 'enable the account (true/false/yes/no/1/0)', optional: true },
  strict: {
    description: 'refuse a profile key that is neither a User Profile field nor mapped (true/false)',
    optional: true,
  },
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
const PROFILE_KEYS: CommandOption = {
  flags: '--profile-keys <form>',
  description: 'IAM.UserProfile keys: cli (email, givenname) or display (Email, Given Name)',
  choices: ['cli', 'display'],
};
const STRICT: CommandOption = {
  flags: '--strict',
  description:
    'refuse (exit 2, nothing sent) a profile key that is neither a User Profile field nor used by the mapping, or a mapping rule whose target the brand does not have; without it, a warning',
  key: 'strict',
  warRoom: ['strict'],
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
    options: [PROFILE, SCIM_USER, FORMAT, PROFILE_KEYS, STRICT, ...(allowEnable ? [ALLOW_ENABLE] : [])],
  };
}

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
