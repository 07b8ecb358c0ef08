// Schema discovery for a directory (RFC 4512 4.2-4.4): the root DSE names the subschema entry, whose
// `objectClasses` and `attributeTypes` say which attributes the user object classes allow (MUST and
// MAY, through their superclasses), each one's syntax, `SINGLE-VALUE` and `NO-USER-MODIFICATION`
// (read-only). A directory that hides its subschema gets the connector's static list, said so.

import type { AppSchema, MappingField } from '../core/app-schema.js';
import { IamError } from '../core/errors.js';
import { type DirectoryClient, first } from './client.js';
import { presenceFilter } from './lib.js';

interface Definition {
  names: string[];
  sup: string[];
  /** A DIT content rule's auxiliary classes (how Active Directory adds securityPrincipal to user). */
  aux: string[];
  must: string[];
  may: string[];
  syntax?: string;
  singleValue: boolean;
  noUserModification: boolean;
}

/** RFC 4517 syntaxes as RFC 7643 types (what a mapping needs to know). */
const SYNTAX: Readonly<Record<string, string>> = {
  '1.3.6.1.4.1.1466.115.121.1.7': 'boolean',
  '1.3.6.1.4.1.1466.115.121.1.12': 'reference',
  '1.3.6.1.4.1.1466.115.121.1.24': 'dateTime',
  '1.3.6.1.4.1.1466.115.121.1.27': 'integer',
  '1.3.6.1.4.1.1466.115.121.1.5': 'binary',
  '1.3.6.1.4.1.1466.115.121.1.28': 'binary',
  '1.3.6.1.4.1.1466.115.121.1.40': 'binary',
  '1.2.840.113556.1.4.906': 'integer',
  '1.2.840.113556.1.4.907': 'binary',
};
const STRING_SYNTAXES = ['15', '26', '36', '44', '50', '22', '41', '11', '34', '38'];
for (const n of STRING_SYNTAXES)
  (SYNTAX as Record<string, string>)[`1.3.6.1.4.1.1466.115.121.1.${n}`] = 'string';

const TOKEN = /'(?:[^'\\]|\\.)*'|\(|\)|\$|[^\s()$']+/g;

/** One `( oid NAME ... )` description, parsed into what a mapping needs. */
export function parseDefinition(text: string): Definition {
  const tokens = text.match(TOKEN) ?? [];
  const def: Definition = {
    names: [],
    sup: [],
    aux: [],
    must: [],
    may: [],
    singleValue: false,
    noUserModification: false,
  };
  const unquote = (t: string) => t.replace(/^'|'$/g, '');
  /** A value or a parenthesised list from position i: the items and the next position. */
  const list = (i: number): [string[], number] => {
    if (tokens[i] !== '(') return [tokens[i] === undefined ? [] : [unquote(tokens[i] as string)], i + 1];
    const out: string[] = [];
    let j = i + 1;
    for (; j < tokens.length && tokens[j] !== ')'; j++)
      if (tokens[j] !== '$') out.push(unquote(tokens[j] as string));
    return [out, j + 1];
  };
  for (let i = 1; i < tokens.length; ) {
    const t = tokens[i++];
    if (t === 'NAME' || t === 'SUP' || t === 'AUX' || t === 'MUST' || t === 'MAY') {
      const [items, next] = list(i);
      i = next;
      const key = t === 'NAME' ? 'names' : (t.toLowerCase() as 'sup' | 'aux' | 'must' | 'may');
      def[key].push(...items);
    } else if (t === 'SYNTAX') def.syntax = unquote(tokens[i++] ?? '').replace(/\{\d+\}$/, '');
    else if (t === 'SINGLE-VALUE') def.singleValue = true;
    else if (t === 'NO-USER-MODIFICATION') def.noUserModification = true;
  }
  return def;
}

export function byName(values: readonly (string | Buffer)[]): Map<string, Definition> {
  const map = new Map<string, Definition>();
  for (const v of values) {
    const def = parseDefinition(String(v));
    for (const n of def.names) map.set(n.toLowerCase(), def);
  }
  return map;
}

/**
 * The attributes the classes allow, through SUP, MUST first; `required` for MUST. A class's DIT
 * content rule (RFC 4512 4.1.6, same name) adds its auxiliary classes and its own MUST/MAY.
 */
export function allowed(
  classes: Map<string, Definition>,
  names: readonly string[],
  rules: Map<string, Definition> = new Map(),
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const seen = new Set<string>();
  const add = (c: Definition) => {
    for (const a of c.must) out.set(a, true);
    for (const a of c.may) if (!out.has(a)) out.set(a, false);
  };
  const visit = (name: string) => {
    const key = name.toLowerCase();
    const c = classes.get(key);
    if (!c || seen.has(key)) return;
    seen.add(key);
    add(c);
    const rule = rules.get(key);
    if (rule) add(rule);
    for (const s of [...c.sup, ...(rule?.aux ?? [])]) visit(s);
  };
  for (const n of names) visit(n);
  return out;
}

/** An attribute type's syntax, inherited through SUP when it has none of its own. */
function syntaxOf(types: Map<string, Definition>, def: Definition, depth = 0): string | undefined {
  if (def.syntax || depth > 8) return def.syntax;
  const sup = def.sup[0] && types.get(def.sup[0].toLowerCase());
  return sup ? syntaxOf(types, sup, depth + 1) : undefined;
}

const staticList = (fallback: readonly string[], why: string): AppSchema => ({
  fields: fallback,
  source: 'static',
  note: `${why}: the connector's static list`,
});

/** The user object classes' attributes from the directory's subschema, else `fallback` with why. */
export async function readSubschema(
  client: DirectoryClient,
  userObjectClasses: readonly string[],
  fallback: readonly string[],
): Promise<AppSchema> {
  const anything = presenceFilter('objectClass');
  const [root] = await client.search({
    base: '',
    scope: 'base',
    filter: anything,
    attributes: ['subschemaSubentry'],
  });
  const dn = root && first(root, 'subschemaSubentry');
  if (!dn) return staticList(fallback, 'the directory names no subschemaSubentry');
  let entry: Awaited<ReturnType<DirectoryClient['search']>>[number] | undefined;
  try {
    [entry] = await client.search({
      base: String(dn),
      scope: 'base',
      filter: anything,
      attributes: ['attributeTypes', 'objectClasses', 'dITContentRules'],
    });
  } catch (e) {
    if (!(e instanceof IamError) || e.retryable) throw e;
    return staticList(fallback, `the subschema ${String(dn)} could not be read (${e.message})`);
  }
  const classes = byName(entry?.attrs.objectClasses ?? []);
  const types = byName(entry?.attrs.attributeTypes ?? []);
  if (classes.size === 0 || types.size === 0)
    return staticList(fallback, `the subschema ${String(dn)} is empty`);
  const fields: MappingField[] = [];
  const rules = byName(entry?.attrs.dITContentRules ?? []);
  for (const [name, required] of allowed(classes, userObjectClasses, rules)) {
    const t = types.get(name.toLowerCase());
    const syntax = t && syntaxOf(types, t);
    fields.push({
      path: t?.names[0] ?? name,
      type: (syntax && SYNTAX[syntax]) ?? 'unknown',
      multiValued: !t?.singleValue,
      mutability: t?.noUserModification ? 'readOnly' : 'readWrite',
      ...(required ? { required: true } : {}),
    });
  }
  return { fields, source: 'app' };
}
