// Zoom users and groups as the core's Account and Group. Zoom has no username: the login is the
// email. `active` follows Zoom's `status`: `inactive` is disabled; `active` AND `pending` (an
// invitation not yet accepted) are not disabled, so enable-user never tries to activate a pending
// user (Zoom has nothing to activate until the invitation is accepted) and disable-user does try
// to deactivate it. Whether a user is pending is in `details` (`raw.status: "pending"`).
import type { Account, AppObject, Group, GroupMember } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';

export type ZoomStatus = 'active' | 'inactive' | 'pending';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const isObject = (v: unknown): v is AppObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The user's Zoom status, or undefined when the answer does not say (a pending user's GET). */
export function statusOf(raw: AppObject): ZoomStatus | undefined {
  const s = raw.status;
  return s === 'active' || s === 'inactive' || s === 'pending' ? s : undefined;
}

/**
 * "Get a user" of a user who has not accepted the invitation answers only `id` and `created_at`
 * (reference note on pending users): no email, no status. Such an answer is read as pending.
 */
export function isIdOnly(raw: AppObject): boolean {
  return str(raw.email) === null && statusOf(raw) === undefined;
}

export function isPending(account: Account): boolean {
  return statusOf(account.raw) === 'pending' || isIdOnly(account.raw);
}

/** A Zoom user (Get a user, List users, or a create answer) as an Account. */
export function toAccount(raw: unknown, what: string): Account {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Zoom answered a user without an id`);
  }
  const email = str(raw.email);
  return {
    id: raw.id as string,
    username: email,
    email,
    // Only `inactive` is disabled; a pending (invited) user is not (see the header comment).
    active: statusOf(raw) !== 'inactive',
    raw,
  };
}

/** A Zoom group (`{ id, name, total_members }`) as a Group; `members` null when not read. */
export function toGroup(raw: unknown, what: string, members: GroupMember[] | null = null): Group {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Zoom answered a group without an id`);
  }
  return { id: raw.id as string, displayName: str(raw.name), members, raw };
}

/** A member of "List group members" (`{ id, email, first_name, last_name, type }`). */
export function toMember(raw: unknown): GroupMember | undefined {
  if (!isObject(raw) || str(raw.id) === null) return undefined;
  return { value: raw.id as string, display: str(raw.email) };
}
