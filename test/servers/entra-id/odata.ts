// The OData query options the simulator understands, as Graph documents them ("Use query
// parameters to customize responses", "Advanced query capabilities", "Paging Microsoft Graph data"):
// `$filter=prop eq 'value'` (a string literal with `'` doubled, compared case-insensitively as the
// directory does for these properties), `$select`, `$top` (1..999), and `@odata.nextLink` pages
// carrying an opaque `$skiptoken`.
import { GraphError, type Json } from './errors.js';

export interface Filter {
  property: string;
  value: string;
}

const invalidFilter = (why: string) =>
  new GraphError(400, 'Request_UnsupportedQuery', `Invalid filter clause: ${why}`);

/** Parses `prop eq 'value'` (the only form the simulator serves); anything else is Graph's 400. */
export function parseFilter(raw: string | null, allowed: readonly string[]): Filter | undefined {
  if (raw === null) return undefined;
  const m = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(raw);
  if (!m?.[1] || m[2] === undefined) {
    // An odd number of quotes: the literal was not escaped (`'` must be doubled).
    throw invalidFilter(`syntax error at position ${raw.length} in '${raw}'.`);
  }
  const property = allowed.find((p) => p.toLowerCase() === m[1]?.toLowerCase());
  if (!property)
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${m[1]}' of resource.`,
    );
  return { property, value: m[2].replace(/''/g, "'") };
}

export function matches(props: Json, f: Filter | undefined): boolean {
  if (!f) return true;
  const v = props[f.property];
  return typeof v === 'string' && v.toLowerCase() === f.value.toLowerCase();
}

/** `$select` as a list of property names, or undefined for the default set. */
export function parseSelect(raw: string | null): string[] | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim());
}

export function project(props: Json, select: string[] | undefined, defaults: readonly string[]): Json {
  const names = select ?? defaults;
  const out: Json = {};
  for (const n of names) {
    const key = Object.keys(props).find((k) => k.toLowerCase() === n.toLowerCase()) ?? n;
    out[key] = props[key] ?? null;
  }
  if (select) out.id = props.id;
  return out;
}

export function parseTop(raw: string | null, max: number, fallback: number): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return n;
}

export const encodeSkip = (offset: number): string =>
  Buffer.from(`RFNwdAIAAQAAAD${offset}`, 'utf8').toString('base64url');

export function decodeSkip(raw: string | null): number {
  if (raw === null) return 0;
  const m = /^RFNwdAIAAQAAAD(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m?.[1])
    throw new GraphError(
      400,
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  return Number(m[1]);
}
