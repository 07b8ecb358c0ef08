// The group operations of contract v2 on sys_user_group, with members as sys_user_grmember records
// (a user and a group reference each): adding a member POSTs a grmember, removing one DELETEs it.
// The Table API checks no reference, so a member is added only after its sys_user record is read
// (a grmember pointing at nobody is never made), and only when it is not a member already.
import type {
  AppObject,
  Group,
  GroupMember,
  GroupOperations,
  MemberChange,
  Page,
} from '../../core/connector.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { MAX_PAGE_SIZE, type SnowClient } from './client.js';
import { memberNotFound } from './errors.js';
import { GROUP_FIELDS, MEMBER_FIELDS, refId, toGroup } from './mapping.js';
import { equals, SYS_ID } from './query.js';

/** Members added or removed per changeMembers call (each is one request). */
export const MEMBER_BATCH_SIZE = 100;

export function snowGroupOperations(client: SnowClient): GroupOperations {
  /** The grmember records of a group, by user sys_id. */
  const memberships = async (groupId: string): Promise<Map<string, string>> => {
    const rows = await client.list('sys_user_grmember', equals('group', groupId), MEMBER_FIELDS);
    const out = new Map<string, string>();
    for (const r of rows) {
      const user = refId(r.user);
      const id = refId(r.sys_id);
      if (user && id && refId(r.group) === groupId) out.set(user, id);
    }
    return out;
  };

  const withMembers = async (raw: AppObject, what: string, includeMembers: boolean): Promise<Group> => {
    const group = toGroup(raw, what);
    if (!includeMembers) return group;
    const members: GroupMember[] = [...(await memberships(group.id)).keys()].map((value) => ({
      value,
      display: null,
    }));
    return { ...group, members };
  };

  const requireGroup = async (id: string): Promise<void> => {
    if (!(await client.get('sys_user_group', id, ['sys_id']))) {
      throw new NotFoundError(`group ${id} does not exist in sys_user_group`);
    }
  };

  return {
    async getGroup(id, opts) {
      const raw = await client.get('sys_user_group', id, GROUP_FIELDS);
      return raw ? withMembers(raw, `GET sys_user_group/${id}`, opts.includeMembers) : null;
    },

    async findGroups(displayName, opts) {
      const rows = await client.list('sys_user_group', equals('name', displayName), GROUP_FIELDS);
      return Promise.all(rows.map((r) => withMembers(r, 'GET sys_user_group', opts.includeMembers)));
    },

    async createGroup(fields) {
      const { displayName, ...rest } = fields;
      const raw = await client.create('sys_user_group', { ...rest, name: displayName }, GROUP_FIELDS);
      return toGroup(raw, 'POST sys_user_group', []);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      if (!SYS_ID.test(groupId)) throw new NotFoundError(`group ${groupId} is not a ServiceNow sys_id`);
      await requireGroup(groupId);
      const current = await memberships(groupId);
      if (change.op === 'add') {
        for (const user of change.ids) {
          if (current.has(user)) continue;
          if (!SYS_ID.test(user) || !(await client.get('sys_user', user, ['sys_id']))) {
            throw memberNotFound(groupId, user);
          }
          const raw = await client.create('sys_user_grmember', { group: groupId, user }, MEMBER_FIELDS);
          const id = refId(raw.sys_id);
          if (id) current.set(user, id);
        }
        return;
      }
      for (const user of change.ids) {
        const record = current.get(user);
        if (record === undefined) continue;
        try {
          await client.delete('sys_user_grmember', record);
        } catch (e) {
          // Already gone (removed by someone else meanwhile): the member is not in the group, as asked.
          if (!(e instanceof NotFoundError)) throw e;
        }
        current.delete(user);
      }
    },

    async deleteGroup(id) {
      if (!SYS_ID.test(id)) throw new NotFoundError(`group ${id} is not a ServiceNow sys_id`);
      await client.delete('sys_user_group', id);
    },

    async listGroups(req): Promise<Page<Group>> {
      if (req.cursor !== undefined && !/^\d{1,9}$/.test(req.cursor)) {
        throw new UsageError('cursor: not a cursor this ServiceNow instance gave out', 'cursor');
      }
      const offset = req.cursor === undefined ? 0 : Number(req.cursor);
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? client.pageSize)));
      const page = await client.page('sys_user_group', 'ORDERBYsys_id', GROUP_FIELDS, offset, size);
      const items = page.items.map((g) => toGroup(g, 'GET sys_user_group'));
      return page.next === undefined ? { items } : { items, cursor: String(page.next) };
    },
  };
}
