// AD's `objectGUID` is 16 bytes on the wire. Windows (and Samba, and every AD tool) shows it as a
// GUID string whose first three groups are the bytes little-endian (the Data1/Data2/Data3 fields
// of a Windows GUID struct) and the last two as they are: bytes ad 02 e0 c9 e9 58 b1 44 b5 0e ...
// read "c9e002ad-58e9-44b1-b50e-...". An LDAP filter cannot carry the raw bytes, so a search by
// objectGUID escapes every byte as `\xx` (RFC 4515).

import type { EqualityFilter } from 'ldapts';
import { equalityFilter } from '../../ldap/lib.js';

const GUID = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** Byte order of the string's hex pairs in the 16-byte buffer: groups 1-3 reversed. */
const ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/** The canonical (lowercase, Windows-order) string of a 16-byte objectGUID. */
export function guidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new TypeError(`an objectGUID is 16 bytes, got ${bytes.length}`);
  const hex = ORDER.map((i) => (bytes[i] as number).toString(16).padStart(2, '0'));
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The 16 bytes of a GUID string (any case, braces allowed); null when it is not a GUID. */
export function guidToBytes(text: string): Buffer | null {
  const m = GUID.exec(text.trim());
  if (!m) return null;
  const hex = m.slice(1).join('');
  const out = Buffer.alloc(16);
  ORDER.forEach((at, i) => {
    out[at] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  });
  return out;
}

/** The canonical form of a GUID string, or null when it is not one. */
export function canonicalGuid(text: string): string | null {
  const bytes = guidToBytes(text);
  return bytes === null ? null : guidFromBytes(bytes);
}

/** The filter value of a GUID string (`\ad\02\e0...`), or null when it is not one. */
export function guidFilterValue(text: string): string | null {
  const bytes = guidToBytes(text);
  return bytes === null ? null : [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/**
 * An `(objectGUID=<bytes>)` filter as an ldapts Filter object, or null when `text` is not a GUID.
 * Not the escaped string: ldapts's filter-string parser turns `\ad` into the character U+00AD and
 * sends it as UTF-8 (two bytes), so an escaped byte of 0x80 or more never matches.
 */
export function guidFilter(text: string): EqualityFilter | null {
  const bytes = guidToBytes(text);
  return bytes === null ? null : equalityFilter('objectGUID', bytes);
}
