// Group operations of the directory connector. Members are held as DNs (`member`, `uniqueMember`)
// or usernames (`memberUid`): reads turn them into user ids and usernames, writes turn ids into
// them. Adds and removes go in modifies of at most `memberChunkSize` values, and only values that
// change are sent (an add of a present member, a remove of an absent one, is refused by LDAP).

import type {
  AppObject,
  ConnectorContext,
  Group,
  GroupMember,
  GroupOperations,
  MemberChange,
} from '../core/connector.js';
import { InvalidValueError, NotFoundError } from '../core/errors.js';
import { type DirEntry, type DirectoryClient, first } from './client.js';
import { classAnd, entryJson, idOf, textValues } from './entries.js';
import { normalizeDn, rdn } from './escape.js';
import { attributeChange, equalityFilter, orFilter } from './lib.js';
import type { PagedLister } from './paged.js';
import type { DirectoryProfile } from './profile.js';

export interface GroupKit {
  client: DirectoryClient;
  profile: DirectoryProfile;
  lister: PagedLister;
  userBase: string;
  groupBase: string;
  memberChunkSize: number;
  ctx: ConnectorContext;
}

const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/** Lookups of at most this many values go in one OR filter. */
const OR_CHUNK = 100;

export function directoryGroupOperations(kit: GroupKit): GroupOperations {
  const { client, profile, groupBase, ctx } = kit;
  const g = profile.group;
  const dryRun = ctx.dryRun === true;
  const binary = profile.binaryAttributes;
  const baseAttrs = [profile.idAttribute, g.nameAttribute];
  const withMembers = [...baseAttrs, g.memberAttribute];
  const report = (method: string, dn: string, body: unknown, fields: readonly string[]) =>
    ctx.onWrite?.({ method, path: dn, body, fields });

  /** Member values of a group entry, the placeholder left out. */
  const memberValues = (e: DirEntry): string[] =>
    textValues(e, g.memberAttribute).filter(
      (v) => g.placeholderMember === undefined || v !== g.placeholderMember,
    );

  /** Entries of users (or any entry, for DNs) by a list of values of `attribute`. */
  const findMany = async (attribute: string, values: readonly (string | Buffer)[], base: string) => {
    const found: DirEntry[] = [];
    for (const part of chunks(values, OR_CHUNK)) {
      const filter = orFilter(part.map((value) => equalityFilter(attribute, value)));
      found.push(
        ...(await client.search({
          base,
          filter,
          attributes: [profile.idAttribute, profile.usernameAttribute],
          binary,
        })),
      );
    }
    return found;
  };

  /** Members as ids and usernames (a value that names no entry is left out). */
  const resolveMembers = async (values: readonly string[]): Promise<GroupMember[]> => {
    if (g.memberValue === 'username') {
      const users = await findMany(profile.usernameAttribute, values, kit.userBase);
      return users.map((u) => ({
        value: idOf(profile, u),
        display: textValues(u, profile.usernameAttribute)[0] ?? null,
      }));
    }
    // A DN that names no entry (null) is left out; any other failure fails the read: never a shorter list.
    const entries = await Promise.all(
      values.map((dn) => client.read(dn, [profile.idAttribute, profile.usernameAttribute], binary)),
    );
    return entries
      .filter((e): e is DirEntry => e !== null && first(e, profile.idAttribute) !== undefined)
      .map((e) => ({
        value: idOf(profile, e),
        display: textValues(e, profile.usernameAttribute)[0] ?? null,
      }));
  };

  /** Member values (DNs or usernames) for user ids; InvalidValueError naming ids that are no user. */
  const valuesForIds = async (ids: readonly string[]): Promise<string[]> => {
    const encoded = ids.map((id) => [id, profile.encodeId(id)] as const);
    const bad = encoded.filter(([, e]) => e === null).map(([id]) => id);
    const users = await findMany(
      profile.idAttribute,
      encoded.flatMap(([, e]) => (e === null ? [] : [e])),
      kit.userBase,
    );
    const byId = new Map(users.map((u) => [idOf(profile, u), u]));
    const missing = [...bad, ...ids.filter((id) => !bad.includes(id) && !byId.has(id))];
    if (missing.length) throw new InvalidValueError(`not users of this directory: ${missing.join(', ')}`);
    return ids.map((id) => {
      const u = byId.get(id) as DirEntry;
      return g.memberValue === 'dn' ? u.dn : (textValues(u, profile.usernameAttribute)[0] ?? '');
    });
  };

  const toGroup = async (e: DirEntry, includeMembers: boolean): Promise<Group> => {
    const id = idOf(profile, e);
    const displayName = textValues(e, g.nameAttribute)[0] ?? null;
    const members = includeMembers ? await resolveMembers(memberValues(e)) : null;
    const skip = new Set([profile.idAttribute.toLowerCase(), g.memberAttribute.toLowerCase()]);
    return {
      id,
      displayName,
      members,
      raw: { id, dn: e.dn, ...entryJson(e, skip), ...(members ? { members } : {}) },
    };
  };

  const findById = async (id: string, attrs: readonly string[]): Promise<DirEntry | null> => {
    const enc = profile.encodeId(id);
    if (enc === null) return null;
    const found = await client.search({
      base: groupBase,
      filter: classAnd(g.objectClass, profile.idAttribute, enc),
      attributes: attrs,
      binary,
    });
    return found[0] ?? null;
  };

  const sameValue = (a: string, b: string) =>
    g.memberValue === 'dn' ? normalizeDn(a) === normalizeDn(b) : a.toLowerCase() === b.toLowerCase();

  return {
    async getGroup(id, opts) {
      const e = await findById(id, opts.includeMembers ? withMembers : baseAttrs);
      return e && toGroup(e, opts.includeMembers);
    },

    async findGroups(displayName, opts) {
      const found = await client.search({
        base: groupBase,
        filter: classAnd(g.objectClass, g.nameAttribute, displayName),
        attributes: opts.includeMembers ? withMembers : baseAttrs,
        binary,
      });
      return Promise.all(found.map((e) => toGroup(e, opts.includeMembers)));
    },

    async createGroup(fields: AppObject & { displayName: string }) {
      const name = fields.displayName;
      if (typeof name !== 'string' || name === '') throw new InvalidValueError('displayName is required');
      const listed = Array.isArray(fields.members) ? (fields.members as { value?: unknown }[]) : [];
      const ids = listed.map((m) => String(m?.value ?? ''));
      const members = ids.length ? await valuesForIds(ids) : [];
      const attrs: Record<string, string[]> = { objectClass: [g.objectClass], [g.nameAttribute]: [name] };
      const values = members.length
        ? members
        : g.placeholderMember !== undefined
          ? [g.placeholderMember]
          : [];
      if (values.length) attrs[g.memberAttribute] = values;
      if (g.extraOnCreate) Object.assign(attrs, await g.extraOnCreate(client));
      const dn = `${rdn(g.nameAttribute, name)},${groupBase}`;
      report('ADD', dn, attrs, Object.keys(attrs));
      if (dryRun) return { id: '', displayName: name, members: null, raw: { dn, ...attrs } };
      await client.add(dn, attrs);
      const e = await client.read(dn, withMembers, binary);
      if (!e) throw new NotFoundError(`the group ${dn} is gone`);
      return toGroup(e, true);
    },

    async changeMembers(groupId: string, change: MemberChange) {
      const e = await findById(groupId, withMembers);
      if (!e) throw new NotFoundError('Group Not Found');
      const wanted = await valuesForIds(change.ids);
      const current = memberValues(e);
      const has = (v: string) => current.some((c) => sameValue(c, v));
      const send = change.op === 'add' ? wanted.filter((v) => !has(v)) : wanted.filter(has);
      // A class that MUST have a member (groupOfNames) holds the placeholder only while it has no
      // other member: the add that brings the first member drops it, the remove of the last adds it.
      const ph = g.placeholderMember;
      const holdsPh = ph !== undefined && textValues(e, g.memberAttribute).includes(ph);
      const parts = chunks([...new Set(send)], kit.memberChunkSize);
      const emptied = change.op === 'remove' && current.length === new Set(send).size;
      for (const [i, part] of parts.entries()) {
        const values = (op: 'add' | 'delete', v: string[]) => attributeChange(op, g.memberAttribute, v);
        const changes = [values(change.op === 'add' ? 'add' : 'delete', part)];
        if (ph !== undefined && i === 0 && change.op === 'add' && holdsPh)
          changes.push(values('delete', [ph]));
        if (ph !== undefined && i === parts.length - 1 && emptied && !holdsPh)
          changes.unshift(values('add', [ph]));
        const body = Object.fromEntries(changes.map((c) => [c.operation, c.modification.values]));
        report('MODIFY', e.dn, { [g.memberAttribute]: body }, [g.memberAttribute]);
        if (!dryRun) await client.modify(e.dn, changes);
      }
    },

    async deleteGroup(id: string) {
      const e = await findById(id, baseAttrs);
      if (!e) throw new NotFoundError('Group Not Found');
      report('DELETE', e.dn, undefined, []);
      if (!dryRun) await client.del(e.dn);
    },

    async listGroups(req) {
      const page = await kit.lister.page(
        {
          base: groupBase,
          filter: classAnd(g.objectClass, 'objectClass', g.objectClass),
          attributes: baseAttrs,
          binary,
        },
        req,
      );
      return {
        items: await Promise.all(page.items.map((e) => toGroup(e, false))),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
  };
}
