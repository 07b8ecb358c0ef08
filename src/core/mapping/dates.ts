// Dates for the `date` transform, in UTC whatever the machine's time zone: date-fns (v4) computes in
// the class of the date it is given, so a Date whose local getters and setters are the UTC ones makes
// every parse and format UTC (what @date-fns/utc does, without a dependency).
import { format, isValid, parse, parseISO } from 'date-fns';
import { ConfigError, UsageError } from '../errors.js';

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
    format(new UtcDate(0), pattern, { in: inUtc });
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
    return (v) => (typeof v === 'string' ? parseISO(v.trim(), { in: inUtc }) : undefined);
  }
  checkPattern(from, 'from');
  return (v) => (typeof v === 'string' ? parse(v.trim(), from, new UtcDate(0), { in: inUtc }) : undefined);
}

function writer(to: string): Writer {
  if (to === 'iso') return (d) => d.toISOString();
  if (to === 'epoch-s') return (d) => Math.floor(d.getTime() / 1000);
  if (to === 'epoch-ms') return (d) => d.getTime();
  checkPattern(to, 'to');
  return (d) => format(d, to, { in: inUtc });
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
    if (!d || !isValid(d)) {
      throw new UsageError(
        `mapping to "${target}": the value is not a date in the form ${from ?? 'iso'} (the rule's date transform)`,
        target,
      );
    }
    return write(d);
  };
  return (v) => (Array.isArray(v) ? v.map(each) : each(v));
}
