// The in-memory store behind one SCIM server: what scimmy's ingress/egress/degress handlers call.
// It also holds the server-side rules scimmy leaves to the implementer: userName uniqueness (409),
// 404 for unknown ids, group members that must exist (de-duplicated, given type/display/$ref),
// User.groups derived from the groups (readOnly per RFC 7643 4.1.2), and deletes that drop
// dangling memberships. Ids are UUIDs; meta carries created/lastModified/version.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import SCIMMY from 'scimmy';
import { resolveFilter, shadowOf } from './scim-filter.js';
import { isRecord } from './scim-support.js';

type Json = Record<string, unknown>;
export type Kind = 'Users' | 'Groups';
interface Stored {
  id: string;
  created: string;
  lastModified: string;
  version: number;
  data: Json;
}

export const scimError = (status: number, scimType: string, detail: string) =>
  new SCIMMY.Types.Error(status, scimType, detail);
const notFound = (kind: Kind, id: string) => scimError(404, '', `${kind.slice(0, -1)} ${id} not found`);

export class Store {
  readonly Users = new Map<string, Stored>();
  readonly Groups = new Map<string, Stored>();
  /** Folded userName -> id: uniqueness is checked on every write, so by lookup rather than a scan. */
  private readonly userNames = new Map<string, string>();
  constructor(
    readonly url: () => string,
    /** false: members are kept as sent, so a member added twice is listed twice (apps that do not de-duplicate). */
    readonly dedupeMembers = true,
  ) {}

  write(kind: Kind, id: string | undefined, instance: unknown): Json {
    const data = JSON.parse(JSON.stringify(instance)) as Json;
    for (const serverOwned of ['id', 'meta', 'groups']) delete data[serverOwned];
    const existing = id === undefined ? undefined : this[kind].get(id);
    if (id !== undefined && !existing) throw notFound(kind, id);
    if (kind === 'Users') this.checkUnique(String(data.userName), id);
    else if (data.members !== undefined) data.members = this.checkMembers(data.members);
    if (existing && isDeepStrictEqual(existing.data, data)) return this.output(kind, existing);
    const now = new Date().toISOString();
    const stored: Stored = existing
      ? { ...existing, lastModified: now, version: existing.version + 1, data }
      : { id: randomUUID(), created: now, lastModified: now, version: 1, data };
    this[kind].set(stored.id, stored);
    if (kind === 'Users') {
      if (existing) this.userNames.delete(String(existing.data.userName).toLowerCase());
      this.userNames.set(String(data.userName).toLowerCase(), stored.id);
    }
    return this.output(kind, stored);
  }

  read(kind: Kind, resource: InstanceType<typeof SCIMMY.Types.Resource>, literals: string[]): Json | Json[] {
    if (resource.id !== undefined) {
      const stored = this[kind].get(resource.id);
      if (!stored) throw notFound(kind, resource.id);
      return this.output(kind, stored);
    }
    if (!resource.filter) return [...this[kind].values()].map((s) => this.output(kind, s));
    const definition = (kind === 'Users' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group).definition;
    const filter = resolveFilter(resource.filter, literals, definition);
    // `userName eq "..."` is the lookup every client sends: answered from the userName index, not a
    // shadow of every user, so a 10,000-user server stays usable (bench/). Same result: the index
    // and the literal are both case-folded, and userName is unique.
    const userName = kind === 'Users' ? userNameEq(filter) : undefined;
    if (userName !== undefined) {
      const stored = this.Users.get(this.userNames.get(userName) ?? '');
      return stored && typeof stored.data.userName === 'string' ? [this.output(kind, stored)] : [];
    }
    const all = [...this[kind].values()].map((s) => this.output(kind, s));
    const shadows = all.map((r) => shadowOf(r, definition));
    const hits = new Set<unknown>(filter.match(shadows));
    return all.filter((_, i) => hits.has(shadows[i]));
  }

  remove(kind: Kind, id: string | undefined): void {
    const stored = id === undefined ? undefined : this[kind].get(id);
    if (id === undefined || !stored) throw notFound(kind, id ?? '');
    this[kind].delete(id);
    if (kind === 'Users') this.userNames.delete(String(stored.data.userName).toLowerCase());
    for (const group of this.Groups.values()) {
      const members = memberIds(group).filter((m) => m.value !== id);
      group.data.members = members.length > 0 ? members : undefined;
    }
  }

