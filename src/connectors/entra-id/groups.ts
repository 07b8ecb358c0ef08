// The group operations of contract v2 on Microsoft Graph's group resource. create-group makes a
// security group (securityEnabled true, mailEnabled false, a mailNickname). Members are added by
// `members@odata.bind` in Graph's batch size (20 per PATCH) and removed one by one (Graph has no
// bulk remove).
import type { AppObject, Group, GroupOperations, MemberChange, Page } from '../../core/connector.js';
import { AppError, InvalidValueError, NotFoundError } from '../../core/errors.js';
import { toGroup, toMember } from './account.js';
import { type GraphClient, MAX_PAGE_SIZE, MEMBER_BATCH_SIZE } from './client.js';
import { isAlreadyMember, isNotFound } from './errors.js';
import { decodeCursor, encodeCursor } from './users.js';

/** A mailNickname from a display name: ASCII letters, digits, `.`, `-`, `_` (at most 64). */
const nickname = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .slice(0, 64) || 'group';

export function entraGroupOperations(client: GraphClient): GroupOperations {
  const withMembers = async (raw: AppObject, what: string, includeMembers: boolean): Promise<Group> => {
    const group = toGroup(raw, what);
    if (!includeMembers) return group;
    const members = (await client.members(group.id)).map(toMember).filter((m) => m !== undefined);
    return { ...group, members };
  };

  /**
   * A member that does not exist is named as such, never read as the group being gone: an
   * InvalidValueError, the contract's "an id of this request was refused", so the core splits a
   * batch and applies the other ids.
   */
  const memberStep = async (groupId: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (e) {
      if (!(e instanceof AppError) || !isNotFound(e)) throw e;
      if (await client.getGroup(groupId)) {
        throw new InvalidValueError(`group ${groupId}: a member does not exist: ${e.message}`, {
          status: e.status ?? 404,
          ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
          cause: e,
        });
      }
      throw e;
    }
  };

  return {
    async getGroup(id, opts) {
      const raw = await client.getGroup(id);
      if (!raw || raw.id !== id) return null;
      return withMembers(raw, `GET groups/${id}`, opts.includeMembers);
    },

    async findGroups(displayName, opts) {
      const found = await client.findGroups(displayName);
      return Promise.all(
        found.map((g) => withMembers(g, 'GET groups?$filter=displayName', opts.includeMembers)),
      );
    },

    async createGroup(fields) {
      const { displayName, ...rest } = fields;
      const body: AppObject = {
        mailNickname: nickname(displayName),
        ...rest,
        displayName,
        securityEnabled: true,
        mailEnabled: false,
      };
      const raw = await client.createGroup(body);
      return toGroup({ ...body, ...raw }, 'POST groups', []);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      if (change.op === 'add') {
        for (let i = 0; i < change.ids.length; i += MEMBER_BATCH_SIZE) {
          const batch = change.ids.slice(i, i + MEMBER_BATCH_SIZE);
          try {
            await memberStep(groupId, () => client.addMembers(groupId, batch));
          } catch (e) {
            // One of the batch is already a member (added meanwhile): Graph refuses the whole
            // PATCH, so each is added on its own, the ones already in being left as they are.
            if (!isAlreadyMember(e)) throw e;
            for (const id of batch) {
              await memberStep(groupId, () =>
                client.addMember(groupId, id).catch((err: unknown) => {
                  if (!isAlreadyMember(err)) throw err;
                }),
              );
            }
          }
        }
        return;
      }
      for (const id of change.ids) {
        try {
          await client.removeMember(groupId, id);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          // 404: the group is gone (NotFoundError for the core), or the user is not a member
          // (already the state asked for).
          if (!(await client.getGroup(groupId)))
            throw e instanceof NotFoundError ? e : new NotFoundError(String(e));
        }
      }
    },

    async deleteGroup(id) {
      await client.deleteGroup(id);
    },

    async listGroups(req): Promise<Page<Group>> {
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? 100)));
      const next = req.cursor === undefined ? undefined : decodeCursor(req.cursor, client, 'groups');
      const page = await client.listGroupsPage(size, next);
      const items = page.items.map((g) => toGroup(g, 'GET groups'));
      return page.next ? { items, cursor: encodeCursor(page.next) } : { items };
    },
  };
}
