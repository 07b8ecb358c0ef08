// The Connector contract on top of ScimClient + ScimProfile, so a SCIM-speaking brand is a settings
// schema, a profile value and this factory. It only translates: the core decides skips, delegation,
// lookup order, member batching, and which candidates match a lookup. Vendor differences come from the profile, never from a brand check.
import type {
  Account,
  AppObject,
  Connector,
  Group,
  ListRequest,
  LookupKey,
  MemberChange,
  Page,
  UpdateResult,
} from '../core/connector.js';
import { AppError, InvalidValueError, NotFoundError, NotSupportedError } from '../core/errors.js';
import { toAccount, toGroup } from './account.js';
import type { ScimClient, ScimPage } from './client.js';
import { asFilterRefusal, eq, isAttrPath } from './filter.js';
import {
  addMembersOp,
  diffUser,
  mergeUser,
  type PatchOp,
  patchFieldNames,
  removeMembersOps,
  setActiveOp,
} from './patch.js';
import type { ScimProfile } from './profile.js';
import { SCHEMA, type ScimResource } from './wire.js';

export interface ScimConnectorOptions {
  client: ScimClient;
  profile: ScimProfile;
  /** Names the endpoint in test() output, e.g. `SCIM endpoint https://host/scim/v2`. */
  label: string;
}

const isObj = (v: unknown): v is AppObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7643 3: `schemas` lists the core schema and every extension the body carries (`urn:` keys). */
export function schemasFor(core: string, body: AppObject): string[] {
  const extensions = Object.keys(body).filter((k) => k.toLowerCase().startsWith('urn:') && isObj(body[k]));
  return [core, ...extensions.filter((k) => k !== core)];
}

/** Keeps at most `max` entries of a multi-valued attribute, the primary one first. */
function limitValues(value: unknown, max: number | undefined): unknown {
  if (max === undefined || !Array.isArray(value) || value.length <= max) return value;
  const ranked = [...value].sort(
    (a, b) => Number(isObj(b) && b.primary === true) - Number(isObj(a) && a.primary === true),
  );
  return ranked.slice(0, max);
}

/** A list cursor is the next page's startIndex, as an opaque string. */
function startOf(req: ListRequest): number {
  if (req.cursor === undefined) return 1;
  const n = Number(req.cursor);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidValueError(`not a list cursor of this app: ${req.cursor}`);
  return n;
}

function page<T>(p: ScimPage, to: (r: ScimPage['items'][number]) => T): Page<T> {
  const items = p.items.map(to);
  return p.next === undefined ? { items } : { items, cursor: String(p.next) };
}

