// Filter handling that scimmy 1.3 gets wrong. Its filter tokeniser cannot read a string value
// holding an escaped quote or backslash (RFC 7644 3.4.2.2 values are JSON strings); its `eq` ignores
// caseExact (userName, emails.value and displayName compare case-insensitively per RFC 7643); its
// match() throws on a resource lacking a complex attribute the filter dives into; and it cannot see
// extension attributes nested under their URN. So string literals are masked before scimmy parses
// the filter (maskLiterals), put back afterwards (resolveFilter), and filters run against a folded
// "shadow" of each resource (shadowOf).
import SCIMMY from 'scimmy';
import { isRecord } from './scim-support.js';

type Json = Record<string, unknown>;
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

/** Thrown for filters we refuse before scimmy sees them; the server turns it into 400 invalidFilter. */
export class FilterSyntaxError extends Error {}

const PLACEHOLDER = /^__scimlit(\d+)__$/;

/** Replaces each JSON string literal in a filter with a placeholder scimmy can tokenise. */
export function maskLiterals(filter: string): { text: string; literals: string[] } {
  const literals: string[] = [];
  let text = '';
  let i = 0;
  while (i < filter.length) {
    if (filter[i] !== '"') {
      text += filter[i];
      i++;
      continue;
    }
    let j = i + 1;
    while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
    if (j >= filter.length) throw new FilterSyntaxError(`Unterminated string in filter: ${filter}`);
    try {
      literals.push(String(JSON.parse(filter.slice(i, j + 1))));
    } catch {
      throw new FilterSyntaxError(`Invalid string escape in filter: ${filter.slice(i, j + 1)}`);
    }
    text += `"__scimlit${literals.length - 1}__"`;
    i = j + 1;
  }
  return { text, literals };
}

function attributeAt(definition: Definition, path: string): Attribute | undefined {
  try {
    const found: unknown = definition.attribute(path);
    return found instanceof SCIMMY.Types.Attribute ? found : undefined;
  } catch {
    return undefined;
  }
}

function folds(attribute: Attribute | undefined): boolean {
  return attribute !== undefined && attribute.type === 'string' && attribute.config.caseExact !== true;
}

function resolveExpression(node: unknown, path: string, literals: string[], definition: Definition): unknown {
  if (isRecord(node)) {
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = resolveExpression(value, path ? `${path}.${key}` : key, literals, definition);
    }
    return out;
  }
  if (!Array.isArray(node)) return node;
  // Several expressions on one attribute (or nested joins) come as an array of arrays/objects.
  if (node.length > 0 && node.every((e) => Array.isArray(e) || isRecord(e))) {
    return node.map((e) => resolveExpression(e, path, literals, definition));
  }
  // A single expression is [comparator, value] or ["not", comparator, value].
  const valueIndex = String(node[0]).toLowerCase() === 'not' ? 2 : 1;
  const fold = folds(attributeAt(definition, path));
  return node.map((part, index) => {
    if (index !== valueIndex || typeof part !== 'string') return part;
    const literal = PLACEHOLDER.exec(part);
    const value = literal ? (literals[Number(literal[1])] ?? part) : part;
    return fold ? value.toLowerCase() : value;
  });
}

/** Rebuilds scimmy's parsed filter with the real (unescaped, case-folded) literal values. */
export function resolveFilter(
  filter: InstanceType<typeof SCIMMY.Types.Filter>,
  literals: string[],
  definition: Definition,
): InstanceType<typeof SCIMMY.Types.Filter> {
  const expressions = [...filter].map((e: unknown) => resolveExpression(e, '', literals, definition));
  return new SCIMMY.Types.Filter(expressions);
}

function shadowValue(value: unknown, attribute: Attribute): unknown {
  if (attribute.type === 'complex') {
    const shadowComplex = (item: unknown): Json => {
      const source = isRecord(item) ? item : {};
      const out: Json = {};
      for (const sub of attribute.subAttributes ?? []) out[sub.name] = shadowValue(source[sub.name], sub);
      return out;
    };
    // Missing complex values become empty ones so scimmy's match() has something to dive into.
    if (attribute.config.multiValued) return Array.isArray(value) ? value.map(shadowComplex) : [];
    return shadowComplex(value);
  }
  if (!folds(attribute)) return value;
  if (typeof value === 'string') return value.toLowerCase();
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)) : value;
}

/** A copy of a stored resource shaped for scimmy's Filter.match (see the file comment). */
export function shadowOf(resource: Json, definition: Definition): Json {
  const out: Json = {};
  for (const attribute of definition.attributes as unknown[]) {
    if (attribute instanceof SCIMMY.Types.Attribute) {
      out[attribute.name] = shadowValue(resource[attribute.name], attribute);
    } else if (attribute instanceof SCIMMY.Types.SchemaDefinition) {
      const extension = resource[attribute.id];
      const source = isRecord(extension) ? extension : {};
      for (const sub of attribute.attributes) {
        out[`${attribute.id}:${sub.name}`] = shadowValue(source[sub.name], sub);
      }
    }
  }
  return out;
}
