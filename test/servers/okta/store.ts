// The org's users and groups as Okta holds them (Users API "User object", Groups API "Group
// object"), with the lifecycle transitions of the Users API lifecycle operations.
import { randomBytes } from 'node:crypto';
import {
  alreadyActive,
  badBody,
  type Json,
  notAllowed,
  notFound,
  OktaApiError,
  validationFailed,
} from './errors.js';

export type Status =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

export interface StoredUser {
  id: string;
  status: Status;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  profile: Json;
  password?: string;
}

export interface StoredGroup {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: { name: string; description?: string };
  members: Set<string>;
}

/** Okta ids: a 3-character prefix (00u users, 00g groups) and 17 more. */
const newId = (prefix: string) =>
  `${prefix}${randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 17)
    .padEnd(17, 'x')}`;

/** The default user type's login pattern: an email address (Profile Editor, "Login pattern"). */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface StoreOptions {
  /** `email` (Okta's default) or `any` (a login pattern the admin opened up). */
  loginPattern: 'email' | 'any';
}

export class OktaStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();

  constructor(
    private readonly now: () => number,
    readonly options: StoreOptions,
  ) {}

  #stamp = () => new Date(this.now()).toISOString();

  /** By id, or by login as Get user also accepts. */
  user(idOrLogin: string): StoredUser {
    const u =
      this.users.get(idOrLogin) ??
      [...this.users.values()].find((x) => String(x.profile.login).toLowerCase() === idOrLogin.toLowerCase());
    if (!u) throw notFound(idOrLogin, 'User');
    return u;
  }

  group(id: string): StoredGroup {
    const g = this.groups.get(id);
    if (!g) throw notFound(id, 'UserGroup');
    return g;
  }

  #checkProfile(profile: Json, selfId?: string): void {
    for (const field of ['login', 'email', 'firstName', 'lastName']) {
      const v = profile[field];
      if (typeof v !== 'string' || v.trim() === '')
        throw validationFailed(field, 'The field cannot be left blank');
    }
    const login = String(profile.login);
    if (this.options.loginPattern === 'email' && !EMAIL.test(login))
      throw validationFailed('login', 'Username must be in the form of an email address');
    if (!EMAIL.test(String(profile.email)))
      throw validationFailed('email', 'Does not match required pattern');
    const taken = [...this.users.values()].some(
      (u) => u.id !== selfId && String(u.profile.login).toLowerCase() === login.toLowerCase(),
    );
    if (taken)
      throw validationFailed('login', 'An object with this field already exists in the current organization');
  }

  createUser(body: Json, activate: boolean): StoredUser {
    const profile = body.profile;
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) throw badBody();
    this.#checkProfile(profile as Json);
    const creds = body.credentials as Json | undefined;
    const pw = (creds?.password as Json | undefined)?.value;
    const t = this.#stamp();
    const status: Status = activate ? (typeof pw === 'string' ? 'ACTIVE' : 'PROVISIONED') : 'STAGED';
    const user: StoredUser = {
      id: newId('00u'),
      status,
      created: t,
      activated: activate ? t : null,
      statusChanged: activate ? t : null,
      lastLogin: null,
      lastUpdated: t,
      passwordChanged: typeof pw === 'string' ? t : null,
      profile: { ...(profile as Json) },
      ...(typeof pw === 'string' ? { password: pw } : {}),
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A user put in place as a test needs it (any status). */
  seedUser(profile: Json, status: Status = 'ACTIVE'): StoredUser {
    const user = this.createUser({ profile }, true);
    user.status = status;
    return user;
  }

  /** Update user, partial (POST): the properties given replace those held; the others stay. */
  updateUser(id: string, body: Json): StoredUser {
    const u = this.user(id);
    const profile = body.profile;
    if (profile !== undefined && (typeof profile !== 'object' || profile === null || Array.isArray(profile)))
      throw badBody();
    const next = { ...u.profile, ...(profile as Json | undefined) };
    this.#checkProfile(next, u.id);
    u.profile = next;
    u.lastUpdated = this.#stamp();
    return u;
  }

  #to(u: StoredUser, status: Status): void {
    u.status = status;
    u.statusChanged = this.#stamp();
    u.lastUpdated = u.statusChanged;
  }

  /** lifecycle/activate: STAGED or DEPROVISIONED only; PROVISIONED without a password, else ACTIVE. */
  activate(id: string): void {
    const u = this.user(id);
    if (u.status !== 'STAGED' && u.status !== 'DEPROVISIONED') throw alreadyActive();
    this.#to(u, u.password ? 'ACTIVE' : 'PROVISIONED');
    u.activated = u.statusChanged;
  }

  /** lifecycle/deactivate: any status; the user's group memberships stay. */
  deactivate(id: string): void {
    const u = this.user(id);
    if (u.status !== 'DEPROVISIONED') this.#to(u, 'DEPROVISIONED');
  }

  unsuspend(id: string): void {
    const u = this.user(id);
    if (u.status !== 'SUSPENDED') throw notAllowed('Only a SUSPENDED user can be unsuspended.');
    this.#to(u, 'ACTIVE');
  }

  suspend(id: string): void {
    const u = this.user(id);
    if (u.status !== 'ACTIVE') throw notAllowed('Only an ACTIVE user can be suspended.');
    this.#to(u, 'SUSPENDED');
  }

  /** Delete user: a DEPROVISIONED user is deleted; any other is only deactivated (a second call deletes). */
  deleteUser(id: string): void {
    const u = this.user(id);
    if (u.status !== 'DEPROVISIONED') {
      this.#to(u, 'DEPROVISIONED');
      return;
    }
    this.users.delete(u.id);
    for (const g of this.groups.values()) g.members.delete(u.id);
  }

  createGroup(body: Json): StoredGroup {
    const profile = body.profile as Json | undefined;
    const name = profile?.name;
    if (typeof name !== 'string' || name.trim() === '')
      throw validationFailed('name', 'The field cannot be left blank');
    if ([...this.groups.values()].some((g) => g.profile.name.toLowerCase() === name.toLowerCase()))
      throw validationFailed('name', 'An object with this field already exists in the current organization');
    const t = this.#stamp();
    const description = typeof profile?.description === 'string' ? profile.description : undefined;
    const group: StoredGroup = {
      id: newId('00g'),
      created: t,
      lastUpdated: t,
      lastMembershipUpdated: t,
      profile: { name, ...(description ? { description } : {}) },
      members: new Set(),
    };
    this.groups.set(group.id, group);
    return group;
  }

  setMember(groupId: string, userId: string, member: boolean): void {
    const g = this.group(groupId);
    const u = this.users.get(userId);
    if (!u) throw notFound(userId, 'User');
    if (member) g.members.add(u.id);
    else g.members.delete(u.id);
    g.lastMembershipUpdated = this.#stamp();
  }

  deleteGroup(id: string): void {
    this.group(id);
    this.groups.delete(id);
  }

  reset(): void {
    this.users.clear();
    this.groups.clear();
  }
}

export function userJson(u: StoredUser, apiUrl: string): Json {
  const { password: _secret, ...rest } = u;
  return {
    ...rest,
    type: { id: 'oty1default0user0typ' },
    credentials: { ...(u.password ? { password: {} } : {}), provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${apiUrl}/users/${u.id}` } },
  };
}

export function groupJson(g: StoredGroup, apiUrl: string): Json {
  const { members: _m, ...rest } = g;
  return {
    ...rest,
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    _links: { self: { href: `${apiUrl}/groups/${g.id}` } },
  };
}

export { OktaApiError };
