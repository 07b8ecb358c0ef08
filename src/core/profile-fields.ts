// The User Profile's fields (spec section 4), once: the CLI name (lowercase, what records print),
// the display name (the original design's get-user example prints `Given Name`, `Surname`...) and
// the type. Input accepts all three spellings of a field (`givenname`, `givenName`, `Given Name`);
// `--profile-keys display` prints display names; `iam fields` prints this table.
import { closestName } from './closest.js';
import type { Mapping } from './mapping/types.js';
import type { Profile } from './profile.js';

export interface ProfileField {
  name: string;
  display: string;
  type: 'string' | 'boolean';
  description: string;
}

const f = (name: string, display: string, description: string, type: ProfileField['type'] = 'string') => ({
  name,
  display,
  type,
  description,
});

export const PROFILE_FIELDS: readonly ProfileField[] = [
  f('id', 'ID', "the account's id in the app (looked up first when given)"),
  f('username', 'Username', 'the login name'),
  f('email', 'Email', 'the primary email address'),
  f('givenname', 'Given Name', 'first name'),
  f('surname', 'Surname', 'last name'),
  f('displayname', 'Display Name', 'the full name as shown'),
  f('employeeid', 'Employee ID', "the HR system's id"),
  f('employeenumber', 'Employee Number', 'the employee number'),
  f('employeetype', 'Employee Type', 'e.g. Employee, Contractor'),
  f('title', 'Title', 'job title'),
  f('department', 'Department', 'department'),
  f('division', 'Division', 'division'),
  f('costcentercode', 'Cost Center Code', 'cost center'),
  f('countrycodenumber', 'Country Code Number', 'country code'),
  f('mobilephone', 'Mobile Phone', 'mobile phone number'),
  f('manageremail', 'Manager Email', "the manager's email address"),
  f('location', 'Location', 'office or city'),
  f('peoplemanagerflag', 'People Manager Flag', 'manages people', 'boolean'),
  f('password', 'Password', 'initial password, where the app sets one (never printed)'),
  f('olduserdata', 'Old User Data', 'the previous values on a rename (never sent to the app)'),
];

const BY_SPELLING: ReadonlyMap<string, string> = new Map(
  PROFILE_FIELDS.flatMap((p) => [
    [p.name, p.name],
    [p.display.toLowerCase(), p.name],
    [p.display.toLowerCase().replace(/ /g, ''), p.name],
  ]),
);

/** The CLI name of a key written in any of its spellings (`Given Name`, `givenName`); else the key lowercased. */
export function canonicalKey(key: string): string {
  const lower = key.toLowerCase();
  return BY_SPELLING.get(lower) ?? BY_SPELLING.get(lower.replace(/ /g, '')) ?? lower;
}

/** Profile fields a mapping reads or writes (its `profile` names and template placeholders). */
function mappedFields(mapping: Mapping): Set<string> {
  const out = new Set<string>();
  for (const rule of mapping) {
    for (const p of typeof rule.profile === 'string' ? [rule.profile] : (rule.profile ?? []))
      out.add(p.split('.')[0]!.toLowerCase());
    for (const m of rule.template?.matchAll(/\{([^}]+)\}/g) ?? [])
      out.add(m[1]!.split('.')[0]!.toLowerCase());
    if (rule.when && rule.direction !== 'in') out.add(rule.when.field.split('.')[0]!.toLowerCase());
  }
  return out;
}

/** The fields a mapping knows, computed once per mapping (it runs on every command). */
const KNOWN = new WeakMap<Mapping, { known: ReadonlySet<string>; names: readonly string[] }>();
function knownFieldsOf(mapping: Mapping): { known: ReadonlySet<string>; names: readonly string[] } {
  let k = KNOWN.get(mapping);
  if (!k) {
    const known = mappedFields(mapping);
    for (const p of PROFILE_FIELDS) known.add(p.name);
    k = { known, names: [...known] };
    KNOWN.set(mapping, k);
  }
  return k;
}

/**
 * Keys of `profile` that are neither a User Profile field nor used by the instance's mapping: a
 * value that would be dropped without a word (`user_name` for `username` would create the wrong
 * account). One message per key, naming the closest known field.
 */
export function unknownProfileKeys(profile: Profile, mapping: Mapping): string[] {
  const { known, names } = knownFieldsOf(mapping);
  const out: string[] = [];
  for (const key of Object.keys(profile)) {
    if (known.has(key)) continue;
    const guess = closestName(key, names);
    out.push(
      `user-profile key ${JSON.stringify(key.slice(0, 60))} is not a User Profile field${guess ? ` (did you mean "${guess}"?)` : ''}`,
    );
  }
  return out;
}

/** A profile with display names as keys (the original get-user example's form), unknown keys kept. */
export function withDisplayKeys(profile: Profile): Profile {
  const display = new Map(PROFILE_FIELDS.map((p) => [p.name, p.display]));
  return Object.fromEntries(Object.entries(profile).map(([k, v]) => [display.get(k) ?? k, v]));
}
