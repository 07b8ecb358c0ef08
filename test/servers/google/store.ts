// The simulator's directory: users, groups and members of one customer, with the reference's
// resource shapes (users, groups and members resources of the Directory API reference) and rules:
// primary emails and group emails unique across users, groups and aliases (409 duplicate); a
// renamed user keeps the old address as an alias; a deleted user leaves every group.
import { randomInt } from 'node:crypto';
import { duplicate, invalid, type Json, notFound } from './errors.js';

export interface StoredMember {
  id: string;
  email: string;
  role: string;
}

const lower = (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : '');
/** Google's ids are 21-digit numbers as strings (users) or short base-36 strings (groups). */
const userId = () => `1${Array.from({ length: 20 }, () => randomInt(10)).join('')}`;
const groupId = () => `0${Array.from({ length: 14 }, () => randomInt(36).toString(36)).join('')}`;
const EMAIL = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/;

export class DirectoryStore {
  readonly users = new Map<string, Json>();
  readonly groups = new Map<string, Json>();
  readonly members = new Map<string, Map<string, StoredMember>>();
  /** Primary emails and aliases (lower case) -> user or group id. */
  readonly #emails = new Map<string, string>();

  constructor(
    readonly customerId: string,
    readonly domains: readonly string[],
    private readonly now: () => number,
  ) {}

  #checkEmail(email: unknown, field: string): string {
    const m = typeof email === 'string' ? EMAIL.exec(email) : null;
    if (!m) throw invalid(`Invalid Input: ${field}`);
    if (!this.domains.includes(lower(m[1]))) throw invalid('Domain not found.');
    if (this.#emails.has(lower(email))) throw duplicate();
    return email as string;
  }

  findUser(key: string): Json | undefined {
    const id = this.users.has(key) ? key : this.#emails.get(lower(key));
    return id === undefined ? undefined : this.users.get(id);
  }

  findGroup(key: string): Json | undefined {
    const id = this.groups.has(key) ? key : this.#emails.get(lower(key));
    return id === undefined ? undefined : this.groups.get(id);
  }

  user(key: string): Json {
    const u = this.findUser(key);
    if (!u) throw notFound('userKey');
    return u;
  }

  group(key: string): Json {
    const g = this.findGroup(key);
    if (!g) throw notFound('groupKey');
    return g;
  }

  /** users.insert: primaryEmail, name.givenName, name.familyName and password are required. */
  insertUser(body: Json, extra: Json = {}): Json {
    const email = this.#checkEmail(body.primaryEmail, 'primary_user_email');
    const name = (body.name ?? {}) as Json;
    if (typeof name.givenName !== 'string' || !name.givenName.trim())
      throw invalid('Invalid Given/Family Name: GivenName');
    if (typeof name.familyName !== 'string' || !name.familyName.trim())
      throw invalid('Invalid Given/Family Name: FamilyName');
    if (typeof body.password !== 'string' || body.password.length < 8 || body.password.length > 100) {
      throw invalid('Invalid Password');
    }
    const { password: _password, ...rest } = body;
    const id = userId();
    const user: Json = {
      kind: 'admin#directory#user',
      id,
      etag: `"${id}-1"`,
      isAdmin: false,
      isDelegatedAdmin: false,
      lastLoginTime: '1970-01-01T00:00:00.000Z',
      creationTime: new Date(this.now()).toISOString(),
      agreedToTerms: false,
      suspended: false,
      archived: false,
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      customerId: this.customerId,
      orgUnitPath: '/',
      isMailboxSetup: false,
      includeInGlobalAddressList: true,
      ...rest,
      primaryEmail: email,
      name: { ...name, fullName: `${name.givenName} ${name.familyName}` },
      emails: [{ address: email, primary: true }],
      ...extra,
    };
    if (user.suspended === true) user.suspensionReason = 'ADMIN';
    this.users.set(id, user);
    this.#emails.set(lower(email), id);
    return user;
  }

