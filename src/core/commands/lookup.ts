// Lookup order (spec section 6): the first lookup attribute present wins; `id` comes from the input
// profile, the rest from the outgoing-mapped profile. With `olduserdata` (a rename), the old values
// are tried first, then the new ones. A lookup the app refused as a filter (the connector throws
// FilterRefusedError: SCIM's says so for a 400 invalidFilter, or a 500 on a value that had to be
// escaped) is asked by the profile's next lookup attribute instead, and only when there is none does
// the lookup fail, naming the attribute and value the app refused. The connector answers candidates; the core keeps those that hold the value
// asked (core/match.ts) and decides "not found" and "ambiguous".
import type { Account, LookupKey } from '../connector.js';
import { AmbiguousError, AppError, FilterRefusedError, NotSupportedError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import {
  type CompiledMapping,
  lookupValue,
  lookupVariant,
  mapOutgoing,
  profileFieldsFor,
} from '../mapping/engine.js';
import type { Mapping } from '../mapping/types.js';
import { holdsLookupValue, ignoredFilterWarning } from '../match.js';
import type { Profile } from '../profile.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A lookup attribute is "present" when its own profile field is, not a fallback: with the default
 * `userName <- username, else email`, a profile holding only an email is looked up by `emails`.
 */
function lookupMapping(mapping: Mapping): CompiledMapping {
  // Each rule's own first profile field, no template; compiled with the mapping, once.
  return lookupVariant(mapping);
}

/** A lookup key with the profile's other present lookup attributes, in order, to fall back to. */
export interface PlannedKey extends LookupKey {
  fallbacks: readonly LookupKey[];
}

export function keyFor(
  rt: InstanceRuntime,
  profile: Profile,
  variant: 'create' | 'update',
): PlannedKey | undefined {
  const mapped = mapOutgoing(lookupMapping(rt.mapping.outgoing), profile, variant);
  const present: LookupKey[] = [];
  for (const attribute of rt.capabilities.lookup) {
    const raw = attribute === 'id' ? profile.id : undefined;
    const value =
      attribute === 'id'
        ? typeof raw === 'string' || typeof raw === 'number'
          ? String(raw).trim()
          : undefined
        : lookupValue(mapped, attribute);
    if (value) present.push({ attribute, value });
  }
  const [first, ...fallbacks] = present;
  return first ? { ...first, fallbacks } : undefined;
}

/** The profile without `olduserdata`: what is mapped and sent to the app. */
export function currentProfile(profile: Profile): Profile {
  const { olduserdata: _old, ...rest } = profile;
  return rest;
}

/** Lookup keys to try in order: old values first (rename), then current ones. */
export function lookupKeys(
  rt: InstanceRuntime,
  profile: Profile,
  variant: 'create' | 'update',
): PlannedKey[] {
  const current = currentProfile(profile);
  const keys: PlannedKey[] = [];
  if (isObj(profile.olduserdata)) {
    const old = keyFor(rt, { ...current, ...profile.olduserdata }, variant);
    if (old) keys.push(old);
  }
  const now = keyFor(rt, current, variant);
  if (now && !keys.some((k) => k.attribute === now.attribute && k.value === now.value)) keys.push(now);
  return keys;
}

/**
 * "give one of id, username": the profile fields that would have produced a lookup key, and, when
 * the profile gave another field the app cannot search by (an email on AWS-ILM), why not.
 */
export function noLookupMessage(rt: InstanceRuntime, profile: Profile = {}): string {
  const fields: string[] = [];
  for (const attribute of rt.capabilities.lookup) {
    const from =
      attribute === 'id' ? ['id'] : profileFieldsFor(lookupMapping(rt.mapping.outgoing), attribute);
    for (const f of from) if (!fields.includes(f)) fields.push(f);
  }
  const given = LOOKUP_LIKE.filter(
    (f) => !fields.includes(f) && typeof profile[f] === 'string' && profile[f],
  );
  const note = rt.capabilities.lookupNote;
  const why = given.length
    ? `; ${given.join(' and ')} cannot be used: ${rt.brand} looks users up only by ${fields.join(', ')}${note ? ` (${note})` : ''}`
    : '';
  return `user-profile has no attribute to look the user up by: give one of ${fields.join(', ')}${why}`;
}

/** Profile fields people expect to find an account by. */
const LOOKUP_LIKE = ['email', 'username', 'employeeid'] as const;

function rejectedFilter(rt: InstanceRuntime, refused: readonly LookupKey[], e: AppError): AppError {
  const what = refused.map((k) => `${k.attribute} ${JSON.stringify(k.value)}`).join(', then ');
  const tried = new Set(refused.map((k) => k.attribute));
  const fields = rt.capabilities.lookup
    .filter((a) => !tried.has(a))
    .flatMap((a) => (a === 'id' ? ['id'] : profileFieldsFor(lookupMapping(rt.mapping.outgoing), a)));
  const hint = fields.length ? `; give another lookup field (${[...new Set(fields)].join(', ')})` : '';
  return new AppError(`the app rejected the filter looking up ${what} (${e.message})${hint}`, {
    status: e.status ?? 400,
    ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
    cause: e,
  });
}

/** The accounts the app answers for one key: getUser for an id when the connector has it, else findUsers. */
async function candidates(rt: InstanceRuntime, key: LookupKey): Promise<Account[]> {
  const { connector } = rt;
  if (key.attribute === 'id' && connector.getUser) {
    const account = await connector.getUser(key.value);
    return account ? [account] : [];
  }
  if (!connector.findUsers) {
    throw new NotSupportedError(`${rt.brand} cannot look users up by ${key.attribute}`);
  }
  return connector.findUsers(key);
}

/** True when `account` holds the value of `key`, by the attribute's case rule. */
function holds(account: Account, key: LookupKey): boolean {
  if (key.attribute === 'id') return account.id === key.value;
  return holdsLookupValue(account.raw, key.attribute, key.value);
}

/**
 * The one account that holds the key's value, or null. Candidates that do not hold it are dropped
 * (the app ignored the filter: the user is warned); two or more that do are ambiguous.
 */
export async function findUser(rt: InstanceRuntime, asked: LookupKey): Promise<Account | null> {
  const key = rt.connector.lookupKey?.(asked) ?? asked;
  const found = await candidates(rt, key);
  const hits = found.filter((a) => holds(a, key));
  if (hits.length < found.length) rt.warn?.(ignoredFilterWarning('user', key.attribute));
  if (hits.length > 1) {
    const ids = hits.map((a) => a.id);
    const what = `${key.attribute} ${JSON.stringify(key.value)}`;
    throw new AmbiguousError(`${ids.length} accounts match ${what}: ${ids.join(', ')}`, ids);
  }
  return hits[0] ?? null;
}

/** One key: its own attribute, then its fallbacks while the app refuses the filter. */
async function findByKey(rt: InstanceRuntime, key: LookupKey): Promise<Account | null> {
  const fallbacks = 'fallbacks' in key ? (key as PlannedKey).fallbacks : [];
  const refused: LookupKey[] = [];
  let first: AppError | undefined;
  for (const k of [key, ...fallbacks]) {
    try {
      return await findUser(rt, { attribute: k.attribute, value: k.value });
    } catch (e) {
      if (!(e instanceof FilterRefusedError)) throw e;
      refused.push(k);
      first ??= e;
    }
  }
  throw rejectedFilter(rt, refused, first ?? new AppError('invalid filter', { status: 400 }));
}

/** The first account found by the keys in order (a PlannedKey falls back on a refused filter). */
export async function findAccount(rt: InstanceRuntime, keys: readonly LookupKey[]): Promise<Account | null> {
  for (const key of keys) {
    const account = await findByKey(rt, key);
    if (account) return account;
  }
  return null;
}

/**
 * Every lookup attribute present in the profile, each asked on its own (after a 409 on create: the
 * account that conflicts may be found by another attribute than the first). The first account
 * found wins; null when none is; the first error when nothing was found and some lookup failed.
 */
export async function findByEveryKey(
  rt: InstanceRuntime,
  keys: readonly LookupKey[],
): Promise<Account | null> {
  const all = keys.flatMap((key) => [key, ...('fallbacks' in key ? (key as PlannedKey).fallbacks : [])]);
  const seen = new Set<string>();
  let failure: { error: unknown } | undefined;
  for (const k of all) {
    const id = `${k.attribute}\u0000${k.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      const account = await findUser(rt, { attribute: k.attribute, value: k.value });
      if (account) return account;
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
  return null;
}