  /** A DELETE that deactivates (apps that keep the account): `active` becomes false, nothing else changes. */
  deactivate(id: string): boolean {
    const stored = this.Users.get(id);
    if (!stored) return false;
    if (stored.data.active === false) return true;
    const now = new Date().toISOString();
    this.Users.set(id, {
      ...stored,
      lastModified: now,
      version: stored.version + 1,
      data: { ...stored.data, active: false },
    });
    return true;
  }

  private checkUnique(userName: string, id: string | undefined): void {
    // userName is caseExact false with server uniqueness (RFC 7643 4.1.1).
    const owner = this.userNames.get(userName.toLowerCase());
    if (owner !== undefined && owner !== id) {
      throw scimError(409, 'uniqueness', `userName "${userName}" is already in use`);
    }
  }

  private checkMembers(members: unknown): Json[] | undefined {
    const unique = new Map<string, Json>();
    const all: Json[] = [];
    for (const member of Array.isArray(members) ? members : []) {
      const value = isRecord(member) ? member.value : undefined;
      if (typeof value !== 'string') throw scimError(400, 'invalidValue', 'Group member without a value');
      const type = this.Users.has(value) ? 'User' : this.Groups.has(value) ? 'Group' : undefined;
      if (!type) throw scimError(400, 'invalidValue', `Group member ${value} does not exist`);
      unique.set(value, { value, type });
      all.push({ value, type });
    }
    const kept = this.dedupeMembers ? [...unique.values()] : all;
    return kept.length > 0 ? kept : undefined;
  }

  /** The resource as the handlers hand it to scimmy (which adds schemas and meta.resourceType). */
  output(kind: Kind, stored: Stored): Json {
    const meta = {
      created: stored.created,
      lastModified: stored.lastModified,
      version: `W/"${stored.version}"`,
    };
    const out: Json = { ...stored.data, id: stored.id, meta };
    const ref = (type: Kind, id: string) => `${this.url()}/${type}/${id}`;
    if (kind === 'Users') {
      const groups = [...this.Groups.values()]
        .filter((g) => memberIds(g).some((m) => m.value === stored.id))
        .map((g) => ({
          value: g.id,
          display: g.data.displayName,
          $ref: ref('Groups', g.id),
          type: 'direct',
        }));
      if (groups.length > 0) out.groups = groups;
    } else if (stored.data.members !== undefined) {
      out.members = memberIds(stored).map(({ value, type }) => {
        const target = type === 'User' ? this.Users.get(value)?.data : this.Groups.get(value)?.data;
        const display = type === 'User' ? (target?.displayName ?? target?.userName) : target?.displayName;
        return { value, type, display, $ref: ref(type === 'User' ? 'Users' : 'Groups', value) };
      });
    }
    return out;
  }

  /** Full SCIM JSON, as GET would answer it. */
  render(kind: Kind): Json[] {
    const Schema = kind === 'Users' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group;
    return [...this[kind].values()].map(
      (s) =>
        JSON.parse(JSON.stringify(new Schema(this.output(kind, s), 'out', `${this.url()}/${kind}`))) as Json,
    );
  }
}

/** The folded value of a filter that is exactly `userName eq "<string>"`, else undefined. */
function userNameEq(filter: Iterable<unknown>): string | undefined {
  const expressions = [...filter];
  const only = expressions[0];
  if (expressions.length !== 1 || !isRecord(only) || Object.keys(only).length !== 1) return undefined;
  const comparison = only.userName;
  if (!Array.isArray(comparison) || comparison.length !== 2 || comparison[0] !== 'eq') return undefined;
  return typeof comparison[1] === 'string' ? comparison[1] : undefined;
}

function memberIds(group: Stored): { value: string; type: string }[] {
  const members = group.data.members;
  return (Array.isArray(members) ? members : []).filter(isRecord).map((m) => ({
    value: String(m.value),
    type: m.type === 'Group' ? 'Group' : 'User',
  }));
}
