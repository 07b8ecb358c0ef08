// What a mapping may target in an app (get-mapping-fields, `iam mappings check`): each attribute
// path with its type, multi-valuedness and mutability (RFC 7643 2.2-2.3 terms, whatever the app).
// A connector's `schema` operation answers it from the app (SCIM /Schemas, an LDAP subschema), or
// the connector's declared list stands in (then types are known only where the connector says).

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

export interface MappingField {
  /** `userName`, `name.givenName`, `emails.value`, `urn:...:User:department`, an LDAP attribute. */
  path: string;
  /** RFC 7643 2.3 type (`string`, `boolean`, `complex`...), or `unknown` when not known. */
  type: string;
  multiValued: boolean;
  mutability: Mutability;
  required?: boolean;
}

/** What the `schema` operation answers: the fields, and where they come from. */
export interface AppSchema {
  fields: readonly (string | MappingField)[];
  /** `app`: read from the app now; `static`: the connector's own list. */
  source: 'app' | 'static';
  /** Why the static list stands in (e.g. "the app has no /Schemas (404)"). */
  note?: string;
}

/** A declared field name as a field whose type is not known (writable unless told otherwise). */
export function fieldOf(f: string | MappingField): MappingField {
  return typeof f === 'string'
    ? { path: f, type: 'unknown', multiValued: false, mutability: 'readWrite' }
    : f;
}

/**
 * A mapping rule's target as a schema path: value filters dropped (`emails[type eq "work"].value`
 * -> `emails.value`; a filter at the end targets the entry's `value`).
 */
export function schemaPath(target: string): string {
  const bare = target.replace(/\[[^\]]*\]$/, '.value');
  return bare.replace(/\[[^\]]*\]/g, '');
}

/** Looks a target up in a schema (attribute names are case-insensitive, RFC 7643 2.1). */
export function findField(fields: readonly MappingField[], target: string): MappingField | undefined {
  const want = schemaPath(target).toLowerCase();
  return fields.find((f) => schemaPath(f.path).toLowerCase() === want);
}
