// A DirectoryProfile says how one directory's schema holds users and groups, as a plain value the
// shared directory connector (connector.ts) reads; nothing in src/ldap asks which brand it talks to.
// OpenLDAP's profile is built from the LDAP brand's settings (connectors/ldap/profile.ts); Active
// Directory's spreads what it shares and overrides the id, the naming, `active` and the create steps.
import type { Change } from 'ldapts';
import type { AppObject } from '../core/connector.js';
import type { DirEntry, DirectoryClient } from './client.js';

/** What an extra create step may do: the client, the new entry's DN and the fields asked. */
export interface CreateStepContext {
  client: DirectoryClient;
  dn: string;
  fields: AppObject;
  active: boolean;
  /** Reports a write (audit, dry run); the step must report each write it makes, before making it. */
  report: (method: string, dn: string, fields: readonly string[]) => void;
  dryRun: boolean;
}

export interface DirectoryProfile {
  /** The id attribute (`entryUUID`, `objectGUID`). */
  readonly idAttribute: string;
  /** The id as records show it, from the attribute's value (a string, or bytes when `binary`). */
  decodeId(value: string | Buffer): string;
  /** The id as sent in a filter, or null when `id` cannot be one (then: not found, no request). */
  encodeId(id: string): string | Buffer | null;
  /** Attributes read as bytes (the id when binary, `objectSid`...). */
  readonly binaryAttributes: readonly string[];

  /** Object classes a new user gets (the structural chain, e.g. top, person, ..., inetOrgPerson). */
  readonly userObjectClasses: readonly string[];
  /** The object class that finds users (`inetOrgPerson`, AD's `user`). */
  readonly userFilterClass: string;
  /** Attributes read for a user, besides the mapped ones and the id. */
  readonly userAttributes: readonly string[];
  /** The attribute of the RDN of a new user (`uid`, AD's `cn`). */
  readonly namingAttribute: string;
  /** The attribute that is the account's username (`uid`, `sAMAccountName`). */
  readonly usernameAttribute: string;
  /** The attribute that is the account's email (`mail`). */
  readonly emailAttribute: string;
  /**
   * Attributes a create must send that the mapping may not give (schema MUSTs), filled from the
   * others: e.g. `{ cn: ['displayName', 'uid'], sn: ['uid'] }` takes the first present.
   */
  readonly createDefaults: Readonly<Record<string, readonly string[]>>;
  /** Mapped attributes the add leaves out because `afterCreate` sets them (AD: `unicodePwd`). */
  readonly omitFromAdd?: readonly string[];
  /** Profile values (mapped fields) that are never written (computed by the directory). */
  readonly readOnlyAttributes: readonly string[];

  /** Whether the account is active, from its entry. */
  isActive(entry: DirEntry): boolean;
  /** The modification that makes the account active/inactive (null: nothing to change). */
  activeChange(entry: DirEntry, active: boolean): Change[] | null;
  /** Attributes a new account gets to be created inactive (or active) directly in the add. */
  activeOnCreate(active: boolean): Record<string, string[]>;
  /**
   * Run after the add (AD: set `unicodePwd`, then `userAccountControl`). Reports its writes itself.
   * Absent: nothing after the add.
   */
  afterCreate?(ctx: CreateStepContext): Promise<void>;
  /**
   * Where an account moves when it is disabled (a `disabledOu`) or enabled (back to the user base):
   * the new parent DN, or null to stay. Absent: accounts never move.
   */
  moveOnActive?(entry: DirEntry, active: boolean): string | null;

  readonly group: {
    /** The structural class of a new group and of the groups searched (`groupOfNames`). */
    readonly objectClass: string;
    /** The attribute listing members (`member`, `uniqueMember`, `memberUid`). */
    readonly memberAttribute: string;
    /** `dn`: members are DNs; `username`: members are usernames (posixGroup's memberUid). */
    readonly memberValue: 'dn' | 'username';
    /** The attribute of the group's name (`cn`). */
    readonly nameAttribute: string;
    /** A value kept in a group whose schema needs one member (groupOfNames): never shown. */
    readonly placeholderMember?: string;
    /** Attributes a new group gets besides class, name and members (e.g. posixGroup's gidNumber). */
    extraOnCreate?(client: DirectoryClient): Promise<Record<string, string[]>>;
  };
}
