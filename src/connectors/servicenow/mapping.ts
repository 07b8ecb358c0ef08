// The default mapping between the User Profile and a ServiceNow user (sys_user), the fields each
// read asks for (`sysparm_fields`: only what is mapped, plus what the connector itself reads), and
// sys_user / sys_user_group records as the core's Account and Group. The Table API returns every
// value as a string by default (`"active": "true"`); references come as plain sys_ids with
// `sysparm_exclude_reference_link=true`. An account is active when `active` is true and it is not
// `locked_out`: enable-user sets both (active=true, locked_out=false), disable-user sets active=false.
import type { Account, AppObject, Group } from '../../core/connector.js';
import { InvalidResponseError } from '../../core/errors.js';
import type { Mapping } from '../../core/mapping/types.js';

export const snowUserMapping: Mapping = [
  { app: 'user_name', profile: 'username' },
  { app: 'email', profile: 'email' },
  { app: 'first_name', profile: 'givenname' },
  { app: 'last_name', profile: 'surname' },
  { app: 'title', profile: 'title' },
  { app: 'employee_number', profile: 'employeenumber' },
  { app: 'mobile_phone', profile: 'mobilephone' },
  // Read only: sys_user computes `name` from first and last name.
  { app: 'name', profile: 'displayname', direction: 'in' },
];

/** What the connector reads besides the mapped fields. */
const USER_CORE = ['sys_id', 'user_name', 'email', 'active', 'locked_out'];

/** sys_user fields a mapper may target (get-mapping-fields). */
export const snowMappingFields: readonly string[] = [
  'user_name',
  'email',
  'first_name',
  'middle_name',
  'last_name',
  'name',
  'title',
  'department',
  'company',
  'location',
  'manager',
  'employee_number',
  'phone',
  'mobile_phone',
  'home_phone',
  'cost_center',
  'building',
  'city',
  'country',
  'time_zone',
  'preferred_language',
  'active',
  'locked_out',
  'source',
];

/**
 * `sysparm_fields` of every sys_user read: the connector's own fields, every field a mapper may
 * target (get-mapping-fields), and the instance's `extraFields` (custom `u_` columns it maps).
 */
export function userFields(extra: readonly string[] = []): string[] {
  const mapped = snowUserMapping.map((m) => m.app);
  return [...new Set([...USER_CORE, ...mapped, ...snowMappingFields, ...extra])];
}

export const GROUP_FIELDS: readonly string[] = [
  'sys_id',
  'name',
  'description',
  'email',
  'manager',
  'active',
];
export const MEMBER_FIELDS: readonly string[] = ['sys_id', 'user', 'group'];

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The Table API's boolean strings ("true"/"false"); real booleans too. */
export const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1';

/** A reference field as its sys_id: a plain string, or `{value}` when links were not excluded. */
export function refId(v: unknown): string | null {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'object' && v !== null && 'value' in v) return str((v as { value: unknown }).value);
  return null;
}

export function toAccount(raw: AppObject, what: string): Account {
  const id = str(raw.sys_id);
  if (id === null) throw new InvalidResponseError(`${what}: ServiceNow answered a user without a sys_id`);
  return {
    id,
    username: str(raw.user_name),
    email: str(raw.email),
    active: truthy(raw.active) && !truthy(raw.locked_out),
    raw,
  };
}

export function toGroup(raw: AppObject, what: string, members: Group['members'] = null): Group {
  const id = str(raw.sys_id);
  if (id === null) throw new InvalidResponseError(`${what}: ServiceNow answered a group without a sys_id`);
  return { id, displayName: str(raw.name), members, raw };
}
