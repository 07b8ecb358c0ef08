// The group operations of contract v2 on Zoom's Groups API. Members are added in Zoom's batch
// size (at most 30 per "Add group members") and removed one by one (Zoom has no bulk remove).
import type { AppObject, Group, GroupOperations, MemberChange, Page } from '../../core/connector.js';
import { AppError, UsageError } from '../../core/errors.js';
import { toGroup, toMember } from './account.js';
import { MAX_PAGE_SIZE, MEMBER_BATCH_SIZE, type ZoomClient } from './client.js';
import { isUserNotFound, memberNotFound } from './errors.js';

export function zoomGroupOperations(client: ZoomClient): GroupOperations {
  const withMembers = async (raw: AppObject, what: string, includeMembers: boolean): Promise<Group> => {
    if (!includeMembers) return toGroup(raw, what);
    const group = toGroup(raw, what);
    const members = (await client.members(group.id)).map(toMember).filter((m) => m !== undefined);
    return { ...group, members };
  };

  /** A member that does not exist is named as such, never read as the group being gone. */
  const memberStep = async (groupId: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (e) {
      if (e instanceof AppError && isUserNotFound(e)) throw memberNotFound(e, groupId);
      throw e;
    }
  };

  return {
    async getGroup(id, opts) {
      const raw = await client.getGroup(id);
      return raw ? withMembers(raw, `GET groups/${id}`, opts.includeMembers) : null;
    },

    /** "List groups" has no name filter: every group is read, and those named alike are the candidates. */
    async findGroups(displayName, opts) {
      const wanted = displayName.toLowerCase();
      const out: Group[] = [];
      for await (const page of client.groups()) {
        for (const raw of page) {
          if (typeof raw.name !== 'string' || raw.name.toLowerCase() !== wanted) continue;
          out.push(await withMembers(raw, 'GET groups', opts.includeMembers));
        }
      }
      return out;
    },

    async createGroup(fields) {
      const raw = await client.createGroup(fields.displayName);
      return toGroup(raw, 'POST groups', []);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      if (change.op === 'add') {
        for (let i = 0; i < change.ids.length; i += MEMBER_BATCH_SIZE) {
          const batch = change.ids.slice(i, i + MEMBER_BATCH_SIZE);
          await memberStep(groupId, () => client.addMembers(groupId, batch));
        }
        return;
      }
      for (const id of change.ids) await memberStep(groupId, () => client.removeMember(groupId, id));
    },

    async deleteGroup(id) {
      await client.deleteGroup(id);
    },

    async listGroups(req): Promise<Page<Group>> {
      if (req.cursor !== undefined && req.cursor === '') throw new UsageError('cursor: empty', 'cursor');
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? MAX_PAGE_SIZE)));
      const page = await client.listGroupsPage(size, req.cursor);
      const items = page.items.map((g) => toGroup(g, 'GET groups'));
      return page.next ? { items, cursor: page.next } : { items };
    },
  };
}
