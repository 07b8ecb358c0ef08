// Schema discovery (RFC 7643 sections 6-7, RFC 7644 section 4): the User resource type's schema and
// its extensions, read from GET /ResourceTypes and GET /Schemas, as the attribute paths a mapping may
// target: `userName`, `name.givenName`, `emails.value`, `urn:...:enterprise:2.0:User:department`.
// An app without /Schemas (404, 501) or with an answer that is no schema list gets the connector's
// static list, and the answer says so.
import { z } from 'zod';
import type { AppSchema, MappingField, Mutability } from '../core/app-schema.js';
import { AppError, InvalidResponseError } from '../core/errors.js';
import type { ScimClient } from './client.js';
import { SCHEMA } from './wire.js';

const MUTABILITY = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;

interface Attribute {
  name: string;
  type?: string | undefined;
  multiValued?: boolean | undefined;
  required?: boolean | undefined;
  mutability?: string | undefined;
  subAttributes?: Attribute[] | undefined;
}
const attribute: z.ZodType<Attribute> = z.lazy(() =>
  z.looseObject({
    name: z.string().min(1),
    type: z.string().optional(),
    multiValued: z.boolean().optional(),
    required: z.boolean().optional(),
    mutability: z.string().optional(),
    subAttributes: z.array(attribute).optional(),
  }),
);
const schemaResource = z.looseObject({ id: z.string().min(1), attributes: z.array(attribute).default([]) });
const resourceType = z.looseObject({
  name: z.string().optional(),
  endpoint: z.string().optional(),
  schema: z.string(),
  schemaExtensions: z.array(z.looseObject({ schema: z.string() })).default([]),
});
/** A ListResponse (RFC 7644 4) or, as some apps answer, a bare array. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.union([z.looseObject({ Resources: z.array(item) }).transform((l) => l.Resources), z.array(item)]);

function field(path: string, a: Attribute, parent?: Attribute): MappingField {
  const m = a.mutability ?? parent?.mutability;
  const mutability: Mutability = (MUTABILITY as readonly string[]).includes(m ?? '')
    ? (m as Mutability)
    : 'readWrite';
  return {
    path,
    type: a.type ?? 'unknown',
    multiValued: a.multiValued === true,
    mutability,
    ...(a.required === true ? { required: true } : {}),
  };
}

/** Each attribute and sub-attribute of a schema; `prefix` is `urn:...:` for an extension. */
function flatten(attributes: readonly Attribute[], prefix: string): MappingField[] {
  const out: MappingField[] = [];
  for (const a of attributes) {
    out.push(field(`${prefix}${a.name}`, a));
    for (const sub of a.subAttributes ?? []) out.push(field(`${prefix}${a.name}.${sub.name}`, sub, a));
  }
  return out;
}

/** RFC 7643 3.1: attributes of every resource, which many apps leave out of the User schema. */
const COMMON: readonly MappingField[] = [
  { path: 'id', type: 'string', multiValued: false, mutability: 'readOnly' },
  { path: 'externalId', type: 'string', multiValued: false, mutability: 'readWrite' },
  { path: 'meta', type: 'complex', multiValued: false, mutability: 'readOnly' },
];

const NO_ENDPOINT = new Set([400, 403, 404, 405, 501]);

/** The JSON of a discovery endpoint; undefined when the app has none (404, 501, not a SCIM answer). */
async function read(client: ScimClient, path: 'Schemas' | 'ResourceTypes'): Promise<unknown> {
  try {
    return await client.discovery(path);
  } catch (e) {
    // The app says it has no such endpoint, or not for us: the static list stands in. Auth
    // failures, 5xx and network errors are thrown: they are not "no schema".
    const status = e instanceof AppError ? e.status : undefined;
    if (e instanceof InvalidResponseError || NO_ENDPOINT.has(status ?? 0)) return undefined;
    throw e;
  }
}

/** The User schemas: from /ResourceTypes when it answers, else the core schema and its `:User` extensions. */
function userSchemas(types: unknown, schemaIds: readonly string[]): string[] {
  const parsed = listOf(resourceType).safeParse(types);
  const user = parsed.success
    ? parsed.data.find((t) => t.name === 'User' || t.endpoint === '/Users' || t.schema === SCHEMA.user)
    : undefined;
  if (user) return [user.schema, ...user.schemaExtensions.map((e) => e.schema)];
  return [SCHEMA.user, ...schemaIds.filter((id) => id !== SCHEMA.user && /:User$/.test(id))];
}

/** The app's User attributes, else `fallback` with why. Network and auth failures are thrown. */
export async function discoverSchema(client: ScimClient, fallback: readonly string[]): Promise<AppSchema> {
  const answer = await read(client, 'Schemas');
  const schemas = answer === undefined ? undefined : listOf(schemaResource).safeParse(answer);
  if (!schemas?.success) {
    const why = answer === undefined ? 'the app has no /Schemas' : 'its /Schemas answer is not a schema list';
    return { fields: fallback, source: 'static', note: `${why}: the connector's static list` };
  }
  const byId = new Map(schemas.data.map((s) => [s.id, s]));
  const wanted = userSchemas(await read(client, 'ResourceTypes'), [...byId.keys()]);
  const fields: MappingField[] = [];
  const missing: string[] = [];
  for (const id of wanted) {
    const s = byId.get(id);
    if (!s) missing.push(id);
    else fields.push(...flatten(s.attributes, id === wanted[0] ? '' : `${id}:`));
  }
  if (fields.length === 0) {
    return {
      fields: fallback,
      source: 'static',
      note: "its /Schemas has no User schema: the connector's static list",
    };
  }
  for (const c of COMMON) if (!fields.some((f) => f.path === c.path)) fields.push(c);
  const note = missing.length ? `not in /Schemas: ${missing.join(', ')}` : undefined;
  return { fields, source: 'app', ...(note ? { note } : {}) };
}
