// The group operations of contract v2 on Okta's Groups API: OKTA_GROUP groups, members assigned
// one by one (PUT/DELETE /groups/{groupId}/users/{userId}: Okta has no bulk member call).
import type { Group, GroupOperations, MemberChange, Page } from '../../core/connector.js';
import { AppError, InvalidValueError, NotFoundError, UsageError } from '../../core/errors.js';
import { toGroup, toMember } from './account.js';
import { eqExpression, MAX_PAGE_SIZE, type OktaClient } from './client.js';
import { isOktaNotFound } from './errors.js';

export function oktaGroupOperations(client: OktaClient): GroupOperations {
  const withMembers = async (raw: unknown, what: string, includeMembers: boolean): Promise<Group> => {
    const group = toGroup(raw, what);
    if (!includeMembers) return group;
    const members = (await client.members(group.id)).map(toMember).filter((m) => m !== undefined);
    return { ...group, members };
  };

  /**
   * Okta answers E0000007 whether the group or the user is missing: the group is read to tell
   * which. A missing member is named as such, never read as the group being gone.
   */
  const memberStep = async (groupId: string, userId: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (e) {
      if (!(e instanceof AppError) || !isOktaNotFound(e)) throw e;
      if (!(await client.getGroup(groupId))) throw new NotFoundError(`group ${groupId} does not exist`);
      // InvalidValueError: the contract's "an id of this request was refused", so the core splits
      // the chunk, applies the others and names this one (was: the whole chunk reported failed,
      // ids added before it included).
      throw new InvalidValueError(`group ${groupId}: member ${userId} does not exist: ${e.message}`, {
        status: 404,
        ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
        cause: e,
      });
    }
  };

  return {
    async getGroup(id, opts) {
      const raw = await client.getGroup(id);
      return raw ? withMembers(raw, `GET groups/${id}`, opts.includeMembers) : null;
    },

    async findGroups(displayName, opts) {
      const found = await client.searchGroups(eqExpression('profile.name', displayName));
      return Promise.all(found.map((g) => withMembers(g, 'GET groups?search', opts.includeMembers)));
    },

    async createGroup(fields) {
      const description = typeof fields.description === 'string' ? fields.description : undefined;
      const raw = await client.createGroup({
        name: fields.displayName,
        ...(description ? { description } : {}),
      });
      return toGroup(raw, 'POST groups', []);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      for (const id of change.ids) {
        await memberStep(groupId, id, () =>
          change.op === 'add' ? client.addMember(groupId, id) : client.removeMember(groupId, id),
        );
      }
    },

    async deleteGroup(id) {
      await client.deleteGroup(id);
    },

    async listGroups(req): Promise<Page<Group>> {
      if (req.cursor !== undefined && req.cursor === '') throw new UsageError('cursor: empty', 'cursor');
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? MAX_PAGE_SIZE)));
      const page = await client.page('groups', size, req.cursor);
      const items = page.items.map((g) => toGroup(g, 'GET groups'));
      return page.after ? { items, cursor: page.after } : { items };
    },
  };
}
