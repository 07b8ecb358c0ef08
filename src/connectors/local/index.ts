// The Local brand: an embedded directory in one SQLite file, so every command can be tried (and
// tested) with no network and no vendor account. This file only translates between the contract
// shapes (Account, Group, AppObject fields) and the store's rows; store.ts owns SQLite, access.ts
// the handle and group commit.
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type {
  Account,
  AppObject,
  Connector,
  ConnectorContext,
  ConnectorDefinition,
  Group,
  ListRequest,
  LookupKey,
  MemberChange,
  Page,
} from '../../core/connector.js';
import { fieldChanges, type WriteDescription } from '../../core/dry-run.js';
import { InvalidValueError, NotSupportedError } from '../../core/errors.js';
import type { Mapping, MappingRule } from '../../core/mapping/types.js';
import { localAccess } from './access.js';
import type { LocalGroup, LocalMember, LocalUser } from './store.js';

export const LOCAL_BRAND = 'Local';

/** Local account fields are the User Profile field names themselves. */
export const LOCAL_FIELDS = [
  'username',
  'email',
  'givenname',
  'surname',
  'displayname',
  'employeeid',
  'employeenumber',
  'employeetype',
  'title',
  'department',
  'division',
  'costcentercode',
  'countrycodenumber',
  'mobilephone',
  'manageremail',
  'location',
  'peoplemanagerflag',
] as const;

const SPECIAL_RULES: Readonly<Record<string, MappingRule>> = {
  username: { app: 'username', profile: ['username', 'email'] },
  displayname: { app: 'displayname', profile: 'displayname', template: '{givenname} {surname}' },
};

/** Identity rules, except username (falls back to email) and displayname (falls back to a template). */
export const localMapping: Mapping = LOCAL_FIELDS.map(
  (field): MappingRule => SPECIAL_RULES[field] ?? { app: field, profile: field },
);

export const localSettings = z.strictObject({
  path: z
    .string()
    .min(1, 'expected a file path')
    .optional()
    .describe(
      'the SQLite file (default: local.db in the data directory); :memory: keeps nothing after close',
    ),
});
export type LocalSettings = z.infer<typeof localSettings>;

// The store decides these (id, meta) or a dedicated call does (active: setActive, so the core's
// enable/disable rules hold). Like SCIM readOnly attributes, values sent for them are ignored.
const NOT_WRITABLE: ReadonlySet<string> = new Set(['id', 'active', 'meta']);

const badRequest = (message: string) => new InvalidValueError(message, { status: 400 });

function textField(key: string, value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  throw badRequest(`${key} must be a string`);
}

/** Splits outgoing fields into the store's columns and its free-form attributes. */
function readFields(fields: AppObject) {
  let username: string | null | undefined;
  let email: string | null | undefined;
  const attributes: [string, unknown][] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || NOT_WRITABLE.has(key)) continue;
    if (key === 'username') username = textField(key, value);
    else if (key === 'email') email = textField(key, value);
    else attributes.push([key, value]);
  }
  return { username, email, attributes };
}

function toAccount(user: LocalUser): Account {
  const { id, username, email, active, attributes, created, modified } = user;
  return {
    id,
    username,
    email,
    active,
    raw: { id, username, email, active, ...attributes, meta: { created, lastModified: modified } },
  };
}

function toGroup(group: LocalGroup, members: LocalMember[] | null): Group {
  const { id, displayName, created, modified } = group;
  const list = members?.map((m) => ({ value: m.id, display: m.username })) ?? null;
  return {
    id,
    displayName,
    members: list,
    raw: {
      id,
      displayName,
      ...(list ? { members: list } : {}),
      meta: { created, lastModified: modified },
    },
  };
}

const scimMembers = z.array(z.object({ value: z.string() }));

const idsOf = (accounts: readonly Account[]): string[] => accounts.map((a) => a.id);

/** Writes one group commit holds at most (a batch keeps up to `concurrency` commands in flight). */
export const GROUP_WRITES = 64;

/** An update as a write description: only the fields that would change (null: removed); null when none. */
function changedFields(account: Account, fields: AppObject): WriteDescription | null {
  const changes = fieldChanges(account.raw, fields, NOT_WRITABLE);
  return changes && { method: 'UPDATE', path: `users/${account.id}`, body: changes };
}

/** Rows per list page: the caller's hint within 1..1000, else 100. */
const pageSize = (req: ListRequest): number =>
  Math.min(1000, Math.max(1, Math.trunc(req.limit ?? 100) || 100));

/** The store's file, or `:memory:`. */
const storePath = (settings: LocalSettings, dataDir: string): string =>
  settings.path === ':memory:' ? ':memory:' : resolve(settings.path ?? join(dataDir, 'local.db'));