  /** users.patch / users.update: objects merged one level (name), arrays and values replaced. */
  patchUser(key: string, body: Json): Json {
    const user = this.user(key);
    const next: Json = { ...user };
    for (const [k, v] of Object.entries(body)) {
      if (k === 'id' || k === 'kind' || k === 'etag' || k === 'password') continue;
      if (k === 'primaryEmail') {
        if (lower(v) === lower(user.primaryEmail)) continue;
        next.primaryEmail = this.#checkEmail(v, 'primary_user_email');
        continue;
      }
      const cur = user[k];
      next[k] =
        v &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        cur &&
        typeof cur === 'object' &&
        !Array.isArray(cur)
          ? { ...(cur as Json), ...(v as Json) }
          : v;
    }
    if (typeof body.password === 'string' && (body.password.length < 8 || body.password.length > 100)) {
      throw invalid('Invalid Password');
    }
    if (next.primaryEmail !== user.primaryEmail) {
      // The old address stays the user's: an alias (Admin help, "Rename a user").
      next.aliases = [...((user.aliases as string[]) ?? []), user.primaryEmail];
      next.emails = [{ address: next.primaryEmail, primary: true }];
      this.#emails.set(lower(next.primaryEmail), String(user.id));
    }
    if (next.suspended === true) next.suspensionReason = 'ADMIN';
    else delete next.suspensionReason;
    const name = next.name as Json;
    next.name = { ...name, fullName: `${name.givenName} ${name.familyName}` };
    next.etag = `"${user.id}-${Number(String(user.etag).split('-')[1]?.replace('"', '') ?? 1) + 1}"`;
    this.users.set(String(user.id), next);
    return next;
  }

  deleteUser(key: string): void {
    const user = this.user(key);
    const id = String(user.id);
    this.users.delete(id);
    for (const [email, owner] of this.#emails) if (owner === id) this.#emails.delete(email);
    for (const m of this.members.values()) m.delete(id);
  }

  insertGroup(body: Json): Json {
    const email = this.#checkEmail(body.email, 'email');
    const id = groupId();
    const group: Json = {
      kind: 'admin#directory#group',
      id,
      etag: `"${id}"`,
      email,
      name: typeof body.name === 'string' && body.name ? body.name : email.split('@')[0],
      description: typeof body.description === 'string' ? body.description : '',
      directMembersCount: '0',
      adminCreated: true,
    };
    this.groups.set(id, group);
    this.members.set(id, new Map());
    this.#emails.set(lower(email), id);
    return group;
  }

  deleteGroup(key: string): void {
    const id = String(this.group(key).id);
    this.groups.delete(id);
    this.members.delete(id);
    for (const [email, owner] of this.#emails) if (owner === id) this.#emails.delete(email);
  }

  /** members.insert: the member by `email` or `id`; 409 "Member already exists." when it is one. */
  insertMember(groupKey: string, body: Json): Json {
    const group = this.group(groupKey);
    const key = typeof body.id === 'string' ? body.id : typeof body.email === 'string' ? body.email : '';
    const user = this.findUser(key);
    if (!user) throw notFound('memberKey');
    const list = this.members.get(String(group.id)) as Map<string, StoredMember>;
    if (list.has(String(user.id))) throw duplicate('Member already exists.');
    const role = typeof body.role === 'string' ? body.role : 'MEMBER';
    list.set(String(user.id), { id: String(user.id), email: String(user.primaryEmail), role });
    group.directMembersCount = String(list.size);
    return memberResource(list.get(String(user.id)) as StoredMember);
  }

  deleteMember(groupKey: string, memberKey: string): void {
    const group = this.group(groupKey);
    const list = this.members.get(String(group.id)) as Map<string, StoredMember>;
    const user = this.findUser(memberKey);
    if (!user || !list.delete(String(user.id))) throw notFound('memberKey');
    group.directMembersCount = String(list.size);
  }

  reset(): void {
    this.users.clear();
    this.groups.clear();
    this.members.clear();
    this.#emails.clear();
  }
}

export function memberResource(m: StoredMember): Json {
  return {
    kind: 'admin#directory#member',
    etag: `"${m.id}"`,
    id: m.id,
    email: m.email,
    role: m.role,
    type: 'USER',
    status: 'ACTIVE',
  };
}
