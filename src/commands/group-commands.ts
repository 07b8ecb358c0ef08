// The group commands of the registry (spec section 7), as data: input, options, and how each
// prepares its run. The core's group commands load on first use.
import { type GroupScim, parseGroupScim } from '../core/group-scim.js';
import { parseBoolean, parseIdList } from '../core/profile.js';
import type { CommandOption, GroupCommandEntry, InputShape } from './types.js';

const groups = (() => {
  let p: Promise<typeof import('../core/commands/groups.js')> | undefined;
  return () => {
    p ??= import('../core/commands/groups.js');
    return p;
  };
})();

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
