// The simulated Zoom account: users, groups and group memberships, kept in insertion order so
// paging is stable. Tests read and seed it directly through the simulator handle.
import { randomBytes, randomInt } from 'node:crypto';
import {
  groupNameInUse,
  groupNotFound,
  type Json,
  userExists,
  userNotFound,
  ZoomApiError,
} from './errors.js';
import { LIST_USER_FIELDS } from './fixtures.js';

export type UserStatus = 'active' | 'inactive' | 'pending';
export const CREATE_ACTIONS = ['create', 'autoCreate', 'custCreate', 'ssoCreate'] as const;
export type CreateAction = (typeof CREATE_ACTIONS)[number];
/** 1 Basic, 2 Licensed, 3 On-prem (older reference), 4 Unassigned without Meetings Basic, 99 None. */
export const USER_TYPES = [1, 2, 3, 4, 99] as const;

export interface StoredUser {
  id: string;
  email: string;
  type: number;
  status: UserStatus;
  created_at: string;
  /** How the user came to be: a create action, or 'seed' for users a test put in place. */
  origin: CreateAction | 'seed';
  /** Every other field Zoom returns for the user (first_name, dept, pmi, ...). */
  profile: Json;
}

export interface StoredGroup {
  id: string;
  name: string;
  /** Member user ids, in the order they were added. */
  members: Set<string>;
}

export interface RemovedUser {
  id: string;
  email: string;
  action: 'disassociate' | 'delete';
}

/** Zoom-style opaque id: 22 base64url characters, like "zJKyaiAyTNC-MWjiWC18KQ". */
export function zoomId(): string {
  return randomBytes(16).toString('base64url');
}

export class ZoomStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
  /** Users deleted or disassociated through the API, in order, with the action used. */
  readonly removed: RemovedUser[] = [];
  /** The id `me` resolves to (the account owner who owns the Server-to-Server OAuth app). */
  ownerId: string | undefined;

  constructor(
    readonly accountId: string,
    private readonly now: () => number,
  ) {}

  /** Finds a user by id, by email (case-insensitively) or by `me`. */
  findUser(key: string): StoredUser | undefined {
    if (key === 'me') return this.ownerId ? this.users.get(this.ownerId) : undefined;
    if (key.includes('@')) {
      const wanted = key.toLowerCase();
      for (const user of this.users.values()) if (user.email.toLowerCase() === wanted) return user;
      return undefined;
    }
    return this.users.get(key);
  }

  getUser(key: string): StoredUser {
    const user = this.findUser(key);
    if (!user) throw userNotFound(key);
    return user;
  }

  /** Adds a user as the API's create actions do: `create` leaves it pending until the invitation is accepted. */
  createUser(action: CreateAction, info: Json): StoredUser {
    const email = String(info.email);
    if (this.findUser(email)) throw userExists(email);
    const created_at = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const first = typeof info.first_name === 'string' ? info.first_name : '';
    const last = typeof info.last_name === 'string' ? info.last_name : '';
    const display = typeof info.display_name === 'string' ? info.display_name : `${first} ${last}`.trim();
    const user: StoredUser = {
      id: zoomId(),
      email,
      type: Number(info.type),
      status: action === 'create' ? 'pending' : 'active',
      created_at,
      origin: action,
      profile: {
        first_name: first,
        last_name: last,
        display_name: display,
        pmi: randomInt(1_000_000_000, 9_999_999_999),
        timezone: '',
        verified: 0,
        dept: '',
        user_created_at: created_at,
        language: 'en-US',
        phone_number: '',
        role_id: '2',
        role_name: 'Member',
        employee_unique_id: '',
        account_id: this.accountId,
      },
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Puts a user in place as-is (reference example bodies, or bulk data for paging tests). */
  seedUser(body: Json & { email: string }, options: { owner?: boolean } = {}): StoredUser {
    const { id, email, type, status, created_at, group_ids: _derived, ...profile } = body;
    const user: StoredUser = {
      id: typeof id === 'string' ? id : zoomId(),
      email,
      type: typeof type === 'number' ? type : 1,
      status: status === 'inactive' || status === 'pending' ? status : 'active',
      created_at: typeof created_at === 'string' ? created_at : new Date(this.now()).toISOString(),
      origin: 'seed',
      profile,
    };
    if (this.findUser(email)) throw userExists(email);
    this.users.set(user.id, user);
    if (options.owner) this.ownerId = user.id;
    return user;
  }

  /** The user as Zoom returns it; group_ids come from the memberships. */
  render(user: StoredUser): Json {
    return {
      id: user.id,
      ...user.profile,
      email: user.email,
      type: user.type,
      status: user.status,
      created_at: user.created_at,
      group_ids: this.groupIdsOf(user.id),
    };
  }

  /** The user as "List users" returns it: only the fields of that response's schema. */
  renderListItem(user: StoredUser): Json {
    const full = this.render(user);
    return Object.fromEntries(
      Object.entries(full).filter(([key]) => (LIST_USER_FIELDS as readonly string[]).includes(key)),
    );
  }

  groupIdsOf(userId: string): string[] {
    return [...this.groups.values()].filter((group) => group.members.has(userId)).map((group) => group.id);
  }

  updateUser(user: StoredUser, changes: Json): void {
    const { type, ...rest } = changes;
    if (typeof type === 'number') user.type = type;
    Object.assign(user.profile, rest);
  }

  /** Invitation accepted: a pending user becomes active (what the confirmation link does). */
  acceptInvitation(key: string): StoredUser {
    const user = this.getUser(key);
    if (user.status !== 'pending') throw new Error(`user ${key} is ${user.status}, not pending`);
    user.status = 'active';
    return user;
  }

  removeUser(user: StoredUser, action: RemovedUser['action']): void {
    this.users.delete(user.id);
    for (const group of this.groups.values()) group.members.delete(user.id);
    this.removed.push({ id: user.id, email: user.email, action });
  }

  getGroup(groupId: string): StoredGroup {
    const group = this.groups.get(groupId);
    if (!group) throw groupNotFound(groupId);
    return group;
  }

  createGroup(name: string, id: string = zoomId()): StoredGroup {
    this.assertNameFree(name);
    const group: StoredGroup = { id, name, members: new Set() };
    this.groups.set(id, group);
    return group;
  }

  renameGroup(group: StoredGroup, name: string): void {
    if (name !== group.name) this.assertNameFree(name);
    group.name = name;
  }

  renderGroup(group: StoredGroup): Json {
    return { id: group.id, name: group.name, total_members: group.members.size };
  }

  /** Adds members by id or email; every member must exist before any is added. Returns the ids. */
  addMembers(group: StoredGroup, members: { id?: string; email?: string }[]): string[] {
    const users = members.map((member) => this.getUser(member.id ?? member.email ?? ''));
    for (const user of users) group.members.add(user.id);
    return users.map((user) => user.id);
  }

  removeMember(group: StoredGroup, memberId: string): void {
    const user = this.getUser(memberId);
    if (!group.members.delete(user.id)) {
      throw new ZoomApiError(400, 300, `The user is not a member of this group: ${memberId}.`);
    }
  }

  reset(): void {
    this.users.clear();
    this.groups.clear();
    this.removed.length = 0;
    this.ownerId = undefined;
  }

  private assertNameFree(name: string): void {
    for (const group of this.groups.values()) if (group.name === name) throw groupNameInUse(name);
  }
}
