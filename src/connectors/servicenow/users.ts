// The user operations of contract v2 on sys_user through the Table API. They translate only: the
// core decides not-found, ambiguity, skips and delegation, and checks each candidate holds the value
// asked. Lookups by user_name or email go through `sysparm_query` built by query.ts, which refuses a
// value that could add a condition; a lookup by sys_id is a GET of the record itself.
import { isDeepStrictEqual } from 'node:util';
import type { Account, AppObject, LookupKey, Page, UserOperations } from '../../core/connector.js';
import { NotSupportedError, UsageError } from '../../core/errors.js';
import { MAX_PAGE_SIZE, type SnowClient } from './client.js';
import { toAccount } from './mapping.js';
import { equals, SYS_ID } from './query.js';

/** The lookup attributes, in order (capabilities.lookup). */
export const SNOW_LOOKUP = ['id', 'user_name', 'email'] as const;

/** What the Table API stores: strings (booleans as "true"/"false"); objects and lists as given. */
function wire(v: unknown): unknown {
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return v;
}

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor))
    throw new UsageError('cursor: not a cursor this ServiceNow instance gave out', 'cursor');
  return Number(cursor);
}

export function snowUserOperations(client: SnowClient, fields: readonly string[]): UserOperations {
  const getUser = async (id: string): Promise<Account | null> => {
    const raw = await client.get('sys_user', id, fields);
    const account = raw && toAccount(raw, `GET sys_user/${id}`);
    return account && account.id === id ? account : null;
  };

  const write = async (account: Account, body: AppObject): Promise<Account> => {
    const raw = await client.update('sys_user', account.id, body, fields);
    return toAccount(raw, `PATCH sys_user/${account.id}`);
  };

  return {
    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute === 'id') {
        if (!SYS_ID.test(key.value)) {
          throw new UsageError(
            `id: ${JSON.stringify(key.value)} is not a ServiceNow sys_id (32 hex characters)`,
            'id',
          );
        }
        const account = await getUser(key.value);
        return account ? [account] : [];
      }
      if (key.attribute !== 'user_name' && key.attribute !== 'email') {
        throw new NotSupportedError(
          `ServiceNow looks users up by sys_id, user_name or email, not by ${key.attribute}`,
        );
      }
      const rows = await client.list('sys_user', equals(key.attribute, key.value), fields);
      return rows.map((r) => toAccount(r, 'GET sys_user'));
    },

    getUser,

    async createUser(body: AppObject, opts: { active: boolean }): Promise<Account> {
      const record: AppObject = {};
      for (const [k, v] of Object.entries(body)) if (v !== undefined) record[k] = wire(v);
      if (typeof record.user_name !== 'string' || record.user_name === '') {
        throw new UsageError(
          'username: ServiceNow creates a user by user_name, and the profile maps to none',
          'username',
        );
      }
      record.active = opts.active ? 'true' : 'false';
      const raw = await client.create('sys_user', record, fields);
      return toAccount(raw, 'POST sys_user');
    },

    async updateUser(account: Account, body: AppObject) {
      const changed = Object.keys(body).filter((k) => {
        const v = body[k];
        if (v === undefined) return false;
        const want = wire(v);
        const have = account.raw[k];
        return typeof want === 'string' ? want !== (have ?? '') : !isDeepStrictEqual(want, have);
      });
      if (changed.length === 0) return { account, changed };
      const after = await write(account, Object.fromEntries(changed.map((k) => [k, wire(body[k])])));
      return { account: after, changed };
    },

    async setActive(account: Account, active: boolean): Promise<Account> {
      const body: AppObject = active ? { active: 'true', locked_out: 'false' } : { active: 'false' };
      return write(account, body);
    },

    async deleteUser(account: Account) {
      await client.delete('sys_user', account.id);
      return {};
    },

    async listUsers(req): Promise<Page<Account>> {
      const offset = offsetOf(req.cursor);
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? client.pageSize)));
      const page = await client.page('sys_user', 'ORDERBYsys_id', fields, offset, size);
      const items = page.items.map((u) => toAccount(u, 'GET sys_user'));
      return page.next === undefined ? { items } : { items, cursor: String(page.next) };
    },
  };
}
