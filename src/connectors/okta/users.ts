// The user operations of contract v2 on Okta's Users API. They translate only: the core decides
// not-found, ambiguity (two users answering one login or email are both returned), skips and
// delegation, and checks that each candidate holds the value asked.
import { isDeepStrictEqual } from 'node:util';
import type { Account, AppObject, LookupKey, Page, UserOperations } from '../../core/connector.js';
import { AppError, NotFoundError, NotSupportedError, UsageError } from '../../core/errors.js';
import { statusOf, toAccount } from './account.js';
import { eqExpression, MAX_PAGE_SIZE, type OktaClient } from './client.js';

/** The profile property each lookup attribute is searched by. */
const SEARCH_BY: Readonly<Record<string, string>> = { login: 'profile.login', email: 'profile.email' };

/**
 * listUsers reads Okta's default list, then the deactivated users: "List users" without a search
 * leaves DEPROVISIONED users out (Users API), so they are asked for by status.
 */
const LISTS: readonly (string | undefined)[] = [undefined, eqExpression('status', 'DEPROVISIONED')];

interface Cursor {
  l: number;
  a?: string;
}
const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
function decodeCursor(raw: string | undefined): Cursor {
  if (raw === undefined) return { l: 0 };
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (
      Number.isInteger(c.l) &&
      c.l >= 0 &&
      c.l < LISTS.length &&
      (c.a === undefined || typeof c.a === 'string')
    )
      return c;
  } catch {
    // falls through to the error below
  }
  throw new UsageError('cursor: not a cursor this Okta instance gave out', 'cursor');
}

/** A failure after an earlier step landed: the step that landed is named, never hidden. */
function afterStep(e: unknown, done: string): unknown {
  if (!(e instanceof AppError)) return e;
  return new AppError(`${done}, but then: ${e.message}`, {
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
    mayHaveLanded: e.mayHaveLanded,
    cause: e,
  });
}

export function oktaUserOperations(client: OktaClient): UserOperations {
  const getUser = async (id: string): Promise<Account | null> => {
    const raw = await client.getUser(id);
    // Okta also reads a login (or its short name) in the id's place: only the id itself counts.
    return raw && raw.id === id ? toAccount(raw, `GET users/${id}`) : null;
  };

  /** The account as Okta holds it now (after a lifecycle call, which answers no user). */
  const reread = async (account: Account, what: string): Promise<Account> => {
    const after = await getUser(account.id);
    if (!after) throw new NotFoundError(`user ${account.id} is gone after ${what}`);
    return after;
  };

  return {
    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute === 'id') {
        const account = await getUser(key.value);
        return account ? [account] : [];
      }
      const property = SEARCH_BY[key.attribute];
      if (!property)
        throw new NotSupportedError(`Okta looks users up by id, login or email, not by ${key.attribute}`);
      const users = await client.searchUsers(eqExpression(property, key.value));
      return users.map((u) => toAccount(u, 'GET users?search'));
    },

    getUser,

    async createUser(fields: AppObject, opts: { active: boolean }): Promise<Account> {
      const { password, ...profile } = fields;
      if (typeof profile.login !== 'string' || profile.login === '') {
        throw new UsageError('login: Okta creates a user by login, and the profile maps to none', 'login');
      }
      const body: AppObject = { profile };
      if (typeof password === 'string' && password !== '')
        body.credentials = { password: { value: password } };
      return toAccount(await client.createUser(body, opts.active), 'POST users');
    },

    async updateUser(account: Account, fields: AppObject) {
      const { password: _never, ...wanted } = fields;
      const changed = Object.keys(wanted).filter(
        (k) => wanted[k] !== undefined && !isDeepStrictEqual(wanted[k], account.raw[k]),
      );
      if (changed.length === 0) return { account, changed };
      const answer = await client.updateProfile(
        account.id,
        Object.fromEntries(changed.map((k) => [k, wanted[k]])),
      );
      return { account: toAccount(answer, `POST users/${account.id}`), changed };
    },

    async setActive(account: Account, active: boolean): Promise<Account> {
      // Enable: a SUSPENDED user is unsuspended; a STAGED or DEPROVISIONED one is activated.
      const op = !active ? 'deactivate' : statusOf(account) === 'SUSPENDED' ? 'unsuspend' : 'activate';
      await client.lifecycle(account.id, op);
      return reread(account, `lifecycle/${op}`);
    },

    async deleteUser(account: Account) {
      // Okta deletes only a DEPROVISIONED user (a DELETE of any other deactivates it): deactivate first.
      const deactivated = statusOf(account) !== 'DEPROVISIONED';
      if (deactivated) await client.lifecycle(account.id, 'deactivate');
      await client.deleteUser(account.id).catch((e: unknown) => {
        throw deactivated
          ? afterStep(e, `user ${account.id} was deactivated (DEPROVISIONED) but not deleted`)
          : e;
      });
      return { details: { deactivated } };
    },

    async listUsers(req): Promise<Page<Account>> {
      const at = decodeCursor(req.cursor);
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? MAX_PAGE_SIZE)));
      const search = LISTS[at.l];
      const path = search === undefined ? 'users' : `users?search=${encodeURIComponent(search)}`;
      const page = await client.page(path, size, at.a);
      const items = page.items.map((u) => toAccount(u, 'GET users'));
      const next = page.after
        ? { l: at.l, a: page.after }
        : at.l + 1 < LISTS.length
          ? { l: at.l + 1 }
          : undefined;
      return next ? { items, cursor: encodeCursor(next) } : { items };
    },
  };
}
