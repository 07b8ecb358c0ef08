// SCIM resources <-> the library's shapes. A SCIM User is read into a User Profile with the spec's
// SCIM mapping (the same table the core reads `--scim` input with), and a profile is written back
// with it: the gateway carries exactly the User Profile's attributes, whatever the app behind it.
// Also: `attributes` / `excludedAttributes` (RFC 7644 3.4.2.5) and meta (with a weak ETag).
import type { Group } from '../../core/connector.js';
import { mapIncoming, mapOutgoing } from '../../core/mapping/engine.js';
import type { Mapping } from '../../core/mapping/types.js';
import type { Profile } from '../../core/profile.js';
import { parseBoolean } from '../../core/profile.js';
import type { GroupRecord } from '../../core/record.js';
import { scimUserMapping } from '../../scim/mapping.js';
import { badRequest } from './errors.js';
import { canonicalKeys, canonicalName, SCHEMAS } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Written back without templates: a displayName the app does not hold is never made up. */
const OUT_MAPPING: Mapping = scimUserMapping.map(({ template: _t, ...rule }) => rule);

/** Profile fields the gateway carries (what a SCIM User can set or clear through the commands). */
export const CARRIED_FIELDS: readonly string[] = [
  ...new Set(
    scimUserMapping.flatMap((r) => (typeof r.profile === 'string' ? [r.profile] : [...(r.profile ?? [])])),
  ),
];

/** The User Profile a SCIM User stands for (without `active`, which has its own commands). */
export function profileOf(scimUser: Obj): Profile {
  const user = canonicalKeys(scimUser) as Obj;
  const profile = mapIncoming(scimUserMapping, user);
  if (typeof user.userName !== 'string' || user.userName.trim() === '')
    throw badRequest('userName: required, a non-empty string (RFC 7643 4.1.1)');
  profile.username = user.userName;
  return profile;
}

/** `active` as a boolean: true/false, or the strings Entra ID sends ("True", "False"). */
export function activeOf(value: unknown, fallback: boolean): boolean {
  try {
    return parseBoolean(value, 'active', fallback);
  } catch {
    throw badRequest('active: expected a boolean (true or false)');
  }
}

export interface ResourceMeta {
  created?: string;
  lastModified?: string;
}

/** created/lastModified from an app's account JSON, where it keeps them as SCIM does (`meta`). */
export function metaOf(raw: unknown): ResourceMeta {
  const meta = isObj(raw) && isObj(raw.meta) ? raw.meta : {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const created = text(meta.created);
  const lastModified = text(meta.lastModified);
  return { ...(created ? { created } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** A weak ETag from the app's last-modified time, when it has one. */
export const etagOf = (meta: ResourceMeta): string | undefined =>
  meta.lastModified ? `W/"${meta.lastModified}"` : undefined;

function metaBlock(type: 'User' | 'Group', location: string, meta: ResourceMeta): Obj {
  const version = etagOf(meta);
  return { resourceType: type, ...meta, location, ...(version ? { version } : {}) };
}

export interface UserState {
  id: string;
  active: boolean | null;
  raw: unknown;
}

/** A SCIM User from a profile (the app's account read through the instance's incoming mapping). */
export function userResource(profile: Profile, state: UserState, base: string): Obj {
  const attrs = mapOutgoing(OUT_MAPPING, profile, 'update');
  const schemas: string[] = [SCHEMAS.user];
  if (isObj(attrs[SCHEMAS.enterprise])) schemas.push(SCHEMAS.enterprise);
  return {
    schemas,
    id: state.id,
    ...attrs,
    ...(state.active === null ? {} : { active: state.active }),
    meta: metaBlock('User', `${base}/Users/${encodeURIComponent(state.id)}`, metaOf(state.raw)),
  };
}

type Members = { value: string; display: string | null }[] | null;

/** A SCIM Group from a group record or a listed group; members only when the app gave them. */
export function groupResource(
  group: Pick<GroupRecord, 'id' | 'displayName' | 'details'> & { members: Members },
  base: string,
): Obj {
  const id = group.id ?? '';
  const members = group.members?.map((m) => ({
    value: m.value,
    ...(m.display ? { display: m.display } : {}),
  }));
  return {
    schemas: [SCHEMAS.group],
    id,
    displayName: group.displayName,
    ...(members ? { members } : {}),
    meta: metaBlock('Group', `${base}/Groups/${encodeURIComponent(id)}`, metaOf(group.details)),
  };
}

export const listedGroup = (g: Group) => ({
  id: g.id,
  displayName: g.displayName,
  details: g.raw,
  members: g.members,
});

/** Attribute paths of an `attributes` list, lowercase, value filters dropped (`emails[type eq "work"]` -> emails). */
export function attributeList(text: unknown, name: string): string[][] | undefined {
  if (text === undefined || text === '') return undefined;
  if (typeof text !== 'string') throw badRequest(`${name}: expected a comma-separated list of attributes`);
  return text
    .split(',')
    .map((p) => p.trim().replace(/\[[^\]]*\]/g, ''))
    .filter(Boolean)
    .map(splitPath);
}

/** `name.givenName` -> [name, givenname]; an extension URN stays one segment before its attribute. */
export function splitPath(path: string): string[] {
  const lower = path.toLowerCase();
  const ext = SCHEMAS.enterprise.toLowerCase();
  if (lower === ext) return [ext];
  if (lower.startsWith(`${ext}:`)) return [ext, ...lower.slice(ext.length + 1).split('.')];
  for (const base of [SCHEMAS.user, SCHEMAS.group].map((s) => s.toLowerCase()))
    if (lower.startsWith(`${base}:`)) return lower.slice(base.length + 1).split('.');
  return lower.split('.');
}

const keyOf = (obj: Obj, segment: string) => Object.keys(obj).find((k) => k.toLowerCase() === segment);

function pick(from: Obj, path: string[], into: Obj): void {
  const [head, ...rest] = path;
  const key = head === undefined ? undefined : keyOf(from, head);
  if (key === undefined) return;
  const value = from[key];
  if (rest.length === 0) into[key] = value;
  else if (Array.isArray(value))
    into[key] = value.filter(isObj).map((e) => {
      const out: Obj = {};
      pick(e, rest, out);
      return out;
    });
  else if (isObj(value)) {
    const out = isObj(into[key]) ? (into[key] as Obj) : {};
    pick(value, rest, out);
    into[key] = out;
  }
}

function drop(from: Obj, path: string[]): void {
  const [head, ...rest] = path;
  const key = head === undefined ? undefined : keyOf(from, head);
  if (key === undefined) return;
  const value = from[key];
  if (rest.length === 0) delete from[key];
  else if (Array.isArray(value)) {
    for (const e of value) if (isObj(e)) drop(e, rest);
  } else if (isObj(value)) drop(value, rest);
}

/** The resource cut to `attributes` (id and schemas always kept), or without `excludedAttributes`. */
export function project(resource: Obj, attributes?: string[][], excluded?: string[][]): Obj {
  if (attributes) {
    const out: Obj = { schemas: resource.schemas, id: resource.id };
    for (const path of attributes) pick(resource, path, out);
    return out;
  }
  if (!excluded) return resource;
  const copy = structuredClone(resource);
  for (const path of excluded) if (!['id', 'schemas'].includes(path.join('.'))) drop(copy, path);
  return copy;
}

export { canonicalName };
