// Whether an account an app returned for a lookup really holds the value asked: the core decides,
// never the connector. Some apps ignore the filter and answer every resource, or the first one:
// taking their answer as the match would change someone else's account. Case rules are RFC 7643's `caseExact`: `id` and `externalId` are
// exact (sections 3.1, 8.7.1); everything else we look up by (`userName`, `emails.value`, Group
// `displayName`) is not, and caseExact defaults to false (section 2.2).
import type { AppObject } from './connector.js';

const CASE_EXACT: ReadonlySet<string> = new Set(['id', 'externalid']);

const isObj = (v: unknown): v is AppObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Reads an attribute name the way SCIM does: case-insensitively (RFC 7643 2.1). */
function member(obj: AppObject, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/** Every value at `path` (`userName`, `emails.value`, `urn:...:User:employeeNumber`) in `raw`. */
function valuesAt(raw: AppObject, path: string): string[] {
  let nodes: unknown[] = [raw];
  let rest = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const cut = path.lastIndexOf(':');
    nodes = [member(raw, path.slice(0, cut))];
    rest = path.slice(cut + 1);
  }
  for (const name of rest.split('.')) {
    nodes = nodes.flatMap((n) => {
      const v = isObj(n) ? member(n, name) : undefined;
      return Array.isArray(v) ? v : [v];
    });
  }
  // A multi-valued complex attribute named without its sub-attribute (`emails`) means its `value`.
  return nodes.map((n) => (isObj(n) ? text(member(n, 'value')) : text(n))).filter((v) => v !== undefined);
}

/** True when `raw` holds `value` at the lookup path `path`, under the attribute's case rule. */
export function holdsLookupValue(raw: AppObject, path: string, value: string): boolean {
  const leaf = path.slice(path.lastIndexOf(':') + 1).split('.')[0] ?? path;
  const exact = CASE_EXACT.has(leaf.toLowerCase());
  const want = exact ? value : value.toLowerCase();
  return valuesAt(raw, path).some((v) => (exact ? v : v.toLowerCase()) === want);
}

/** The warning for an app that answered a lookup with resources that do not match it. */
export function ignoredFilterWarning(resource: 'user' | 'group', attribute: string): string {
  const ignored = attribute === 'id' ? 'the id in the path' : 'the filter';
  return (
    `the app answered a ${resource} lookup by ${attribute} with ${resource}s whose ${attribute} does ` +
    `not match the value asked (it ignored ${ignored}); they were not used: only a match counts`
  );
}
