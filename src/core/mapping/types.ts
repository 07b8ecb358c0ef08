// A mapping is data: an ordered list of rules between User Profile fields (lowercase names) and
// app fields. The same list is read forwards (outgoing: profile -> app) and backwards (incoming:
// app -> profile). See core/mapping/engine.ts for how each rule is applied.

export interface MappingRule {
  /**
   * Where the value lives in the app object, in SCIM attribute-path syntax (RFC 7644 3.10):
   * `userName`, `name.givenName`, `emails[type eq "work"].value`,
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
   */
  app: string;
  /** Profile field(s); outgoing takes the first present, incoming writes the first. */
  profile: string | readonly string[];
  /** Outgoing only, when no `profile` field is present: a template like `{givenname} {surname}`. */
  template?: string;
  /** Constant attributes set beside the value in a multi-valued entry, e.g. `{ primary: true }`. */
  with?: Readonly<Record<string, string | number | boolean>>;
  /** Outgoing on create only, or update only. Default: both. */
  on?: 'create' | 'update';
  /** Use the rule only outgoing (`out`) or incoming (`in`). Default: both. */
  direction?: 'in' | 'out';
}

export type Mapping = readonly MappingRule[];
