// The contract between the core and a connector. A connector only translates between the app's
// API and these shapes; it never decides skips, delegation, flags or records (that is the core's
// job, in core/commands). Like a passport strategy, each method ends in exactly one of: a value,
// `null` for "not found" where the signature allows it, or a thrown IamError (core/errors.ts).
import type { z } from 'zod';
import type { RateLimit, Transport, TransportOptions } from '../http/transport.js';

import type { AppSchema, MappingField } from './app-schema.js';
import type { WriteDescription, WriteObserver } from './dry-run.js';

import type { Mapping } from './mapping/types.js';
import type { Secret, SecretSource } from './secrets.js';

/** A JSON object as the app sends or receives it. */
export type AppObject = Record<string, unknown>;

/** A user account as read from the app. */
export interface Account {
  id: string;
  username: string | null;
  /** The app's primary email (else its first), or null. */
  email: string | null;
  active: boolean;
  /** The app's account JSON as it returned it (goes to the record's `details`, redacted). */
  raw: AppObject;
}

export interface GroupMember {
  value: string;
  display: string | null;
}

export interface Group {
  id: string;
  displayName: string | null;
  /** null when the app did not return members (e.g. AWS never does on reads). */
  members: GroupMember[] | null;
  raw: AppObject;
}

/** One lookup: an app attribute from the connector's lookup order (`id`, `userName`, `emails`...) and a value. */
export interface LookupKey {
  attribute: string;
  value: string;
}

export type GroupKey = { id: string } | { displayName: string };

/** One membership request: at most `capabilities.memberBatchSize` ids, adds or removes (never both). */
export interface MemberChange {
  op: 'add' | 'remove';
  ids: readonly string[];
}

// The contract (v2, issue 9): every operation is optional and the core derives what an instance
// supports from what is implemented (as ConnId connectors do under midPoint and Syncope). A command
// whose operation is absent is a record "<brand> does not support <command>", with no call.

/** One page of a list; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface ListRequest {
  cursor?: string;
  /** A hint: the app may return fewer (or, where it cannot be told, more). */
  limit?: number;
}

/** What updateUser did: the account after it, and the NAMES of the app fields it changed (for the audit). */
export interface UpdateResult {
  account: Account;
  changed: string[];
}

/** What deleteUser did, e.g. `{ action: 'disassociate' }` (Zoom) or `{ deactivated: true }`: goes to details. */
export interface DeleteResult {
  details?: AppObject;
}

export interface UserOperations {
  /**
   * The app's own form of a lookup value, when the app completes what the profile gives (Entra ID
   * appends the instance's domain to a username without `@`): the core asks and matches this form.
   */
  lookupKey?(key: LookupKey): LookupKey;
  /**
   * Every account the app answers for this key: candidates, not a verdict. The core keeps those that
   * hold the value asked (by the attribute's case rule) and decides not-found and ambiguity.
   */
  findUsers?(key: LookupKey): Promise<Account[]>;
  /** One account by its app id; null when the app says it does not exist. */
  getUser?(id: string): Promise<Account | null>;
  /** `fields` is the outgoing-mapped profile (create variant); `active` the state to create it in. */
  createUser?(fields: AppObject, opts: { active: boolean }): Promise<Account>;
  /** `fields` is the outgoing-mapped profile (update variant); sends only what changed. */
  updateUser?(account: Account, fields: AppObject): Promise<UpdateResult>;
  /** NotFoundError when the app says the account is gone. */
  setActive?(account: Account, active: boolean): Promise<Account>;
  /** Deletes (or the vendor's nearest, said in the result's details). NotFoundError when it is gone. */
  deleteUser?(account: Account): Promise<DeleteResult>;
  listUsers?(req: ListRequest): Promise<Page<Account>>;
}

export interface GroupOperations {
  getGroup?(id: string, opts: { includeMembers: boolean }): Promise<Group | null>;
  /** Candidates for a displayName; the core keeps the ones that match. */
  findGroups?(displayName: string, opts: { includeMembers: boolean }): Promise<Group[]>;
  createGroup?(fields: AppObject & { displayName: string }): Promise<Group>;
  /** At most `capabilities.memberBatchSize` ids. NotFoundError when the group does not exist. */
  changeMembers?(groupId: string, change: MemberChange): Promise<void>;
  /** NotFoundError when the group does not exist. */
  deleteGroup?(id: string): Promise<void>;
  listGroups?(req: ListRequest): Promise<Page<Group>>;
}

export interface Connector extends UserOperations, GroupOperations {
  /** Checks the connection and credentials; returns a one-line description of what was checked. */
  test?(): Promise<string>;
  /**
   * What a mapper may target (get-mapping-fields, `iam mappings check`); may ask the app. A plain
   * list of names, or the fields with their types and mutability and where they come from.
   */
  schema?(): Promise<readonly string[] | AppSchema>;
  /**
   * Group commit (an embedded store): while on, the connector may commit many commands' writes in one
   * transaction, each command still all or nothing, and settles a write (or a read that may have seen
   * an uncommitted write) only once its transaction is committed, so nothing is acknowledged before it
   * is durable. A batch turns it on for its run; off commits what is open. Off (the default): every
   * write commits before it settles.
   */
  groupCommit?(on: boolean): Promise<void>;
  /** Releases sockets, files and handles. */
  close(): Promise<void>;
}