export function createScimConnector({ client, profile, label }: ScimConnectorOptions): Connector {
  const maxValues = { emails: profile.maxEmails, phoneNumbers: profile.maxPhoneNumbers };

  /** Outgoing user fields without server-owned attributes, with the profile's value limits. */
  const userBody = (fields: AppObject): AppObject => {
    const { id: _id, schemas: _schemas, meta: _meta, ...rest } = fields;
    if (rest.emails !== undefined) rest.emails = limitValues(rest.emails, profile.maxEmails);
    if (rest.phoneNumbers !== undefined) {
      rest.phoneNumbers = limitValues(rest.phoneNumbers, profile.maxPhoneNumbers);
    }
    return rest;
  };

  const filterable = (resource: 'user' | 'group', attribute: string): void => {
    if (!isAttrPath(attribute)) {
      throw new NotSupportedError(`cannot look ${resource}s up by ${JSON.stringify(attribute)}`);
    }
    const allowed = profile.filterAttributes;
    if (allowed === 'any' || allowed[resource].includes(attribute)) return;
    throw new NotSupportedError(
      `this app cannot look ${resource}s up by ${attribute} (it filters on ${allowed[resource].join(', ')})`,
    );
  };

  /** The account after a write: the answer's body when there is one, else a fresh read. */
  const afterWrite = async (id: string, body: ScimResource | null): Promise<Account> => {
    if (body) return toAccount(body);
    const fresh = await client.getUser(id);
    if (!fresh) throw new NotFoundError(`user ${id} is gone after the update`);
    return toAccount(fresh);
  };

  /** Read-modify-write for apps without PATCH: GET, lay `change` over it, PUT (only if it differs). */
  const putUser = async (id: string, change: AppObject): Promise<UpdateResult> => {
    const current = await client.getUser(id);
    if (!current) throw new NotFoundError(`user ${id} does not exist`);
    const merged = mergeUser(current, change, maxValues);
    const changed = patchFieldNames(diffUser(current, change, maxValues));
    if (changed.length === 0) return { account: toAccount(current), changed };
    const { meta: _meta, ...body } = merged;
    const schemas = [
      ...new Set([
        ...(Array.isArray(current.schemas) ? current.schemas : []),
        ...schemasFor(SCHEMA.user, body),
      ]),
    ];
    return { account: await afterWrite(id, await client.replaceUser(id, { ...body, schemas })), changed };
  };

  const groupRead = (includeMembers: boolean) => ({
    membersReturned: includeMembers && profile.groupReadsReturnMembers,
    opts: !includeMembers && profile.excludeMembersOnRead ? { excludedAttributes: ['members'] } : {},
  });

  /** Membership without PATCH: read the full member list, change it, PUT the group back. */
  const putMembers = async (groupId: string, change: MemberChange): Promise<void> => {
    if (!profile.groupReadsReturnMembers) {
      throw new NotSupportedError('this app supports neither PATCH nor reading group members');
    }
    const current = await client.getGroup(groupId);
    if (!current) throw new NotFoundError(`group ${groupId} does not exist`);
    const members = toGroup(current, true).members ?? [];
    const ids = new Set(change.ids);
    const next =
      change.op === 'add'
        ? [...members.map((m) => m.value), ...change.ids.filter((id) => !members.some((m) => m.value === id))]
        : members.map((m) => m.value).filter((id) => !ids.has(id));
    const { meta: _meta, ...body } = current;
    await client.replaceGroup(groupId, { ...body, members: next.map((value) => ({ value })) });
  };

  // Lists need pages (RFC 7644 3.4.2.4): an app that rejects startIndex cannot list past its first one.
  const lists: Pick<Connector, 'listUsers' | 'listGroups'> =
    profile.paging !== 'index'
      ? {}
      : {
          listUsers: async (req) => page(await client.listUsersPage(startOf(req), req.limit), toAccount),
          listGroups: async (req) =>
            page(await client.listGroupsPage(startOf(req), req.limit), (r) =>
              toGroup(r, profile.groupReadsReturnMembers),
            ),
        };

  // DELETE is the disable on such an app: offering it as delete-user would report a deletion that never was.
  const deletion: Pick<Connector, 'deleteUser'> =
    profile.disable === 'delete'
      ? {}
      : {
          deleteUser: async (account) => {
            await client.deleteUser(account.id);
            return {};
          },
        };

  return {
    ...lists,
    ...deletion,
    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute === 'id') {
        const raw = await client.getUser(key.value);
        return raw ? [toAccount(raw)] : [];
      }
      filterable('user', key.attribute);
      const path = key.attribute === 'emails' ? profile.emailFilterPath : key.attribute;
      try {
        return (await client.findUsers(eq(path, key.value))).map(toAccount);
      } catch (e) {
        // The app refused the filter itself: the core asks by the next lookup attribute.
        throw asFilterRefusal(e, key.value);
      }
    },

    async getUser(id: string): Promise<Account | null> {
      const raw = await client.getUser(id);
      return raw ? toAccount(raw) : null;
    },

    async createUser(fields, { active }) {
      const body = userBody(fields);
      const created = await client.createUser({ schemas: schemasFor(SCHEMA.user, body), ...body, active });
      return toAccount(created);
    },

    async updateUser(account, fields) {
      const change = userBody(fields);
      if (!(await client.patchSupported())) return putUser(account.id, change);
      // account.raw is what the core just read (spec 8: GET, then one PATCH of what changed).
      const ops = diffUser(account.raw, change, maxValues);
      if (ops.length === 0) return { account, changed: [] };
      const updated = await afterWrite(account.id, await client.patchUser(account.id, ops));
      return { account: updated, changed: patchFieldNames(ops) };
    },

    async setActive(account, active) {
      // The app's DELETE is its deactivation: the account stays, read back as it now is.
      if (!active && profile.disable === 'delete') {
        await client.deleteUser(account.id);
        return afterWrite(account.id, null);
      }
      if (!(await client.patchSupported())) return (await putUser(account.id, { active })).account;
      return afterWrite(account.id, await client.patchUser(account.id, [setActiveOp(active)]));
    },

    async getGroup(id, { includeMembers }): Promise<Group | null> {
      const { membersReturned, opts } = groupRead(includeMembers);
      const raw = await client.getGroup(id, opts);
      return raw ? toGroup(raw, membersReturned) : null;
    },

    async findGroups(displayName, { includeMembers }): Promise<Group[]> {
      const { membersReturned, opts } = groupRead(includeMembers);
      filterable('group', 'displayName');
      try {
        const found = await client.findGroups(eq('displayName', displayName), opts);
        return found.map((r) => toGroup(r, membersReturned));
      } catch (e) {
        throw asFilterRefusal(e, displayName);
      }
    },

    async createGroup(fields) {
      const { id: _id, schemas: _schemas, meta: _meta, ...body } = fields;
      const created = await client.createGroup({ schemas: schemasFor(SCHEMA.group, body), ...body });
      return toGroup(created, profile.groupReadsReturnMembers);
    },

    async changeMembers(groupId, change) {
      if (change.ids.length === 0) return;
      if (!(await client.patchSupported())) return putMembers(groupId, change);
      // The core already cuts lists to memberBatchSize; this only guards direct library callers.
      const size = Math.max(1, profile.memberBatchSize);
      for (let i = 0; i < change.ids.length; i += size) {
        const ids = change.ids.slice(i, i + size);
        const ops: PatchOp[] =
          change.op === 'add' ? [addMembersOp(ids)] : removeMembersOps(ids, profile.memberRemoval);
        await client.patchGroup(groupId, ops);
      }
    },

    async deleteGroup(id) {
      await client.deleteGroup(id);
    },

    async test() {
      try {
        await client.findUsers(undefined, { count: 1, maxPages: 1 });
      } catch (e) {
        if (e instanceof AppError && (e.status === 401 || e.status === 403)) {
          throw new AppError(`the app rejected the token (HTTP ${e.status}): ${e.message}`, {
            status: e.status,
            ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
            cause: e,
          });
        }
        throw e;
      }
      const patch = profile.patch === 'discover' ? await describeDiscovery(client) : `PATCH ${profile.patch}`;
      return `${label}: token accepted (GET Users answered); ${patch}`;
    },

    close: () => client.close(),
  };
}

async function describeDiscovery(client: ScimClient): Promise<string> {
  const f = await client.serviceProviderConfig();
  if (f.fallback) return 'no usable ServiceProviderConfig: updates use PUT';
  return f.patch
    ? 'PATCH supported (ServiceProviderConfig)'
    : 'no PATCH (ServiceProviderConfig): updates use PUT';
}
