// The Active-Directory connector: the directory kit's connector on AD's profile, plus what AD needs
// around it: a password is refused before anything is written when the connection is not encrypted;
// userPrincipalName follows sAMAccountName@upnSuffix when the profile gives none; a disabled account
// is put in `disabledGroup` (before it moves, while it is still found under userBase) and taken out on
// enable; an account in `disabledOu` outside userBase is still found (a second view of the kit on
// that OU); and AD's diagnostic codes are explained in the message.
import type { Account, AppObject, Connector, ConnectorContext, LookupKey } from '../../core/connector.js';
import { ConfigError, IamError, NotFoundError, NotSupportedError } from '../../core/errors.js';
import { createDirectoryConnector } from '../../ldap/connector.js';
import { normalizeDn } from '../../ldap/escape.js';
import type { DirectoryProfile } from '../../ldap/profile.js';
import { explainAdDiagnostic } from './diagnostics.js';
import { isUnder } from './profile.js';
import type { AdResolved } from './settings.js';
import { isEncrypted } from './unicode-pwd.js';

export interface AdConnectorOptions {
  poolSize: number;
  lookup: readonly string[];
  userAttributes: readonly string[];
  mappingFields?: readonly string[];
}

/** The configured containers, by setting name: a search of one that fails names the setting. */
type Bases = Readonly<Record<string, string | undefined>>;

/**
 * Adds what an AD diagnostic code means to the error's message (once); a search of a configured
 * base that the DC says does not exist names the setting (Samba's text for it is internal).
 */
export function explained(e: unknown, bases: Bases = {}): unknown {
  if (!(e instanceof IamError)) return e;
  const d = explainAdDiagnostic(e.message);
  if (d && !e.message.includes(d.meaning)) e.message = `${e.message}: ${d.meaning}`;
  const searched = /^LDAP search (.+?): /.exec(e.message)?.[1];
  const setting = Object.entries(bases).find(
    ([, dn]) => dn && searched && normalizeDn(dn) === normalizeDn(searched),
  );
  if (e instanceof NotFoundError && setting && !e.message.startsWith(setting[0])) {
    e.message = `${setting[0]} ${setting[1]} does not exist on the directory (${e.message})`;
  }
  return e;
}

const dnOf = (a: Account): string => (typeof a.raw.dn === 'string' ? a.raw.dn : '');

/**
 * A computer account is objectClass `user` too (user -> computer): with userBase at the domain, a
 * lookup of `DC1$` would find the domain controller. Accounts here are people, so computers are
 * never returned (nor, then, disabled or deleted).
 */
export const isComputer = (a: Account): boolean =>
  [a.raw.objectClass].flat().some((c) => typeof c === 'string' && c.toLowerCase() === 'computer');
const people = (list: Account[]): Account[] => list.filter((a) => !isComputer(a));

