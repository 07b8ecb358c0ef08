// SCIM filter building (RFC 7644 3.4.2.2). A filter is never assembled by concatenating raw input:
// attribute paths are checked against the ABNF's shape and every value is written as a JSON string
// literal, so `"` and `\` are backslash-escaped and a hostile value stays one literal. The result is
// a branded string so that client methods cannot be handed an unchecked filter by accident.

import { AppError, FilterRefusedError } from '../core/errors.js';

declare const filterBrand: unique symbol;
/** A filter expression built by this module. */
export type ScimFilter = string & { readonly [filterBrand]: true };

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

/**
 * attrPath = [URI ":"] ATTRNAME *1subAttr (RFC 7644 3.4.2.2 / RFC 7643 2.1): an optional schema URN,
 * a name starting with a letter, an optional `.subAttribute`.
 */
const ATTR_PATH =
  /^(?:urn:[A-Za-z0-9][A-Za-z0-9.:_-]*:)?[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)?$/;

export function isAttrPath(attr: string): boolean {
  return ATTR_PATH.test(attr);
}

/** Throws a TypeError for anything that is not a plain attribute path (a programming error, not input). */
export function assertAttrPath(attr: string): string {
  if (!isAttrPath(attr)) throw new TypeError(`not a SCIM attribute path: ${JSON.stringify(attr)}`);
  return attr;
}

/** A comparison value as SCIM writes it: strings are JSON string literals (RFC 7159), the rest as JSON. */
export function filterValue(value: FilterValue): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError('filter number must be finite');
  return JSON.stringify(value);
}

export function compare(attr: string, op: CompareOp, value: FilterValue): ScimFilter {
  return `${assertAttrPath(attr)} ${op} ${filterValue(value)}` as ScimFilter;
}

export function eq(attr: string, value: FilterValue): ScimFilter {
  return compare(attr, 'eq', value);
}

export function present(attr: string): ScimFilter {
  return `${assertAttrPath(attr)} pr` as ScimFilter;
}

// `and` binds tighter than `or`, and `or` always returns itself grouped, so neither needs to look
// inside its operands. Plain `a eq "x" and b eq "y"` matters: some apps (AWS) accept no grouping.
export function and(...filters: readonly ScimFilter[]): ScimFilter {
  return filters.join(' and ') as ScimFilter;
}

export function or(...filters: readonly ScimFilter[]): ScimFilter {
  return `(${filters.join(' or ')})` as ScimFilter;
}

/**
 * A value path such as `members[value eq "id"]` (RFC 7644 3.5.2 PATCH paths, 3.4.2.2 filters).
 * The inner filter names sub-attributes of `attr`.
 */
export function valuePath(attr: string, inner: ScimFilter): string {
  return `${assertAttrPath(attr)}[${inner}]`;
}

/** A 400 that says the filter itself was refused (RFC 7644 3.12 scimType `invalidFilter`). */
function isInvalidFilter(e: AppError): boolean {
  if (e.status !== 400) return false;
  const type = typeof e.vendorCode === 'string' ? e.vendorCode.toLowerCase() : '';
  return type === 'invalidfilter' || (type === '' && /\bfilter\b/i.test(e.message));
}

/** `"` and `\` are escaped in a filter literal (RFC 7644 3.4.2.2): the values some apps choke on. */
const ESCAPED = /["\\]/;

/**
 * The app refused the filter for `value` itself: 400 invalidFilter, or a 500 to a filter whose value
 * carried an escaped character (an app that breaks on the escaping). A 500 on a plain value is a
 * real server error. The connector throws these as FilterRefusedError, so the core (which knows no
 * status) asks by the profile's next lookup attribute.
 */
export function refusedFilter(e: unknown, value: string): e is AppError {
  if (!(e instanceof AppError)) return false;
  return isInvalidFilter(e) || (e.status === 500 && ESCAPED.test(value));
}

/** `e` as a FilterRefusedError when it is one (see refusedFilter), else `e` unchanged. */
export function asFilterRefusal(e: unknown, value: string): unknown {
  if (!refusedFilter(e, value)) return e;
  return new FilterRefusedError(e.message, {
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(e.vendorCode === undefined ? {} : { vendorCode: e.vendorCode }),
    cause: e,
  });
}
