// Google Workspace users and groups as the core's Account and Group. The login is the user's
// `primaryEmail`; `active` is the opposite of `suspended` (an archived user is suspended too).
import type { Account, AppObject, Group, GroupMember } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const isObject = (v: unknown): v is AppObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Directory API user resource (`admin#directory#user`) as an Account. */
export function toAccount(raw: unknown, what: string): Account {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Google answered a user without an id`);
  }
  const email = str(raw.primaryEmail);
  return { id: raw.id as string, username: email, email, active: raw.suspended !== true, raw };
}

/** A group resource (`{ id, email, name, description, directMembersCount }`); `members` null when not read. */
export function toGroup(raw: unknown, what: string, members: GroupMember[] | null = null): Group {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Google answered a group without an id`);
  }
  return { id: raw.id as string, displayName: str(raw.name), members, raw };
}

/** A member resource (`{ id, email, role, type, status }`). */
export function toMember(raw: unknown): GroupMember | undefined {
  if (!isObject(raw) || str(raw.id) === null) return undefined;
  return { value: raw.id as string, display: str(raw.email) };
}
