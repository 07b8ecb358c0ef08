// Lookup order (spec section 6): the first lookup attribute present wins; `id` comes from the input
// profile, the rest from the outgoing-mapped profile. With `olduserdata` (a rename), the old values
// are tried first, then the new ones.
import type { Account, LookupKey } from '../connector.js';
import type { InstanceRuntime } from '../instance.js';
import { lookupValue, mapOutgoing, profileFieldsFor } from '../mapping/engine.js';
import type { Mapping } from '../mapping/types.js';
import type { Profile } from '../profile.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A lookup attribute is "present" when its own profile field is, not a fallback: with the default
 * `userName <- username, else email`, a profile holding only an email is looked up by `emails`.
 */
function lookupMapping(mapping: Mapping): Mapping {
  return mapping.map(({ template: _t, ...rule }) => ({
    ...rule,
    profile: typeof rule.profile === 'string' ? rule.profile : rule.profile.slice(0, 1),
  }));
}

function keyFor(rt: InstanceRuntime, profile: Profile, variant: 'create' | 'update'): LookupKey | undefined {
  const mapped = mapOutgoing(lookupMapping(rt.mapping.outgoing), profile, variant);
  for (const attribute of rt.capabilities.lookup) {
    const raw = attribute === 'id' ? profile.id : undefined;
    const value =
      attribute === 'id'
        ? typeof raw === 'string' || typeof raw === 'number'
          ? String(raw).trim()
          : undefined
        : lookupValue(mapped, attribute);
    if (value) return { attribute, value };
  }
  return undefined;
}

/** The profile without `olduserdata`: what is mapped and sent to the app. */
export function currentProfile(profile: Profile): Profile {
  const { olduserdata: _old, ...rest } = profile;
  return rest;
}

/** Lookup keys to try in order: old values first (rename), then current ones. */
export function lookupKeys(rt: InstanceRuntime, profile: Profile, variant: 'create' | 'update'): LookupKey[] {
  const current = currentProfile(profile);
  const keys: LookupKey[] = [];
  if (isObj(profile.olduserdata)) {
    const old = keyFor(rt, { ...current, ...profile.olduserdata }, variant);
    if (old) keys.push(old);
  }
  const now = keyFor(rt, current, variant);
  if (now && !keys.some((k) => k.attribute === now.attribute && k.value === now.value)) keys.push(now);
  return keys;
}

/** "give one of id, username, email": the profile fields that would have produced a lookup key. */
export function noLookupMessage(rt: InstanceRuntime): string {
  const fields: string[] = [];
  for (const attribute of rt.capabilities.lookup) {
    const from =
      attribute === 'id' ? ['id'] : profileFieldsFor(lookupMapping(rt.mapping.outgoing), attribute);
    for (const f of from) if (!fields.includes(f)) fields.push(f);
  }
  return `user-profile has no attribute to look the user up by: give one of ${fields.join(', ')}`;
}

export async function findAccount(rt: InstanceRuntime, keys: readonly LookupKey[]): Promise<Account | null> {
  for (const key of keys) {
    const account = await rt.connector.findUser(key);
    if (account) return account;
  }
  return null;
}
