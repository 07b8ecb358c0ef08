// The group operations of contract v2 on the Directory API groups and members resources. Members
// are added one by one (members.insert takes one member) and removed one by one (members.delete).
import type { AppObject, Group, GroupOperations, MemberChange, Page } from '../../core/connector.js';
import { type AppError, ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import { toGroup, toMember } from './account.js';
import { type GoogleClient, MAX_GROUPS_PAGE } from './client.js';
import { memberNotFound, notFoundKey } from './errors.js';

/** A group's email from its name when none is given: `Sales Team` -> `sales-team@<domain>`. */
export function groupEmail(displayName: string, domain: string): string {
  const local = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (!local)
    throw new UsageError(`displayName: ${JSON.stringify(displayName)} gives no group email`, 'displayName');
  return `${local}@${domain}`;
}

export function googleGroupOperations(client: GoogleClient, groupDomain: string): GroupOperations {
  const withMembers = async (raw: AppObject, what: string, includeMembers: boolean): Promise<Group> => {
    const group = toGroup(raw, what);
    if (!includeMembers) return group;
    const members = (await client.members(group.id)).map(toMember).filter((m) => m !== undefined);
    return { ...group, members };
  };

  const memberStep = async (groupId: string, memberId: string, op: MemberChange['op']): Promise<void> => {
    try {
      if (op === 'add') await client.insertMember(groupId, memberId);
      else await client.deleteMember(groupId, memberId);
    } catch (e) {
      // Already in the state asked: a member already there, or already not a member.
      if (op === 'add' && e instanceof ConflictError) return;
      const key = notFoundKey(e);
      if (op === 'remove' && key === 'memberKey') return;
      if (op === 'add' && key === 'memberKey') throw memberNotFound(e as AppError, groupId, memberId);
      throw e;
    }
  };

  return {
    async getGroup(id, opts) {
      try {
        const raw = await client.getGroup(id);
        const group = await withMembers(raw, `GET groups/${id}`, opts.includeMembers);
        // groups.get reads an email or alias too: an answer for another id is not this id.
        return group.id === id ? group : null;
      } catch (e) {
        if (e instanceof NotFoundError) return null;
        throw e;
      }
    },

    /** groups.list has no exact name filter: every group is read, and those named alike are the candidates. */
    async findGroups(displayName, opts) {
      const wantedName = displayName.toLowerCase();
      const out: Group[] = [];
      for await (const page of client.groups()) {
        for (const raw of page) {
          if (typeof raw.name !== 'string' || raw.name.toLowerCase() !== wantedName) continue;
          out.push(await withMembers(raw, 'GET groups', opts.includeMembers));
        }
      }
      return out;
    },

    async createGroup(fields) {
      const email =
        typeof fields.email === 'string' && fields.email
          ? fields.email
          : groupEmail(fields.displayName, groupDomain);
      const body: AppObject = { email, name: fields.displayName };
      if (typeof fields.description === 'string') body.description = fields.description;
      return toGroup(await client.insertGroup(body), 'POST groups', []);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      for (const id of change.ids) await memberStep(groupId, id, change.op);
    },

    async deleteGroup(id) {
      await client.deleteGroup(id);
    },

    async listGroups(req): Promise<Page<Group>> {
      if (req.cursor === '') throw new UsageError('cursor: empty', 'cursor');
      const size = Math.min(MAX_GROUPS_PAGE, Math.max(1, Math.floor(req.limit ?? MAX_GROUPS_PAGE)));
      const page = await client.listGroupsPage(size, req.cursor);
      const items = page.items.map((g) => toGroup(g, 'GET groups'));
      return page.next ? { items, cursor: page.next } : { items };
    },
  };
}
