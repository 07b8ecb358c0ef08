// What a brand's settings are, read from its zod schema itself (never from a copied table): each
// setting's name, type, default, whether it is required, and its `.describe()` text. Nested
// objects (`retry`, `rateLimit`) are listed by dotted name. Printed by `iam brands`.
import { z } from 'zod';

export interface SettingDoc {
  /** Dotted for nested settings: `retry.attempts`. */
  key: string;
  type: string;
  required: boolean;
  /** Absent when the schema declares none. */
  default?: unknown;
  description: string;
}

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  secret?: boolean;
}

function typeOf(s: JsonSchema): string {
  if (s.secret) return 'secret';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) {
    const parts = s.anyOf.map(typeOf).filter((t) => t !== 'any');
    return [...new Set(parts)].join(' | ') || 'any';
  }
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'string' && s.format === 'uri') return 'url';
  if ((t === 'integer' || t === 'number') && s.minimum !== undefined && s.maximum !== undefined)
    return `${t} ${s.minimum}..${s.maximum}`;
  return t ?? 'any';
}

/** The object inside optional/default wrappers, if the schema is one. */
function objectOf(schema: z.ZodType | undefined): z.ZodObject | undefined {
  let s: unknown = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap();
  return s instanceof z.ZodObject ? s : undefined;
}

/** A default JSON Schema cannot show (one on a preprocessed value), read from the zod schema. */
function zodDefault(schema: z.ZodType | undefined): unknown {
  return schema instanceof z.ZodDefault ? (schema.def.defaultValue as unknown) : undefined;
}

/** The variants of a union of objects told apart by a `type` constant (`auth`), if it is one. */
function variantsOf(p: JsonSchema): { tag: string; schema: JsonSchema }[] | undefined {
  const all = p.oneOf ?? p.anyOf;
  if (!all?.length || !all.every((v) => v.properties?.type?.const !== undefined)) return undefined;
  return all.map((v) => ({ tag: String(v.properties?.type?.const), schema: v }));
}

function walk(
  s: JsonSchema,
  zod: z.ZodObject | undefined,
  prefix: string,
  out: SettingDoc[],
  variant?: string,
): void {
  const required = new Set(s.required ?? []);
  for (const [key, p] of Object.entries(s.properties ?? {})) {
    if (variant && key === 'type') continue;
    const name = `${prefix}${key}`;
    const field = zod?.shape[key] as z.ZodType | undefined;
    const dflt = p.default ?? zodDefault(field);
    const variants = variantsOf(p);
    out.push({
      key: name,
      type: p.properties
        ? 'object'
        : variants
          ? `object, type: ${variants.map((v) => v.tag).join(' | ')}`
          : typeOf(p),
      required: required.has(key),
      ...(dflt !== undefined ? { default: dflt } : {}),
      description: `${p.description ?? ''}${variant ? ` (type ${variant})` : ''}`,
    });
    if (p.properties) walk(p, objectOf(field), `${name}.`, out);
    for (const v of variants ?? []) walk(v.schema, undefined, `${name}.`, out, v.tag);
  }
}

/** The settings of a schema (a zod object), in schema order. */
export function describeSettings(schema: z.ZodType): SettingDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: SettingDoc[] = [];
  walk(json, objectOf(schema), '', out);
  return out;
}
