// The directory as the simulator keeps it: users and groups, each with the time it becomes visible
// to reads. Microsoft Entra ID is eventually consistent ("Designing for eventual consistency for
// Microsoft Entra"; Graph's "Add members" and "Create user" pages): an object just created may be
// missing from reads served by another replica for a short while. `replicationDelayMs` models it:
// for that long after its creation an object is answered 404 (by id, in filters, in lists), while
// uniqueness is enforced at once, as the write replica does.
import { randomUUID } from 'node:crypto';

export type Json = Record<string, unknown>;

export interface StoredUser {
  id: string;
  props: Json;
  password: string;
  visibleAt: number;
}

export interface StoredGroup {
  id: string;
  props: Json;
  members: string[];
  visibleAt: number;
}

export class Directory {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
  /** Deleted users, restorable for 30 days in Entra ("deletedItems"): kept here by id. */
  readonly deletedUsers = new Map<string, StoredUser>();

  constructor(
    private readonly now: () => number,
    public replicationDelayMs = 0,
  ) {}

  visible(o: { visibleAt: number }): boolean {
    return this.now() >= o.visibleAt;
  }

  addUser(props: Json, password: string): StoredUser {
    const id = randomUUID();
    const user = {
      id,
      props: { ...props, id, createdDateTime: new Date(this.now()).toISOString() },
      password,
      visibleAt: this.now() + this.replicationDelayMs,
    };
    this.users.set(id, user);
    return user;
  }

  addGroup(props: Json): StoredGroup {
    const id = randomUUID();
    const group = {
      id,
      props: { ...props, id, createdDateTime: new Date(this.now()).toISOString() },
      members: [],
      visibleAt: this.now() + this.replicationDelayMs,
    };
    this.groups.set(id, group);
    return group;
  }

  /** A user by id or userPrincipalName (case-insensitive), visible or not. */
  findUser(key: string): StoredUser | undefined {
    const byId = this.users.get(key);
    if (byId) return byId;
    const lower = key.toLowerCase();
    for (const u of this.users.values()) {
      if (String(u.props.userPrincipalName).toLowerCase() === lower) return u;
    }
    return undefined;
  }

  /** Another user holding `value` in `prop` (case-insensitive): uniqueness of userPrincipalName, mail. */
  userWith(prop: string, value: unknown, except?: string): StoredUser | undefined {
    if (typeof value !== 'string') return undefined;
    const lower = value.toLowerCase();
    for (const u of this.users.values()) {
      if (u.id === except) continue;
      const v = u.props[prop];
      if (typeof v === 'string' && v.toLowerCase() === lower) return u;
    }
    return undefined;
  }

  deleteUser(id: string): void {
    const user = this.users.get(id);
    if (!user) return;
    this.users.delete(id);
    this.deletedUsers.set(id, user);
    for (const g of this.groups.values()) g.members = g.members.filter((m) => m !== id);
  }

  reset(): void {
    this.users.clear();
    this.groups.clear();
    this.deletedUsers.clear();
  }
}
