// ServiceNow encoded queries (the `sysparm_query` of the Table API), built only from conditions
// whose value can never be read as more than a value. The syntax (Encoded query strings; the
// Now SDK's encoded-query guide) is `<field><OPERATOR><value>` joined by `^` (AND), `^OR` (OR of
// the neighbouring conditions) and `^NQ` (a new query OR-ed with the rest), plus `^ORDERBY`,
// `^RLQUERY` and the like, all of which start with `^`. The syntax has no escape for `^` in a
// value, so a value holding one is refused: `ann^ORuser_name=admin` or `x^NQactive=true` would
// otherwise add a condition and find other accounts. A value starting `javascript:` is evaluated
// by the instance (`caller_id=javascript:gs.getUserID()`), so it is refused too, as are control
// characters (a line break ends a URL parameter in some proxies). After the `=` operator the rest
// up to the next `^` is the value: `=` and `,` are literal there (`,` lists values only after IN),
// so `a=b` or `a,b` are looked up as themselves and match nothing else.
import { UsageError } from '../../core/errors.js';

/** A field name as the Table API spells it (lower case, digits, `_`, dot-walks). */
const FIELD = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a value cannot go into an encoded query, or undefined when it can. */
export function unsafeValue(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.includes('^')) return 'contains "^", which starts a new condition in an encoded query';
  if (CONTROL.test(value)) return 'contains a control character';
  if (/^\s*javascript:/i.test(value))
    return 'starts with "javascript:", which ServiceNow would run as a script';
  return undefined;
}

/** `<field>=<value>`, or a UsageError naming the field when the value could add a condition. */
export function equals(field: string, value: string): string {
  if (!FIELD.test(field)) throw new UsageError(`${field}: not a ServiceNow field name`, field);
  const why = unsafeValue(value);
  if (why) {
    throw new UsageError(
      `${field}: ${JSON.stringify(value)} ${why}; ServiceNow's query syntax cannot carry it, so no lookup was made`,
      field,
    );
  }
  return `${field}=${value}`;
}

/** Conditions AND-ed (each already built by `equals`). */
export const and = (...conditions: readonly string[]): string => conditions.join('^');

/** A ServiceNow sys_id: 32 hexadecimal characters. */
export const SYS_ID = /^[0-9a-f]{32}$/i;
