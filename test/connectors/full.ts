// Connector-level tests call a connector's operations directly. Under contract v2 every operation is
// optional and the core decides which lookup candidates match; `full` gives those tests the whole
// surface, with lookups through the core's own matching (core/commands/lookup.ts, groups.ts), so a
// test of "finds the right account" exercises exactly what the commands do.
import { findGroup } from '../../src/core/commands/groups.js';
import { findUser } from '../../src/core/commands/lookup.js';
import type {
  Account,
  AppObject,
  Connector,
  DeleteResult,
  Group,
  GroupKey,
  ListRequest,
  LookupKey,
  MemberChange,
  Page,
} from '../../src/core/connector.js';
import { DEFAULT_FLAGS, type InstanceRuntime } from '../../src/core/instance.js';

export interface FullConnector {
  findUser(key: LookupKey): Promise<Account | null>;
  createUser(fields: AppObject, opts: { active: boolean }): Promise<Account>;
  updateUser(account: Account, fields: AppObject): Promise<Account>;
  setActive(account: Account, active: boolean): Promise<Account>;
  deleteUser(account: Account): Promise<DeleteResult>;
  listUsers(req: ListRequest): Promise<Page<Account>>;
  getGroup(key: GroupKey, opts: { includeMembers: boolean }): Promise<Group | null>;
  createGroup(fields: AppObject & { displayName: string }): Promise<Group>;
  changeMembers(groupId: string, change: MemberChange): Promise<void>;
  deleteGroup(id: string): Promise<void>;
  listGroups(req: ListRequest): Promise<Page<Group>>;
  test(): Promise<string>;
  close(): Promise<void>;
  /** The connector under test, as the core sees it. */
  v2: Connector;
}

function need<T>(op: T | undefined, name: string): T {
  if (op === undefined) throw new Error(`the connector does not implement ${name}`);
  return op;
}

export function full(c: Connector, warn?: (message: string) => void): FullConnector {
  const rt = {
    brand: 'Test',
    instanceName: 'test',
    secrets: [],
    flags: DEFAULT_FLAGS,
    capabilities: { lookup: ['id'], memberBatchSize: 100 },
    mapping: { outgoing: [], incoming: [] },
    scimInputMapping: [],
    connector: c,
    ...(warn ? { warn } : {}),
  } satisfies InstanceRuntime;
  return {
    findUser: (key) => findUser(rt, key),
    createUser: (fields, opts) => need(c.createUser, 'createUser').call(c, fields, opts),
    updateUser: async (account, fields) =>
      (await need(c.updateUser, 'updateUser').call(c, account, fields)).account,
    setActive: (account, active) => need(c.setActive, 'setActive').call(c, account, active),
    deleteUser: (account) => need(c.deleteUser, 'deleteUser').call(c, account),
    listUsers: (req) => need(c.listUsers, 'listUsers').call(c, req),
    getGroup: (key, opts) => findGroup(rt, key, opts.includeMembers),
    createGroup: (fields) => need(c.createGroup, 'createGroup').call(c, fields),
    changeMembers: (id, change) => need(c.changeMembers, 'changeMembers').call(c, id, change),
    deleteGroup: (id) => need(c.deleteGroup, 'deleteGroup').call(c, id),
    listGroups: (req) => need(c.listGroups, 'listGroups').call(c, req),
    test: () => need(c.test, 'test').call(c),
    close: () => c.close(),
    v2: c,
  };
}
