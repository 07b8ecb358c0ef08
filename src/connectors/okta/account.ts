// Okta users and groups as the core's Account and Group.
//
// `active` from Okta's user status (Users API, "User status" / lifecycle pages). `active` is the
// IAM question "has an admin enabled this account?", not "can the person sign in right now":
//   STAGED           false  created, never activated: enable-user activates it
//   PROVISIONED      true   activated by an admin; the person has not set a password yet
//   ACTIVE           true
//   RECOVERY         true   enabled; a password reset is under way
//   PASSWORD_EXPIRED true   enabled; a new password is asked at the next sign-in
//   LOCKED_OUT       true   enabled; locked by failed sign-ins: an unlock, not an enable, frees it
//   SUSPENDED        false  an admin suspended it: enable-user unsuspends it
//   DEPROVISIONED    false  deactivated: enable-user activates it again
// A status not in this table is read as not active (a new state is never taken for enabled), and
// the raw status is always in the record's details (`status`, `transitioningToStatus`).
//
// The account's app fields are the Okta profile's own property names (login, email, firstName...)
// at the top level beside the user's system fields (id, status, created, lastLogin...): that is
// what the mapping rules name and what details show. `credentials` and `_links` are left out.
import type { Account, AppObject, Group, GroupMember } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';

export const OKTA_STATUS_ACTIVE: Readonly<Record<string, boolean>> = {
  STAGED: false,
  PROVISIONED: true,
  ACTIVE: true,
  RECOVERY: true,
  PASSWORD_EXPIRED: true,
  LOCKED_OUT: true,
  SUSPENDED: false,
  DEPROVISIONED: false,
};

const SYSTEM_FIELDS = [
  'id',
  'status',
  'transitioningToStatus',
  'created',
  'activated',
  'statusChanged',
  'lastLogin',
  'lastUpdated',
  'passwordChanged',
  'type',
] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const isObject = (v: unknown): v is AppObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Okta's status of an account (its raw `status`). */
export const statusOf = (account: Account): string | null => str(account.raw.status);

/** An Okta user (Get, List, Create, Update answers) as an Account. */
export function toAccount(user: unknown, what: string): Account {
  if (!isObject(user) || str(user.id) === null) {
    throw new InvalidResponseError(`${what}: Okta answered a user without an id`);
  }
  const profile = isObject(user.profile) ? user.profile : {};
  const raw: AppObject = { ...profile };
  for (const k of SYSTEM_FIELDS) if (user[k] !== undefined) raw[k] = user[k];
  const status = str(user.status);
  return {
    id: user.id as string,
    username: str(profile.login),
    email: str(profile.email),
    active: status !== null && OKTA_STATUS_ACTIVE[status] === true,
    raw,
  };
}

/** An Okta group (`{ id, type, profile: { name, description } }`) as a Group. */
export function toGroup(group: unknown, what: string, members: GroupMember[] | null = null): Group {
  if (!isObject(group) || str(group.id) === null) {
    throw new InvalidResponseError(`${what}: Okta answered a group without an id`);
  }
  const { _links, _embedded, ...raw } = group;
  const profile = isObject(group.profile) ? group.profile : {};
  return { id: group.id as string, displayName: str(profile.name), members, raw };
}

/** A member of "List group members" (an Okta user) as a GroupMember. */
export function toMember(user: unknown): GroupMember | undefined {
  if (!isObject(user) || str(user.id) === null) return undefined;
  const profile = isObject(user.profile) ? user.profile : {};
  return { value: user.id as string, display: str(profile.login) };
}