export function createAdConnector(
  settings: AdResolved,
  profile: DirectoryProfile,
  ctx: ConnectorContext,
  opts: AdConnectorOptions,
): Connector {
  const bases: Bases = {
    userBase: settings.userBase,
    groupBase: settings.groupBase,
    disabledOu: settings.disabledOu,
  };
  const explain = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw explained(e, bases);
    }
  };
  const main = createDirectoryConnector(profile, settings, ctx, opts);
  const { disabledOu } = settings;
  // Accounts moved to a disabledOu outside userBase are found through a view of the kit on that OU.
  const apart = disabledOu !== undefined && !isUnder(disabledOu, settings.userBase);
  const parked =
    apart && disabledOu
      ? createDirectoryConnector(profile, { ...settings, userBase: disabledOu }, ctx, opts)
      : null;
  const viewOf = (a: Account): Connector =>
    parked && disabledOu && isUnder(dnOf(a), disabledOu) ? parked : main;

  const need = <K extends keyof Connector>(c: Connector, op: K): NonNullable<Connector[K]> => {
    const fn = c[op];
    if (!fn) throw new NotSupportedError(`the directory kit has no ${String(op)}`);
    return (fn as (...a: unknown[]) => unknown).bind(c) as NonNullable<Connector[K]>;
  };

  /** The disabledGroup's id (looked up once per connector). */
  let groupId: Promise<string> | undefined;
  const disabledGroupId = () => {
    groupId ??= (async () => {
      const name = settings.disabledGroup as string;
      const found = (await need(main, 'findGroups')(name, { includeMembers: false })).filter(
        (g) => g.displayName?.toLowerCase() === name.toLowerCase(),
      );
      if (found.length !== 1 || !found[0]) {
        groupId = undefined;
        throw new NotFoundError(`disabledGroup: no group named "${name}" under ${settings.groupBase}`);
      }
      return found[0].id;
    })();
    return groupId;
  };

  const withUpn = (fields: AppObject): AppObject => {
    const sam = fields.sAMAccountName;
    if (fields.userPrincipalName !== undefined || typeof sam !== 'string' || sam === '') return fields;
    return { ...fields, userPrincipalName: `${sam}@${settings.upnSuffix}` };
  };

  // Every operation of the kit, its errors explained; the ones below add AD's steps.
  const all = Object.fromEntries(
    Object.entries(main).map(([k, f]) => [
      k,
      typeof f === 'function' ? (...args: unknown[]) => explain(Promise.resolve(f.apply(main, args))) : f,
    ]),
  ) as unknown as Connector;

  return {
    ...all,

    async findUsers(key: LookupKey) {
      const found = await explain(need(main, 'findUsers')(key));
      if (!parked) return people(found);
      return people([...found, ...(await explain(need(parked, 'findUsers')(key)))]);
    },

    async getUser(id: string) {
      const a =
        (await explain(need(main, 'getUser')(id))) ??
        (parked ? await explain(need(parked, 'getUser')(id)) : null);
      return a && !isComputer(a) ? a : null;
    },

    async listUsers(req) {
      const page = await explain(need(main, 'listUsers')(req));
      return { ...page, items: people(page.items) };
    },

    async createUser(fields: AppObject, o: { active: boolean }) {
      const password = fields.password;
      if (typeof password === 'string' && password !== '' && !isEncrypted(settings)) {
        // Refused before the add: no account is left behind without the password asked for.
        throw new ConfigError(
          'Active Directory sets a password (unicodePwd) only over an encrypted connection: set url to ldaps://... or startTls: true (nothing was created)',
        );
      }
      const made = await explain(need(main, 'createUser')(withUpn(fields), o));
      // A dry run's account is made from the add (the kit names it by its RDN, cn): the username is
      // the usernameAttribute asked for.
      const asked = fields[settings.usernameAttribute];
      return ctx.dryRun && typeof asked === 'string' ? { ...made, username: asked } : made;
    },

    async updateUser(a: Account, fields: AppObject) {
      // A new sAMAccountName carries its derived UPN along (one it set itself, never another).
      const oldSam = typeof a.raw.sAMAccountName === 'string' ? a.raw.sAMAccountName : undefined;
      const derived = oldSam !== undefined && a.raw.userPrincipalName === `${oldSam}@${settings.upnSuffix}`;
      const renamed = typeof fields.sAMAccountName === 'string' && fields.sAMAccountName !== oldSam;
      const next = derived && renamed ? withUpn(fields) : fields;
      return explain(need(viewOf(a), 'updateUser')(a, next));
    },

    async setActive(a: Account, active: boolean) {
      // The group is resolved before any write, so a wrong disabledGroup changes nothing.
      const group = settings.disabledGroup === undefined ? null : await explain(disabledGroupId());
      if (group !== null && !active) {
        await explain(need(main, 'changeMembers')(group, { op: 'add', ids: [a.id] }));
      }
      const after = await explain(need(viewOf(a), 'setActive')(a, active));
      if (group !== null && active) {
        await explain(need(main, 'changeMembers')(group, { op: 'remove', ids: [after.id] }));
      }
      return after;
    },

    deleteUser: (a: Account) => explain(need(viewOf(a), 'deleteUser')(a)),

    async close() {
      await Promise.all([main.close(), parked?.close()]);
    },
  };
}
