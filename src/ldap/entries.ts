// Entries as the contract's shapes, and the contract's fields as LDAP attributes.

import { isDeepStrictEqual } from 'node:util';
import type { Filter } from 'ldapts';
import type { Account, AppObject } from '../core/connector.js';
import { InvalidValueError } from '../core/errors.js';
import { REDACTED } from '../core/secrets.js';
import { all, type DirEntry, first } from './client.js';
import { andFilter, equalityFilter } from './lib.js';
import type { DirectoryProfile } from './profile.js';

/** Attribute values as JSON: one value as a string, several as an array (bytes as base64). */
export function entryJson(entry: DirEntry, skip: ReadonlySet<string>): AppObject {
  const out: AppObject = {};
  for (const [k, values] of Object.entries(entry.attrs)) {
    if (skip.has(k.toLowerCase())) continue;
    const text = values.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
    out[k] = text.length === 1 ? text[0] : text;
  }
  return out;
}

const asText = (v: string | Buffer | undefined): string | null =>
  v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : v;

export function idOf(profile: DirectoryProfile, entry: DirEntry): string {
  const v = first(entry, profile.idAttribute);
  if (v === undefined) throw new InvalidValueError(`the entry ${entry.dn} has no ${profile.idAttribute}`);
  return profile.decodeId(v);
}

/** Password attributes: never read into a record, even hashed. */
export const PASSWORD_ATTRIBUTES = ['userpassword', 'unicodepwd', 'authpassword'];

export function toAccount(profile: DirectoryProfile, entry: DirEntry): Account {
  const id = idOf(profile, entry);
  const skip = new Set([
    profile.idAttribute.toLowerCase(),
    ...profile.binaryAttributes.map((a) => a.toLowerCase()),
    ...PASSWORD_ATTRIBUTES,
  ]);
  return {
    id,
    username: asText(first(entry, profile.usernameAttribute)),
    email: asText(first(entry, profile.emailAttribute)),
    active: profile.isActive(entry),
    raw: { id, dn: entry.dn, ...entryJson(entry, skip) },
  };
}

/** `(&(objectClass=<cls>)(<attr>=<value>))`, the value sent as octets (never parsed as filter text). */
export function classAnd(cls: string, attribute: string, value: string | Buffer): Filter {
  return andFilter([equalityFilter('objectClass', cls), equalityFilter(attribute, value)]);
}

/** A field's value as attribute values: strings (numbers and booleans as text), arrays flattened. */
export function attributeValues(name: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new InvalidValueError(`${name} must be a string or a list of strings`);
  });
}

/** The entry's current values of `name`, as strings. */
export const textValues = (entry: DirEntry, name: string): string[] =>
  all(entry, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));

/** A write's body with password attributes' values hidden (a dry run shows bodies). */
export function scrubPasswords(body: AppObject): AppObject {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, PASSWORD_ATTRIBUTES.includes(k.toLowerCase()) ? REDACTED : v]),
  );
}

/**
 * The attributes of `fields` that differ from the entry (`raw`, names compared in any case), as
 * values to write: null removes a present attribute. A single value for an attribute that holds
 * several is no change when it is one of them; else it replaces the first and keeps the others (as
 * a primary email is replaced and the other emails kept).
 */
export function planChanges(raw: AppObject, fields: AppObject, skip: ReadonlySet<string>): AppObject {
  const out: AppObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || skip.has(k.toLowerCase())) continue;
    const key = Object.keys(raw).find((r) => r.toLowerCase() === k.toLowerCase());
    const now = key === undefined ? undefined : raw[key];
    if (v === null) {
      if (now !== undefined && now !== null) out[k] = null;
      continue;
    }
    if (Array.isArray(now) && !Array.isArray(v)) {
      const [value] = attributeValues(k, v);
      if (value === undefined || now.includes(value)) continue;
      out[k] = [value, ...now.slice(1)];
      continue;
    }
    if (!isDeepStrictEqual(now, v)) out[k] = v;
  }
  return out;
}
