// The user operations of contract v2 on the Directory API users resource. They translate only: the
// core decides not-found, ambiguity, skips and delegation, and checks each candidate holds the value.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Account, AppObject, LookupKey, Page, UserOperations } from '../../core/connector.js';
import { NotFoundError, NotSupportedError, UsageError } from '../../core/errors.js';
import { SECRET_KEY, Secret } from '../../core/secrets.js';
import { isObject, toAccount } from './account.js';
import { type GoogleClient, MAX_USERS_PAGE } from './client.js';
import { ENTRY_FIELDS } from './mapping.js';

/** "A deleted user can be restored within 20 days" (Admin help, "Restore a recently deleted user"). */
export const RESTORE_DAYS = 20;

const withoutSecrets = (o: AppObject): AppObject =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !SECRET_KEY.test(k)));

/**
 * A password Google accepts (8 to 100 ASCII characters): 32 random base64url characters. It is never
 * shown: it travels only in the `password` field, which the HTTP log and the records hide by name
 * (not by value: a batch of thousands of creates would make the list of values to hide grow
 * without bound), and nothing else holds it.
 */
export function generatePassword(): Secret {
  return new Secret(randomBytes(24).toString('base64url'));
}

/** The entry of `list` that `entry` stands for: the same `type` (and customType), or both primary. */
function sameEntry(a: AppObject, b: AppObject): boolean {
  if (a.type !== undefined || b.type !== undefined) return a.type === b.type && a.customType === b.customType;
  return a.primary === true && b.primary === true;
}

/**
 * A PATCH replaces a whole array: the entries the profile speaks of replace (or join) the app's
 * entries of the same type, and the others (the work phone when the mobile changes) are kept.
 */
export function mergeEntries(current: unknown, sent: unknown): unknown {
  if (!Array.isArray(sent) || !Array.isArray(current)) return sent;
  const out = current.map((e: unknown) => (isObject(e) ? { ...e } : e));
  for (const entry of sent) {
    if (!isObject(entry)) continue;
    const at = out.findIndex((e) => isObject(e) && sameEntry(e, entry));
    if (at < 0) out.push(entry);
    else out[at] = { ...(out[at] as AppObject), ...entry };
  }
  return out;
}

/** The value a PATCH of `key` sends, given the account's: objects merged (name), entry lists merged. */
function wanted(key: string, current: unknown, sent: unknown): unknown {
  if (ENTRY_FIELDS.has(key)) return mergeEntries(current, sent);
  if (isObject(sent) && isObject(current)) return { ...current, ...sent };
  return sent;
}

export function googleUserOperations(client: GoogleClient): UserOperations {
  const read = async (key: string): Promise<Account | null> => {
    try {
      return toAccount(await client.getUser(key), `GET users/${key}`);
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  };

  return {
    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute !== 'id' && key.attribute !== 'primaryEmail') {
        throw new NotSupportedError(
          `Google Workspace looks users up by id or primaryEmail, not by ${key.attribute}`,
        );
      }
      if (key.attribute === 'primaryEmail' && !key.value.includes('@')) {
        throw new UsageError(
          `email: ${JSON.stringify(key.value)} is not an email address (Google would read it as a user id)`,
          'email',
        );
      }
      // users.get reads an id, a primary email or an alias alike: the core keeps only a real match.
      const account = await read(key.value);
      return account ? [account] : [];
    },

    async getUser(id: string) {
      const account = await read(id);
      return account && account.id === id ? account : null;
    },

    async createUser(fields: AppObject, opts: { active: boolean }): Promise<Account> {
      if (typeof fields.primaryEmail !== 'string' || fields.primaryEmail === '') {
        throw new UsageError(
          'email: Google Workspace creates a user by primaryEmail, and the profile maps to none',
          'email',
        );
      }
      let password = fields.password;
      if (typeof password !== 'string' || password === '') {
        password = generatePassword().reveal();
      }
      const answer = await client.insertUser({ ...fields, password, suspended: !opts.active });
      return toAccount(withoutSecrets(answer), 'POST users');
    },

    async updateUser(account: Account, fields: AppObject) {
      const body: AppObject = {};
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        const next = wanted(k, account.raw[k], v);
        if (!isDeepStrictEqual(next, account.raw[k])) body[k] = next;
      }
      const changed = Object.keys(body);
      if (changed.length === 0) return { account, changed };
      const after = await client.patchUser(account.id, body);
      return { account: toAccount(withoutSecrets(after), `PATCH users/${account.id}`), changed };
    },

    async setActive(account: Account, active: boolean): Promise<Account> {
      const after = await client.patchUser(account.id, { suspended: !active });
      return toAccount(withoutSecrets(after), `PATCH users/${account.id}`);
    },

    async deleteUser(account: Account) {
      await client.deleteUser(account.id);
      return { details: { restorableForDays: RESTORE_DAYS } };
    },

    async listUsers(req): Promise<Page<Account>> {
      if (req.cursor === '') throw new UsageError('cursor: empty', 'cursor');
      const size = Math.min(MAX_USERS_PAGE, Math.max(1, Math.floor(req.limit ?? MAX_USERS_PAGE)));
      const page = await client.listUsersPage(size, req.cursor);
      const items = page.items.map((u) => toAccount(u, 'GET users'));
      return page.next ? { items, cursor: page.next } : { items };
    },
  };
}
