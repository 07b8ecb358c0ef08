// The `scim` argument of the group commands, parsed at the edge (spec section 7): light, so the
// command registry can parse input without loading the commands themselves.
import { UsageError } from './errors.js';
import { parseJsonObject } from './profile.js';

export interface GroupScim {
  id?: string;
  displayName?: string;
  [key: string]: unknown;
}

/** Parses the `scim` argument of a group command; `needs` names the field(s) it must carry. */
export function parseGroupScim(input: unknown, needs: 'id' | 'displayName' | 'id-or-displayName'): GroupScim {
  const obj = parseJsonObject(input, 'scim');
  const str = (k: string) => {
    const v = obj[k];
    if (typeof v !== 'string' && typeof v !== 'number' && v !== undefined && v !== null)
      throw new UsageError(`scim.${k}: expected a string`, `scim.${k}`);
    // Blank counts as absent: an id of spaces would be sent as a path segment of spaces. An id
    // is trimmed; a displayName is kept as given (its spaces may be the app's).
    const s = v === undefined || v === null ? '' : String(v);
    if (s.trim() === '') return undefined;
    return k === 'id' ? s.trim() : s;
  };
  const id = str('id');
  const displayName = str('displayName');
  if (needs === 'id' && !id) throw new UsageError('scim: expected an object with "id"', 'scim.id');
  if (needs === 'displayName' && !displayName) {
    throw new UsageError('scim: expected an object with "displayName"', 'scim.displayName');
  }
  if (needs === 'id-or-displayName' && !id && !displayName) {
    throw new UsageError('scim: expected an object with "id" or "displayName"', 'scim.id');
  }
  const { id: _id, displayName: _displayName, ...rest } = obj;
  return { ...rest, ...(id ? { id } : {}), ...(displayName ? { displayName } : {}) };
}
