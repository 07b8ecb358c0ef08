// Raw SCIM resources -> the contract's Account and Group. Shared by every SCIM-speaking brand.
import type { Account, AppObject, Group, GroupMember } from '../core/connector.js';
import { InvalidResponseError } from '../core/errors.js';

const isObj = (v: unknown): v is AppObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;

/** Some apps send booleans as strings ("True"); anything unreadable counts as absent. */
function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

function idOf(raw: AppObject, what: string): string {
  const id = text(raw.id);
  if (id === null) throw new InvalidResponseError(`the app returned a ${what} without an id`);
  return id;
}

/** The primary email (RFC 7643 2.4 `primary`), else the first one with a value, else null. */
export function primaryEmail(raw: AppObject): string | null {
  const emails = Array.isArray(raw.emails) ? raw.emails.filter(isObj) : [];
  const withValue = emails.filter((e) => text(e.value) !== null);
  const primary = withValue.find((e) => bool(e.primary) === true) ?? withValue[0];
  return primary ? text(primary.value) : null;
}

/** A SCIM User as an Account. `active` missing means active (RFC 7643 leaves it to the app; apps that omit it have no disabled state). */
export function toAccount(raw: AppObject): Account {
  return {
    id: idOf(raw, 'user'),
    username: text(raw.userName),
    email: primaryEmail(raw),
    active: bool(raw.active) ?? true,
    raw,
  };
}

function toMember(m: unknown): GroupMember | undefined {
  if (!isObj(m)) return undefined;
  const value = text(m.value);
  return value === null ? undefined : { value, display: text(m.display) };
}

/**
 * A SCIM Group as a Group. `membersReturned` is false when the read cannot carry members (the app
 * never returns them, or they were excluded): then `members` is null, not an empty list.
 */
export function toGroup(raw: AppObject, membersReturned: boolean): Group {
  const members = membersReturned
    ? (Array.isArray(raw.members) ? raw.members : []).map(toMember).filter((m) => m !== undefined)
    : null;
  return { id: idOf(raw, 'group'), displayName: text(raw.displayName), members, raw };
}
