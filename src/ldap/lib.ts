// ldapts, loaded with the first LDAP operation rather than at every start: a SCIM or Local command
// never pays for it (about 14 MB of memory and 40 ms of start-up here). Every module of this
// package builds ldapts objects through these helpers, so one copy of the library (its CommonJS
// build) is loaded and its classes compare equal. Types are imported from 'ldapts' as usual.
import { createRequire } from 'node:module';
import type {
  AndFilter,
  Change,
  Client,
  ClientOptions,
  EqualityFilter,
  Filter,
  OrFilter,
  PresenceFilter,
} from 'ldapts';

type Ldapts = typeof import('ldapts');
const load = createRequire(import.meta.url);
let lib: Ldapts | undefined;

/** The ldapts module (its CommonJS build), loaded on first use. */
export const ldapts = (): Ldapts => (lib ??= load('ldapts') as Ldapts);

/** One modification of an entry: `operation` on attribute `type` with `values` (none: all of them). */
export function attributeChange(
  operation: 'add' | 'delete' | 'replace',
  type: string,
  values?: readonly (string | Buffer)[],
): Change {
  const { Attribute, Change: ChangeClass } = ldapts();
  const modification = new Attribute(values === undefined ? { type } : { type, values: values as string[] });
  return new ChangeClass({ operation, modification });
}

/** `(<attribute>=*)`. */
export const presenceFilter = (attribute: string): PresenceFilter =>
  new (ldapts().PresenceFilter)({ attribute });

/** `(<attribute>=<value>)`, the value sent as octets (never parsed as filter text). */
export const equalityFilter = (attribute: string, value: string | Buffer): EqualityFilter =>
  new (ldapts().EqualityFilter)({ attribute, value });

/** `(|...)`. */
export const orFilter = (filters: Filter[]): OrFilter => new (ldapts().OrFilter)({ filters });

/** `(&...)`. */
export const andFilter = (filters: Filter[]): AndFilter => new (ldapts().AndFilter)({ filters });

/** A new (unconnected) ldapts client. */
export const ldapClient = (opts: ClientOptions): Client => new (ldapts().Client)(opts);
