// The user operations of contract v2 on Zoom's Users API. They translate only: the core decides
// not-found, ambiguity, skips and delegation, and checks that each candidate holds the value asked.
import { isDeepStrictEqual } from 'node:util';
import type { Account, AppObject, LookupKey, Page, UserOperations } from '../../core/connector.js';
import { AppError, NotFoundError, NotSupportedError, UsageError } from '../../core/errors.js';
import { SECRET_KEY } from '../../core/secrets.js';
import { isIdOnly, isPending, toAccount, type ZoomStatus } from './account.js';
import { MAX_PAGE_SIZE, type ZoomClient } from './client.js';
import { CREATE_FIELDS } from './mapping.js';

export interface ZoomUserSettings {
  createAction: 'create' | 'autoCreate' | 'custCreate' | 'ssoCreate';
  userType: number;
  deleteAction: 'disassociate' | 'delete';
}

/** listUsers walks Zoom's three status lists in turn: "List users" without `status` gives only active users. */
const STATUSES: readonly ZoomStatus[] = ['active', 'inactive', 'pending'];

/** Zoom's `type` is a number; a profile gives strings. Anything but digits is refused, naming the field. */
function userType(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  throw new UsageError(
    `type: expected Zoom's user type as a number (1 Basic, 2 Licensed, 4 Unassigned, 99 None), got ${JSON.stringify(v)}`,
    'type',
  );
}

const withoutSecrets = (o: AppObject): AppObject =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !SECRET_KEY.test(k)));

/** The listUsers cursor: which status list, and Zoom's next_page_token in it. */
interface Cursor {
  s: number;
  t?: string;
}
const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
function decodeCursor(raw: string | undefined): Cursor {
  if (raw === undefined) return { s: 0 };
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (
      Number.isInteger(c.s) &&
      c.s >= 0 &&
      c.s < STATUSES.length &&
      (c.t === undefined || typeof c.t === 'string')
    )
      return c;
  } catch {
    // falls through to the error below
  }
  throw new UsageError('cursor: not a cursor this Zoom instance gave out', 'cursor');
}

/** Wraps a failure of a step after the user was created: the create landed and is named, never hidden. */
function afterCreate(e: unknown, id: string, email: unknown, what: string): unknown {
  if (!(e instanceof AppError)) return e;
  return new AppError(`user ${String(email)} was created (id ${id}) but ${what}: ${e.message}`, {
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
    cause: e,
  });
}