function createLocalConnector(settings: LocalSettings, ctx: ConnectorContext): Connector {
  const path = storePath(settings, ctx.dataDir);
  const { run, write, groupCommit, close } = localAccess(path, ctx, GROUP_WRITES);

  return {
    findUsers: (key: LookupKey) =>
      run((s): Account[] => {
        switch (key.attribute) {
          case 'id':
            return [s.findUserById(key.value)].flatMap((u) => (u ? [toAccount(u)] : []));
          case 'username':
            return [s.findUserByUsername(key.value)].flatMap((u) => (u ? [toAccount(u)] : []));
          case 'email':
            return s.findUsersByEmail(key.value).map(toAccount);
          default:
            throw new NotSupportedError(
              `Local cannot look users up by "${key.attribute}"; it can by id, username or email`,
            );
        }
      }, idsOf),

    getUser: (id: string) =>
      run(
        (s) => {
          const user = s.findUserById(id);
          return user && toAccount(user);
        },
        (account) => (account ? [account.id] : []),
      ),

    createUser: (fields: AppObject, opts: { active: boolean }) =>
      write(
        { method: 'INSERT', path: 'users', body: { ...fields, active: opts.active } },
        (s) => {
          const { username, email, attributes } = readFields(fields);
          if (!username) throw badRequest('username is required');
          // Nothing to remove on create, so null attributes are simply not stored.
          const present = attributes.filter(([, v]) => v !== null);
          return toAccount(
            s.createUser({
              username,
              email: email ?? null,
              active: opts.active,
              attributes: Object.fromEntries(present),
            }),
          );
        },
        (account) => account.id,
      ),

    updateUser: (account: Account, fields: AppObject) => {
      const w = changedFields(account, fields);
      return write(w, (s) => {
        const { username, email, attributes } = readFields(fields);
        if (username === null || username === '') throw badRequest('username cannot be removed');
        const updated = s.updateUser(account.id, {
          ...(username !== undefined ? { username } : {}),
          ...(email !== undefined ? { email } : {}),
          attributes: Object.fromEntries(attributes),
        });
        return { account: toAccount(updated), changed: Object.keys((w?.body as AppObject) ?? {}) };
      });
    },

    setActive: (account: Account, active: boolean) =>
      write({ method: 'UPDATE', path: `users/${account.id}`, body: { active } }, (s) =>
        toAccount(s.setActive(account.id, active)),
      ),

    deleteUser: (account: Account) =>
      write({ method: 'DELETE', path: `users/${account.id}` }, (s) => {
        s.deleteUser(account.id);
        return {};
      }),

    listUsers: (req: ListRequest): Promise<Page<Account>> =>
      run((s) => {
        const limit = pageSize(req);
        const rows = s.usersAfter(req.cursor ?? '', limit);
        const last = rows.length === limit ? rows[rows.length - 1] : undefined;
        return { items: rows.map(toAccount), ...(last ? { cursor: last.id } : {}) };
      }),

    getGroup: (id: string, opts: { includeMembers: boolean }) =>
      run((s) => {
        const group = s.findGroup({ id });
        if (!group) return null;
        return toGroup(group, opts.includeMembers ? s.listMembers(group.id) : null);
      }),

    findGroups: (displayName: string, opts: { includeMembers: boolean }) =>
      run((s) => {
        const group = s.findGroup({ displayName });
        if (!group) return [];
        return [toGroup(group, opts.includeMembers ? s.listMembers(group.id) : null)];
      }),

    listGroups: (req: ListRequest): Promise<Page<Group>> =>
      run((s) => {
        const limit = pageSize(req);
        const rows = s.groupsAfter(req.cursor ?? '', limit);
        const last = rows.length === limit ? rows[rows.length - 1] : undefined;
        return { items: rows.map((g) => toGroup(g, null)), ...(last ? { cursor: last.id } : {}) };
      }),

    createGroup: (fields: AppObject & { displayName: string }) =>
      write({ method: 'INSERT', path: 'groups', body: fields }, (s) => {
        if (typeof fields.displayName !== 'string' || fields.displayName === '') {
          throw badRequest('displayName is required');
        }
        // A Local group is a name and members; other SCIM keys (schemas, externalId) are ignored.
        const members = scimMembers.safeParse(fields.members ?? []);
        if (!members.success) throw badRequest('members must be a list of {"value": "<user id>"}');
        const group = s.createGroup(
          fields.displayName,
          members.data.map((m) => m.value),
        );
        return toGroup(group, s.listMembers(group.id));
      }),

    changeMembers: (groupId: string, change: MemberChange) =>
      write(
        {
          method: change.op === 'add' ? 'INSERT' : 'DELETE',
          path: `groups/${groupId}/members`,
          body: { members: change.ids },
        },
        (s) => {
          if (change.op === 'add') s.addMembers(groupId, change.ids);
          else s.removeMembers(groupId, change.ids);
        },
      ),

    deleteGroup: (id: string) => write({ method: 'DELETE', path: `groups/${id}` }, (s) => s.deleteGroup(id)),

    test: () =>
      run((s) => {
        const { users, groups } = s.counts();
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
        return `Local directory at ${path}: ${plural(users, 'user')}, ${plural(groups, 'group')}`;
      }),

    groupCommit,
    close,
  };
}

export const localConnector: ConnectorDefinition<LocalSettings> = {
  brand: LOCAL_BRAND,
  description:
    'An embedded user directory in a local SQLite file: no network, for demos, tests and offline use.',
  settings: localSettings,
  // In a batch, the commands in flight share one group commit (group-commit.ts): as many as a group holds.
  capabilities: { lookup: ['id', 'username', 'email'], memberBatchSize: 500, concurrency: GROUP_WRITES },
  mapping: localMapping,
  mappingFields: LOCAL_FIELDS,
  nativeDryRun: true,
  offline: true,
  localFiles: (settings, dataDir) => {
    const path = storePath(settings, dataDir);
    return path === ':memory:' ? [] : [path];
  },
  create: createLocalConnector,
};

export { type LocalStore, openLocalStore } from './store.js';
