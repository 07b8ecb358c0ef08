// User operations of the directory connector: lookups, create, update (one modify, a rename as a
// modify-DN), enable/disable, delete. Every write is reported to ctx.onWrite before it is sent, and
// in a dry run only reported.
import type { Change } from 'ldapts';
import type { Account, AppObject, ConnectorContext, LookupKey, UserOperations } from '../core/connector.js';
import { InvalidValueError, NotFoundError, NotSupportedError } from '../core/errors.js';
import type { DirEntry, DirectoryClient } from './client.js';
import { attributeValues, classAnd, planChanges, scrubPasswords, toAccount } from './entries.js';
import { firstRdn, normalizeDn, parentDn, rdn, reescapeRdn } from './escape.js';
import { attributeChange } from './lib.js';
import type { PagedLister } from './paged.js';
import type { DirectoryProfile } from './profile.js';

export interface UserKit {
  client: DirectoryClient;
  profile: DirectoryProfile;
  lister: PagedLister;
  userBase: string;
  /** Attributes read for a user. */
  attributes: readonly string[];
  /** App attributes users may be looked up by (besides `id`). */
  lookup: readonly string[];
  ctx: ConnectorContext;
}

export function directoryUserOperations(kit: UserKit): UserOperations {
  const { client, profile, userBase, attributes, ctx } = kit;
  const dryRun = ctx.dryRun === true;
  const binary = profile.binaryAttributes;
  const entries = new WeakMap<Account, DirEntry>();
  const account = (e: DirEntry): Account => {
    const a = toAccount(profile, e);
    entries.set(a, e);
    return a;
  };
  const notWritable = new Set(
    ['id', 'dn', profile.idAttribute, ...profile.readOnlyAttributes].map((k) => k.toLowerCase()),
  );

  const search = async (attribute: string, value: string | Buffer) =>
    (
      await client.search({
        base: userBase,
        filter: classAnd(profile.userFilterClass, attribute, value),
        attributes,
        binary,
      })
    ).map(account);

  const byId = async (id: string): Promise<Account | null> => {
    const enc = profile.encodeId(id);
    if (enc === null) return null;
    return (await search(profile.idAttribute, enc))[0] ?? null;
  };

  const readDn = async (dn: string): Promise<Account> => {
    const e = await client.read(dn, attributes, binary);
    if (!e) throw new NotFoundError(`the entry ${dn} is gone`);
    return account(e);
  };

  const entryOf = async (a: Account): Promise<DirEntry> => {
    const known = entries.get(a);
    if (known) return known;
    const again = await byId(a.id);
    const e = again && entries.get(again);
    if (!e) throw new NotFoundError(`User ${a.id} does not exist`);
    return e;
  };

  const omit = new Set((profile.omitFromAdd ?? []).map((k) => k.toLowerCase()));
  const report = (method: string, dn: string, body: AppObject | undefined, fields: readonly string[]) =>
    ctx.onWrite?.({ method, path: dn, ...(body ? { body: scrubPasswords(body) } : {}), fields });

  /** Writes `fields` (the update variant) as changes of `entry`, all in one modify. */
  const modifyChanges = (changes: AppObject): Change[] =>
    Object.entries(changes).map(([k, v]) =>
      attributeChange(v === null ? 'delete' : 'replace', k, v === null ? [] : attributeValues(k, v)),
    );

  return {
    async findUsers(key: LookupKey) {
      if (key.attribute === 'id') return [await byId(key.value)].filter((a): a is Account => a !== null);
      const attr = kit.lookup.find((a) => a.toLowerCase() === key.attribute.toLowerCase());
      if (!attr) {
        throw new NotSupportedError(
          `cannot look users up by "${key.attribute}"; by id, ${kit.lookup.join(' or ')} only`,
        );
      }
      return search(attr, key.value);
    },

    getUser: byId,

    async createUser(fields: AppObject, opts: { active: boolean }) {
      const attrs: Record<string, string[]> = { objectClass: [...profile.userObjectClasses] };
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined || v === null || notWritable.has(k.toLowerCase()) || omit.has(k.toLowerCase()))
          continue;
        const values = attributeValues(k, v);
        if (values.length) attrs[k] = values;
      }
      for (const [k, from] of Object.entries(profile.createDefaults)) {
        if (attrs[k]) continue;
        const source = from.find((f) => attrs[f]?.length);
        if (source) attrs[k] = [...(attrs[source] ?? [])];
      }
      Object.assign(attrs, profile.activeOnCreate(opts.active));
      const naming = attrs[profile.namingAttribute]?.[0];
      if (!naming) throw new InvalidValueError(`${profile.namingAttribute} is required to create a user`);
      const dn = `${rdn(profile.namingAttribute, naming)},${userBase}`;
      report('ADD', dn, attrs, Object.keys(attrs));
      if (!dryRun) await client.add(dn, attrs);
      const step = profile.afterCreate;
      if (step) {
        await step({
          client,
          dn,
          fields,
          active: opts.active,
          dryRun,
          report: (method, target, names) => report(method, target, undefined, names),
        });
      }
      if (dryRun) {
        const flat = Object.fromEntries(
          Object.entries(attrs).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
        );
        const email = attrs[profile.emailAttribute]?.[0] ?? null;
        return { id: '', username: naming, email, active: opts.active, raw: { dn, ...flat } };
      }
      return readDn(dn);
    },

    async updateUser(a: Account, fields: AppObject) {
      const entry = await entryOf(a);
      const changes = planChanges(a.raw, fields, notWritable);
      const names = Object.keys(changes);
      if (!names.length) return { account: a, changed: [] };
      let dn = entry.dn;
      const naming = Object.keys(changes).find(
        (k) => k.toLowerCase() === profile.namingAttribute.toLowerCase(),
      );
      if (naming !== undefined) {
        const value = changes[naming];
        if (typeof value !== 'string' || value === '') {
          throw new InvalidValueError(`${profile.namingAttribute} cannot be removed (it names the entry)`);
        }
        delete changes[naming];
        const newRdn = rdn(profile.namingAttribute, value);
        report('MODDN', dn, { newRdn }, [naming]);
        if (!dryRun) await client.rename(dn, newRdn);
        dn = `${newRdn},${parentDn(entry.dn)}`;
      }
      if (Object.keys(changes).length) {
        report('MODIFY', dn, changes, Object.keys(changes));
        if (!dryRun) await client.modify(dn, modifyChanges(changes));
      }
      if (dryRun) return { account: { ...a, raw: { ...a.raw, ...changes } }, changed: names };
      return { account: await readDn(dn), changed: names };
    },

    async setActive(a: Account, active: boolean) {
      const entry = await entryOf(a);
      const changes = profile.activeChange(entry, active);
      if (changes?.length) {
        const names = changes.map((c) => c.modification.type);
        report(
          'MODIFY',
          entry.dn,
          Object.fromEntries(changes.map((c) => [c.modification.type, c.operation])),
          names,
        );
        if (!dryRun) await client.modify(entry.dn, changes);
      }
      let dn = entry.dn;
      const parent = profile.moveOnActive?.(entry, active) ?? null;
      if (parent !== null && normalizeDn(parent) !== normalizeDn(parentDn(dn))) {
        const own = reescapeRdn(firstRdn(dn));
        report('MODDN', dn, { newSuperior: parent }, []);
        if (!dryRun) await client.rename(dn, own, parent);
        dn = `${own},${parent}`;
      }
      if (dryRun) return { ...a, active };
      return readDn(dn);
    },

    async deleteUser(a: Account) {
      const entry = await entryOf(a);
      report('DELETE', entry.dn, undefined, []);
      if (!dryRun) await client.del(entry.dn);
      return {};
    },

    async listUsers(req) {
      const page = await kit.lister.page(
        {
          base: userBase,
          filter: classAnd(profile.userFilterClass, 'objectClass', profile.userFilterClass),
          attributes,
          binary,
        },
        req,
      );
      return { items: page.items.map(account), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
  };
}