/**
 * The audit's side of a group commit: intent lines kept while the group is built, written in one
 * write before it commits; the outcome lines of the commands it releases gathered into one write.
 */
export interface WriteGroupAudit {
  /** Like `onWrite`, but the intent line is kept until `writeIntents()`: commit nothing before it. */
  queue(write: WriteDescription): void;
  /** Writes every kept intent line in one write; throws (nothing may be committed) when it cannot. */
  writeIntents(): void;
  /** The outcome lines written from now until the event loop turns go out together, in one write. */
  gatherOutcomes(): void;
}

export interface Capabilities {
  /** Ordered lookup attributes; `id` is read from the input profile, the rest from the outgoing-mapped profile. */
  lookup: readonly string[];
  /** Most member ids one changeMembers call may carry. */
  memberBatchSize: number;
  /** The vendor's published request rate limit, used when the instance sets no `rateLimit`. */
  rateLimit?: RateLimit;
  /** Commands a batch keeps in flight on one instance unless told otherwise (`iam batch --concurrency`). */
  concurrency?: number;
  /**
   * Why users can be looked up only by `lookup` when the app limits it (e.g. "its SCIM filter
   * supports only userName, externalId and id"): said when a profile has none of those fields.
   */
  lookupNote?: string;
}

/** What a connector gets from the caller: everything with side effects is injected. */
export interface ConnectorContext {
  instanceName: string;
  /**
   * Builds the one HTTP transport of this instance (retry, timeout, TLS, proxy, redaction composed
   * in). `rateLimited` names the app's non-429 rate-limit answers, retried and paced like a 429.
   */
  transport: (opts: Pick<TransportOptions, 'baseUrl' | 'headers' | 'rateLimited'>) => Transport;
  secrets: SecretSource;
  /**
   * Every secret value of this instance (token, credentials in a URL setting, proxy password), for
   * scrubbing text the connector builds before it is cut short.
   */
  secretValues?: readonly string[];
  /** Per-user data directory (for embedded stores such as the Local brand). */
  dataDir: string;
  /** The instance's `caFile` resolved against the config file's folder (connectors without HTTP read it). */
  caFile?: string | undefined;
  /**
   * Dry run: change nothing. HTTP connectors need do nothing (their transport captures writes); a
   * connector without HTTP must honour it itself and declare `nativeDryRun`.
   */
  dryRun?: boolean;
  /** Connectors without HTTP report each write here (the audit's field names, the dry-run output). */
  onWrite?: WriteObserver;
  /** For a connector that commits many commands at once (`groupCommit`): see WriteGroupAudit. */
  writeGroup?: WriteGroupAudit;
  /** Something the user must be told (e.g. the app ignored a lookup filter); each message once per run. */
  onWarning?: (message: string) => void;
  /**
   * A transport for OAuth token requests (same TLS, proxy, timeout, retry and debug log as
   * `transport`), without the dry-run and audit layer: a token request is not a write.
   */
  tokenTransport?: (opts: Pick<TransportOptions, 'baseUrl' | 'headers' | 'rateLimited'>) => Transport;
  /** A secret learned at run time (a fetched access token): redacted by value everywhere from now on. */
  onSecret?: (secret: Secret) => void;
}

export interface ConnectorDefinition<S = unknown> {
  /** The brand exactly as records show it, as its connector names it. */
  brand: string;
  description: string;
  /** zod schema of the connector's own settings (secrets become `Secret`). Strict: unknown keys fail. */
  settings: z.ZodType<S>;
  capabilities: Capabilities;
  /** Default mapping between User Profile and app fields (both directions). */
  mapping: Mapping;
  /**
   * The app-side fields a mapper may target (get-mapping-fields): names, or fields with their type
   * and mutability where the connector knows them. Rules naming another one are warned about at load.
   */
  mappingFields: readonly (string | MappingField)[];
  /**
   * `mappingFields` is every field the app has: a mapping rule that targets another one (or a
   * read-only one) is warned about when the config is loaded (an error with --strict).
   */
  closedSchema?: boolean;
  /**
   * Mapping targets the connector turns into something else itself (AD's `password` is written as
   * unicodePwd): not attributes of the app's schema, so `iam mappings check` never calls them unknown.
   */
  connectorFields?: readonly string[];
  /** Needs no settings and no network (an embedded store): the default instance and the demo use it. */
  offline?: boolean;
  /** Honours `ctx.dryRun` itself. Without it, a dry run on a connector that builds no transport is refused. */
  nativeDryRun?: boolean;
  /** Files on this machine the connector writes (an embedded store), so `batch --out` never overwrites one. */
  localFiles?(settings: S, dataDir: string): string[];
  /** Builds a connector. No I/O here: connect lazily on first use. */
  create(settings: S, ctx: ConnectorContext): Connector;
}