export function zoomUserOperations(client: ZoomClient, settings: ZoomUserSettings): UserOperations {
  /** GET /users/{id}; a pending user's id-only answer is completed from the pending list (its email, status). */
  const readUser = async (idOrEmail: string): Promise<Account | null> => {
    const raw = await client.getUser(idOrEmail);
    if (!raw) return null;
    const what = `GET users/${idOrEmail}`;
    if (!isIdOnly(raw) || typeof raw.id !== 'string') return toAccount(raw, what);
    const pending = await client.findPending(raw.id);
    return toAccount(pending ? { ...raw, ...pending } : raw, what);
  };

  const getUser = async (id: string): Promise<Account | null> => {
    const account = await readUser(id);
    // Zoom reads an email or `me` in the same place: an answer for another id is not this id.
    return account && account.id === id ? account : null;
  };

  return {
    async findUsers(key: LookupKey): Promise<Account[]> {
      if (key.attribute === 'id') {
        const account = await getUser(key.value);
        return account ? [account] : [];
      }
      if (key.attribute !== 'email') {
        throw new NotSupportedError(`Zoom looks users up by id or email, not by ${key.attribute}`);
      }
      // GET /users/{userId} reads a value without "@" as an id (or `me`, the account owner).
      if (!key.value.includes('@')) {
        throw new UsageError(
          `email: ${JSON.stringify(key.value)} is not an email address (Zoom would read it as a user id)`,
          'email',
        );
      }
      const account = await readUser(key.value);
      return account ? [account] : [];
    },

    getUser,

    async createUser(fields: AppObject, opts: { active: boolean }): Promise<Account> {
      const action = settings.createAction;
      if (!opts.active && action === 'create') {
        throw new NotSupportedError(
          "Zoom cannot create a disabled user with createAction 'create': the invitation activates it when " +
            'accepted, and a pending user cannot be deactivated. Use allow-enable true, or createAction ' +
            'autoCreate/custCreate/ssoCreate (created active, then deactivated)',
        );
      }
      const info: AppObject = {};
      const rest: AppObject = {};
      for (const [k, v] of Object.entries(fields)) (CREATE_FIELDS.has(k) ? info : rest)[k] = v;
      if (typeof info.email !== 'string' || info.email === '') {
        throw new UsageError('email: Zoom creates a user by email, and the profile maps to none', 'email');
      }
      info.type = userType(info.type) ?? settings.userType;
      const answer = await client.createUser(action, info);
      const created = toAccount({ ...withoutSecrets(info), ...answer }, 'POST users');
      const id = created.id;
      // Update-only fields (dept, job_title, ...) are not taken by Create users: set right after.
      if (Object.keys(rest).length > 0) {
        await client.updateUser(id, rest).catch((e: unknown) => {
          throw afterCreate(e, id, info.email, `its fields ${Object.keys(rest).join(', ')} were not set`);
        });
      }
      let status: ZoomStatus = action === 'create' ? 'pending' : 'active';
      if (!opts.active) {
        await client.setStatus(id, 'deactivate').catch((e: unknown) => {
          throw afterCreate(e, id, info.email, 'it is active: the deactivation failed');
        });
        status = 'inactive';
      }
      // The create answer and what was sent; `status` is the one the create action gives
      // (`create` invites: pending), since Get a user shows nothing more of a pending user.
      return toAccount({ ...created.raw, ...withoutSecrets(rest), status }, 'POST users');
    },

    async updateUser(account: Account, fields: AppObject) {
      const { email, ...wanted } = fields;
      if (wanted.type !== undefined) wanted.type = userType(wanted.type);
      const changed = Object.keys(wanted).filter(
        (k) => wanted[k] !== undefined && !isDeepStrictEqual(wanted[k], account.raw[k]),
      );
      // PATCH /users/{userId} cannot change the email: "Update a user's email" does, first, so a
      // refusal (the email is in use: 1005) leaves the user untouched.
      const newEmail =
        typeof email === 'string' && email !== '' && email.toLowerCase() !== account.email?.toLowerCase()
          ? email
          : undefined;
      if (newEmail === undefined && changed.length === 0) return { account, changed };
      if (newEmail !== undefined) await client.updateEmail(account.id, newEmail);
      if (changed.length > 0) {
        await client
          .updateUser(account.id, Object.fromEntries(changed.map((k) => [k, wanted[k]])))
          .catch((e: unknown) => {
            if (newEmail === undefined || !(e instanceof AppError)) throw e;
            throw new AppError(
              `user ${account.id}'s email was changed to ${newEmail} but ${changed.join(', ')} were not: ${e.message}`,
              {
                ...(e.status === undefined ? {} : { status: e.status }),
                ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
                cause: e,
              },
            );
          });
      }
      // Zoom answers 204: the account after is read back.
      const after = await readUser(account.id);
      if (!after) throw new NotFoundError(`user ${account.id} is gone after the update`);
      return { account: after, changed: newEmail === undefined ? changed : ['email', ...changed] };
    },

    async setActive(account: Account, active: boolean): Promise<Account> {
      try {
        await client.setStatus(account.id, active ? 'activate' : 'deactivate');
      } catch (e) {
        // Zoom refuses (400) a status change on a user who has not accepted the invitation.
        if (!(e instanceof AppError) || e instanceof NotFoundError || e.status !== 400 || !isPending(account))
          throw e;
        throw new AppError(
          `${e.message} (user ${account.id} is pending: the invitation is not accepted yet; ` +
            'delete-user disassociates a pending user)',
          {
            ...(e.status === undefined ? {} : { status: e.status }),
            ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
            retryable: e.retryable,
            cause: e,
          },
        );
      }
      // Zoom answers 204 with no body: the status is the one just set.
      return toAccount(
        { ...account.raw, status: active ? 'active' : 'inactive' },
        `PUT users/${account.id}/status`,
      );
    },

    async deleteUser(account: Account) {
      // The reference: "To delete pending user in the account, use `disassociate`".
      const pending = isPending(account);
      const action = pending ? 'disassociate' : settings.deleteAction;
      await client.deleteUser(account.id, action);
      return { details: pending ? { action, pending: true } : { action } };
    },

    async listUsers(req): Promise<Page<Account>> {
      const at = decodeCursor(req.cursor);
      const status = STATUSES[at.s] as ZoomStatus;
      const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(req.limit ?? MAX_PAGE_SIZE)));
      const page = await client.listUsersPage(status, size, at.t);
      const items = page.items.map((u) => toAccount(u, `GET users?status=${status}`));
      const next = page.next
        ? { s: at.s, t: page.next }
        : at.s + 1 < STATUSES.length
          ? { s: at.s + 1 }
          : undefined;
      return next ? { items, cursor: encodeCursor(next) } : { items };
    },
  };
}
