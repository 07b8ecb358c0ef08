// The Connector contract on top of ScimClient + ScimProfile, so a SCIM-speaking brand is a settings
// schema, a profile value and this factory. It only translates: the core decides skips, delegation,
// lookup order and member batching. Vendor differences come from the profile, never from a brand check.
import type {
  Account,
  AppObject,
  Connector,
  Group,
  GroupKey,
  LookupKey,
  MemberChange,
} from '../core/connector.js';
import { AmbiguousError, AppError, NotFoundError, NotSupportedError } from '../core/errors.js';
import { toAccount, toGroup } from './account.js';
import type { ScimClient } from './client.js';
import { eq, isAttrPath } from './filter.js';
import { holdsLookupValue, ignoredFilterWarning } from './match.js';
import { addMembersOp, diffUser, mergeUser, type PatchOp, removeMembersOps, setActiveOp } from './patch.js';
import type { ScimProfile } from './profile.js';
import { SCHEMA, type ScimResource } from './wire.js';

export interface ScimConnectorOptions {
  client: ScimClient;
  profile: ScimProfile;
  /** Names the endpoint in test() output, e.g. `SCIM endpoint https://host/scim/v2`. */
  label: string;
  /** Tells the user something they must know (an app that ignored a lookup filter). */
  warn?: (message: string) => void;
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

function ambiguous(what: string, attribute: string, value: string, ids: readonly string[]): AmbiguousError {
  return new AmbiguousError(
    `${ids.length} ${what} match ${attribute} ${JSON.stringify(value)}: ${ids.join(', ')}`,
    [...ids],
  );
}

export function createScimConnector({ client, profile, label, warn }: ScimConnectorOptions): Connector {
  /**
   * Only resources that hold the value asked count (spec: never the other account). An app that
   * answered others ignored the filter (or the id in the path): the user is warned.
   */
  const matching = (
    resource: 'user' | 'group',
    attribute: string,
    path: string,
    value: string,
    found: readonly ScimResource[],
  ): ScimResource[] => {
    const hits = found.filter((r) => holdsLookupValue(r, path, value));
    if (hits.length < found.length) warn?.(ignoredFilterWarning(resource, attribute));
    return hits;
  };

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
  const putUser = async (id: string, change: AppObject): Promise<Account> => {
    const current = await client.getUser(id);
    if (!current) throw new NotFoundError(`user ${id} does not exist`);
    const merged = mergeUser(current, change, maxValues);
    if (diffUser(current, change, maxValues).length === 0) return toAccount(current);
    const { meta: _meta, ...body } = merged;
    const schemas = [
      ...new Set([
        ...(Array.isArray(current.schemas) ? current.schemas : []),
        ...schemasFor(SCHEMA.user, body),
      ]),
    ];
    return afterWrite(id, await client.replaceUser(id, { ...body, schemas }));
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

  return {
    async findUser(key: LookupKey): Promise<Account | null> {
      if (key.attribute === 'id') {
        const raw = await client.getUser(key.value);
        const [hit] = matching('user', 'id', 'id', key.value, raw ? [raw] : []);
        return hit ? toAccount(hit) : null;
      }
      filterable('user', key.attribute);
      const path = key.attribute === 'emails' ? profile.emailFilterPath : key.attribute;
      const found = matching(
        'user',
        key.attribute,
        path,
        key.value,
        await client.findUsers(eq(path, key.value)),
      );
      if (found.length > 1)
        throw ambiguous(
          'accounts',
          key.attribute,
          key.value,
          found.map((r) => r.id),
        );
      return found[0] ? toAccount(found[0]) : null;
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
      if (ops.length === 0) return account;
      return afterWrite(account.id, await client.patchUser(account.id, ops));
    },

    async setActive(account, active) {
      if (!(await client.patchSupported())) return putUser(account.id, { active });
      return afterWrite(account.id, await client.patchUser(account.id, [setActiveOp(active)]));
    },

    async getGroup(key: GroupKey, { includeMembers }): Promise<Group | null> {
      const { membersReturned, opts } = groupRead(includeMembers);
      if ('id' in key) {
        const raw = await client.getGroup(key.id, opts);
        const [hit] = matching('group', 'id', 'id', key.id, raw ? [raw] : []);
        return hit ? toGroup(hit, membersReturned) : null;
      }
      filterable('group', 'displayName');
      const found = matching(
        'group',
        'displayName',
        'displayName',
        key.displayName,
        await client.findGroups(eq('displayName', key.displayName), opts),
      );
      if (found.length > 1)
        throw ambiguous(
          'groups',
          'displayName',
          key.displayName,
          found.map((r) => r.id),
        );
      return found[0] ? toGroup(found[0], membersReturned) : null;
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
