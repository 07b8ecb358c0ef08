// ServiceNow's encoded query (`sysparm_query`) as the simulator reads it, from the reference
// ("Encoded query strings"; "Operators available for filters and queries"; the Now SDK's
// encoded-query guide): conditions `<field><OPERATOR><value>` joined by `^` (AND); `^OR` OR-s a
// condition with the one before it (it binds only to its neighbours); `^NQ` starts a new query
// whose rows are added to the others'; `ORDERBY<field>` / `ORDERBYDESC<field>` sort; `EQ` ends it.
// A value runs to the next `^`: the syntax has no escape, so `user_name=a^ORuser_name=b` is two
// conditions, which is what a client must never let a value do. As on an instance, a condition
// naming an unknown field (or with no operator) is ignored and the rest applies ("If part of the
// query is invalid ... the instance ignores the invalid part"), unless `invalidReturnsNoRows`
// (the property glide.invalid_query.returns_no_rows). String comparisons ignore case, as an
// instance's database does.

export type Row = Readonly<Record<string, string>>;

export interface Condition {
  field: string;
  op: string;
  value: string;
}

/** An OR of conditions (a condition and the `^OR` ones after it). */
type Term = Condition[];

export interface ParsedQuery {
  /** `^NQ`-separated queries; each is an AND of terms. */
  queries: Term[][];
  order: { field: string; desc: boolean }[];
  /** Conditions that named an unknown field or had no operator. */
  invalid: string[];
}

/** Longest first, so `ISNOTEMPTY` is not read as `ISEMPTY`... and `!=` not as `=`. */
const OPERATORS = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'EMPTYSTRING',
  'ANYTHING',
  'NOT LIKE',
  'NOTLIKE',
  'LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'NOT IN',
  'NOTIN',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
] as const;
const UNARY = new Set(['ISNOTEMPTY', 'ISEMPTY', 'EMPTYSTRING', 'ANYTHING']);

function condition(text: string, fields: ReadonlySet<string>): Condition | undefined {
  const field = /^[a-z0-9_.]+/.exec(text)?.[0];
  if (!field || !fields.has(field)) return undefined;
  const rest = text.slice(field.length);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) return undefined;
  const value = rest.slice(op.length);
  if (UNARY.has(op) && value !== '') return undefined;
  return { field, op, value };
}

export function parseEncodedQuery(query: string, fields: ReadonlySet<string>): ParsedQuery {
  const out: ParsedQuery = { queries: [[]], order: [], invalid: [] };
  if (query === '') return out;
  for (const [i, raw] of query.split('^').entries()) {
    let token = raw;
    let join: 'and' | 'or' | 'new' = 'and';
    if (token === 'EQ' || token === '') continue;
    if (token.startsWith('ORDERBYDESC')) {
      out.order.push({ field: token.slice('ORDERBYDESC'.length), desc: true });
      continue;
    }
    if (token.startsWith('ORDERBY')) {
      out.order.push({ field: token.slice('ORDERBY'.length), desc: false });
      continue;
    }
    if (i > 0 && token.startsWith('NQ')) {
      token = token.slice(2);
      join = 'new';
    } else if (i > 0 && token.startsWith('OR')) {
      token = token.slice(2);
      join = 'or';
    }
    if (join === 'new') out.queries.push([]);
    const c = condition(token, fields);
    if (!c) {
      out.invalid.push(token);
      continue;
    }
    const terms = out.queries[out.queries.length - 1] as Term[];
    const last = terms[terms.length - 1];
    if (join === 'or' && last) last.push(c);
    else terms.push([c]);
  }
  return out;
}

const lower = (s: string) => s.toLowerCase();

export function matches(row: Row, c: Condition): boolean {
  const have = lower(row[c.field] ?? '');
  const want = lower(c.value);
  switch (c.op) {
    case '=':
      return have === want;
    case '!=':
      return have !== want;
    case 'LIKE':
      return have.includes(want);
    case 'NOT LIKE':
    case 'NOTLIKE':
      return !have.includes(want);
    case 'STARTSWITH':
      return have.startsWith(want);
    case 'ENDSWITH':
      return have.endsWith(want);
    case 'IN':
      return want.split(',').includes(have);
    case 'NOT IN':
    case 'NOTIN':
      return !want.split(',').includes(have);
    case 'ISEMPTY':
    case 'EMPTYSTRING':
      return have === '';
    case 'ISNOTEMPTY':
      return have !== '';
    case 'ANYTHING':
      return true;
    case '>':
      return have > want;
    case '>=':
      return have >= want;
    case '<':
      return have < want;
    case '<=':
      return have <= want;
    default:
      return false;
  }
}

/** The rows a query selects, in its order (else as stored). */
export function select<T extends Row>(
  rows: readonly T[],
  query: string,
  fields: ReadonlySet<string>,
  invalidReturnsNoRows = false,
): T[] {
  const q = parseEncodedQuery(query, fields);
  if (q.invalid.length > 0 && invalidReturnsNoRows) return [];
  const hit = (row: T) => q.queries.some((terms) => terms.every((term) => term.some((c) => matches(row, c))));
  const out = rows.filter(hit);
  for (const { field, desc } of [...q.order].reverse()) {
    out.sort((a, b) => {
      const x = a[field] ?? '';
      const y = b[field] ?? '';
      return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
    });
  }
  return out;
}
