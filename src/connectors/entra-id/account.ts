// Graph users and groups as the core's Account and Group. The username is the userPrincipalName,
// the email is `mail`, `active` is `accountEnabled` (every read asks for it by $select: it is not
// in Graph's default property set).
import type { Account, AppObject, Group, GroupMember } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const isObject = (v: unknown): v is AppObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Graph's OData annotations (`@odata.context`, `@odata.type`) are not account data. */
export const withoutAnnotations = (o: AppObject): AppObject =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('@odata.')));

export function toAccount(raw: unknown, what: string): Account {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Microsoft Graph answered a user without an id`);
  }
  const clean = withoutAnnotations(raw);
  return {
    id: raw.id as string,
    username: str(raw.userPrincipalName),
    email: str(raw.mail),
    active: raw.accountEnabled !== false,
    raw: clean,
  };
}

export function toGroup(raw: unknown, what: string, members: GroupMember[] | null = null): Group {
  if (!isObject(raw) || str(raw.id) === null) {
    throw new InvalidResponseError(`${what}: Microsoft Graph answered a group without an id`);
  }
  return { id: raw.id as string, displayName: str(raw.displayName), members, raw: withoutAnnotations(raw) };
}

/** A member of "List group members" (users, groups, devices...: any directoryObject with an id). */
export function toMember(raw: unknown): GroupMember | undefined {
  if (!isObject(raw) || str(raw.id) === null) return undefined;
  return { value: raw.id as string, display: str(raw.userPrincipalName) ?? str(raw.displayName) };
}
