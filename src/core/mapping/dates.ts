// Dates for the `date` transform, in UTC whatever the machine's time zone: date-fns (v4) computes in
// the class of the date it is given, so a Date whose local getters and setters are the UTC ones makes
// every parse and format UTC (what @date-fns/utc does, without a dependency).
import { createRequire } from 'node:module';
import { ConfigError, UsageError } from '../errors.js';

// date-fns loads when the first date rule is compiled, not at every start (start-up is benchmarked).
const load = createRequire(import.meta.url);
interface DateFns {
  format: typeof import('date-fns')['format'];
  parse: typeof import('date-fns')['parse'];
  parseISO: typeof import('date-fns')['parseISO'];
  isValid: typeof import('date-fns')['isValid'];
}
let loaded: DateFns | undefined;
const fns = (): DateFns =>
  (loaded ??= {
    format: (load('date-fns/format') as Pick<DateFns, 'format'>).format,
    parse: (load('date-fns/parse') as Pick<DateFns, 'parse'>).parse,
    parseISO: (load('date-fns/parseISO') as Pick<DateFns, 'parseISO'>).parseISO,
    isValid: (load('date-fns/isValid') as Pick<DateFns, 'isValid'>).isValid,
  });

class UtcDate extends Date {}
{
  const ours = UtcDate.prototype as unknown as Record<string, unknown>;
  const base = Date.prototype as unknown as Record<string, unknown>;
  for (const part of ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds']) {
    ours[`get${part}`] = base[`getUTC${part}`];
    if (part !== 'Day') ours[`set${part}`] = base[`setUTC${part}`];
  }
  ours.getTimezoneOffset = () => 0;
}
const inUtc = (v: Date | number | string): UtcDate => new UtcDate(v as number);

/** The named forms of `from`/`to`; anything else is a date-fns pattern (`yyyy-MM-dd`, `dd/MM/yyyy HH:mm`). */
export const DATE_FORMS = ['iso', 'epoch-s', 'epoch-ms'] as const;

type Reader = (v: unknown) => Date | undefined;
type Writer = (d: Date) => string | number;

function checkPattern(pattern: string, what: string): void {
  // date-fns refuses Y (week-numbering year) and D (day of year) without an option, and prints a
  // warning to the console first: say it here, in one line, before it does.
  if (/[YD]/.test(pattern.replace(/'[^']*'/g, '')))
    throw new ConfigError(
      `date ${what} "${pattern}": write yyyy for the year and dd for the day (Y and D are week-year and day-of-year)`,
    );
  try {
    fns().format(new UtcDate(0), pattern, { in: inUtc });
  } catch (e) {
    throw new ConfigError(`date ${what} "${pattern}" is not a date-fns pattern (${(e as Error).message})`);
  }
}

function reader(from: string): Reader {
  const num = (v: unknown): number | undefined =>
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())
        ? Number(v)
        : undefined;
  if (from === 'epoch-s' || from === 'epoch-ms') {
    const scale = from === 'epoch-s' ? 1000 : 1;
    return (v) => {
      const n = num(v);
      return n === undefined ? undefined : new UtcDate(n * scale);
    };
  }
  if (from === 'iso') {
    return (v) => {
      if (typeof v !== 'string') return undefined;
      const s = v.trim();
      // The common forms by Date.parse (fast; a date-time without an offset is UTC here, as
      // parseISO with UTC makes it); anything else ISO 8601 allows (week dates...) by date-fns.
      const m = ISO_COMMON.exec(s);
      if (m) return new Date(m[2] && !m[3] ? `${s}Z` : s);
      return fns().parseISO(s, { in: inUtc });
    };
  }
  checkPattern(from, 'from');
  return (v) =>
    typeof v === 'string' ? fns().parse(v.trim(), from, new UtcDate(0), { in: inUtc }) : undefined;
}

const ISO_COMMON = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Tokens a pattern is compiled into without date-fns (the common ones), read in UTC. */
const FAST_TOKENS: Readonly<Record<string, (d: Date) => string>> = {
  yyyy: (d) => pad(d.getUTCFullYear(), 4),
  yy: (d) => pad(d.getUTCFullYear() % 100, 2),
  MM: (d) => pad(d.getUTCMonth() + 1, 2),
  M: (d) => String(d.getUTCMonth() + 1),
  dd: (d) => pad(d.getUTCDate(), 2),
  d: (d) => String(d.getUTCDate()),
  HH: (d) => pad(d.getUTCHours(), 2),
  H: (d) => String(d.getUTCHours()),
  mm: (d) => pad(d.getUTCMinutes(), 2),
  ss: (d) => pad(d.getUTCSeconds(), 2),
  SSS: (d) => pad(d.getUTCMilliseconds(), 3),
};

/** A pattern of only common tokens and literals, compiled to parts; undefined: date-fns formats it. */
function fastFormat(pattern: string): Writer | undefined {
  const parts: (string | ((d: Date) => string))[] = [];
  const re = /'([^']*)'|([A-Za-z])\2*|[^A-Za-z']+/g;
  for (const m of pattern.matchAll(re)) {
    if (m[1] !== undefined) parts.push(m[1] === '' ? "'" : m[1]);
    else if (m[2] !== undefined) {
      const token = FAST_TOKENS[m[0]];
      if (!token) return undefined;
      parts.push(token);
    } else parts.push(m[0]);
  }
  return (d) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(d);
    return out;
  };
}

function writer(to: string): Writer {
  if (to === 'iso') return (d) => d.toISOString();
  if (to === 'epoch-s') return (d) => Math.floor(d.getTime() / 1000);
  if (to === 'epoch-ms') return (d) => d.getTime();
  checkPattern(to, 'to');
  return fastFormat(to) ?? ((d) => fns().format(d, to, { in: inUtc }));
}

/**
 * `{ date: { to, from? } }`: reads a date (`from`, default `iso`) and writes it (`to`), in UTC. A
 * value that is not a date in the `from` form is an error naming the rule's target, never dropped.
 */
export function dateStep(to: string, from: string | undefined, target: string): (v: unknown) => unknown {
  const read = reader(from ?? 'iso');
  const write = writer(to);
  const each = (v: unknown): unknown => {
    if (v === undefined || v === null || v === '') return v;
    const d = read(v);
    if (!d || !fns().isValid(d)) {
      throw new UsageError(
        `mapping to "${target}": the value is not a date in the form ${from ?? 'iso'} (the rule's date transform)`,
        target,
      );
    }
    return write(d);
  };
  return (v) => (Array.isArray(v) ? v.map(each) : each(v));
}
