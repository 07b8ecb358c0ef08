// The user operations of contract v2 on Microsoft Graph's user resource. They translate only: the
// core decides not-found, ambiguity, skips and delegation, and checks each candidate holds the value.
import { isDeepStrictEqual } from 'node:util';
import type { Account, AppObject, LookupKey, Page, UserOperations } from '../../core/connector.js';
import { NotFoundError, NotSupportedError, UsageError } from '../../core/errors.js';
import { isObject, toAccount } from './account.js';
import { type GraphClient, MAX_PAGE_SIZE } from './client.js';
import { generatePassword } from './password.js';

export interface EntraUserSettings {
  /** Appended to a username without `@` to form the userPrincipalName. */
  domain?: string | undefined;
}

/** What "Delete a user" does, in the record's details. */
export const DELETE_DETAILS: AppObject = {
  deletedTo: 'deletedItems',
  restorableForDays: 30,
  note: 'Microsoft Entra ID keeps a deleted user in the recycle bin (deleted items) for 30 days; restore it there',
};

/** mailNickname may not hold @ ( ) \ [ ] " ; : < > , or spaces ("user resource type"). */
const nickname = (upn: string): string =>
  (upn.split('@')[0] ?? upn).replace(/[@()\\[\]";:<>,\s]/g, '') || 'user';

export const encodeCursor = (path: string): string => Buffer.from(path, 'utf8').toString('base64url');
export function decodeCursor(raw: string, client: GraphClient, collection: 'users' | 'groups'): string {
  const path = Buffer.from(raw, 'base64url').toString('utf8');
  if (raw === '' || !client.isListPath(path, collection)) {
    throw new UsageError(`cursor: not a cursor this Entra ID instance gave out`, 'cursor');
  }
  return path;
}

export function entraUserOperations(client: GraphClient, settings: EntraUserSettings): UserOperations {
  const upn = (v: unknown): unknown =>
    typeof v === 'string' && v !== '' && !v.includes('@') && settings.domain ? `${v}@${settings.domain}` : v;

  const getUser = async (id: string): Promise<Account | null> => {
    const raw = await client.getUser(id);
    // GET /users/{x} also reads a userPrincipalName: an answer for another id is not this id.
    if (!raw) return null;
    const account = toAccount(raw, `GET users/${id}`);
    return account.id === id ? account : null;
  };

  return {
    lookupKey(key: LookupKey): LookupKey {
      return key.attribute === 'userPrincipalName' ? { ...key, value: String(upn(key.value)) } : key;
    },

    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute === 'id') {
        const account = await getUser(key.value);
        return account ? [account] : [];
      }
      if (key.attribute !== 'userPrincipalName' && key.attribute !== 'mail') {
        throw new NotSupportedError(
          `Entra ID looks users up by id, userPrincipalName or mail, not by ${key.attribute}`,
        );
      }
      const value = key.attribute === 'userPrincipalName' ? String(upn(key.value)) : key.value;
      const found = await client.findUsers(key.attribute, value);
      return found.map((u) => toAccount(u, `GET users?$filter=${key.attribute}`));
    },

    getUser,

    async createUser(fields: AppObject, opts: { active: boolean }): Promise<Account> {
      const { passwordProfile, ...rest } = fields;
      const body: AppObject = { ...rest, userPrincipalName: upn(rest.userPrincipalName) };
      const name = body.userPrincipalName;
      if (typeof name !== 'string' || name === '') {
        throw new UsageError(
          'username: Entra ID creates a user by userPrincipalName, and the profile maps to none',
          'username',
        );
      }
      if (!name.includes('@')) {
        throw new UsageError(
          `username: ${JSON.stringify(name)} has no @domain: give user@domain, or set the instance's domain`,
          'username',
        );
      }
      body.mailNickname ??= nickname(name);
      body.displayName ??= name.split('@')[0];
      body.accountEnabled = opts.active;
      const given = isObject(passwordProfile) ? passwordProfile : {};
      let password = typeof given.password === 'string' && given.password !== '' ? given.password : undefined;
      // Generated when the profile has none. It travels only under `passwordProfile`, a key every
      // log, audit line and record redacts; it is not added to the instance's secret list (a batch of
      // thousands would make every redaction slower with each user).
      password ??= generatePassword();
      const answer = await client.createUser({
        ...body,
        passwordProfile: { forceChangePasswordNextSignIn: true, ...given, password },
      });
      // "Create user" answers the default property set: what was sent completes it (no password).
      return toAccount({ ...body, ...answer, accountEnabled: opts.active }, 'POST users');
    },

    async updateUser(account: Account, fields: AppObject) {
      const { passwordProfile: _never, ...wanted } = fields;
      if (wanted.userPrincipalName !== undefined) wanted.userPrincipalName = upn(wanted.userPrincipalName);
      const changed = Object.keys(wanted).filter(
        (k) => wanted[k] !== undefined && !isDeepStrictEqual(wanted[k], account.raw[k]),
      );
      if (changed.length === 0) return { account, changed };
      await client.updateUser(account.id, Object.fromEntries(changed.map((k) => [k, wanted[k]])));
      // Graph answers 204: the account after is read back.
      const after = await getUser(account.id);
      if (!after) throw new NotFoundError(`user ${account.id} is gone after the update`);
      return { account: after, changed };
    },

    async setActive(account: Account, active: boolean): Promise<Account> {
      await client.updateUser(account.id, { accountEnabled: active });
      return toAccount({ ...account.raw, accountEnabled: active }, `PATCH users/${account.id}`);
    },

    async deleteUser(account: Account) {
      await client.deleteUser(account.id);
      return { details: { ...DELETE_DETAILS } };
    },

    async listUsers(req): Promise<Page<Account>> {
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? 100)));
      const next = req.cursor === undefined ? undefined : decodeCursor(req.cursor, client, 'users');
      const page = await client.listUsersPage(size, next);
      const items = page.items.map((u) => toAccount(u, 'GET users'));
      return page.next ? { items, cursor: encodeCursor(page.next) } : { items };
    },
  };
}
