// A mapping is data: an ordered list of rules between User Profile fields (lowercase names) and
// app fields. The same list is read forwards (outgoing: profile -> app) and backwards (incoming:
// app -> profile). See core/mapping/engine.ts for how each rule is applied, README "Mappings" for
// the format (sources, transforms, conditions, create/update variants).

/** A constant a rule may set: a scalar, or structured data (set as data, never as JSON text). */
export type MappingValue =
  | string
  | number
  | boolean
  | null
  | readonly MappingValue[]
  | { readonly [key: string]: MappingValue };

/** One step of a rule's `transform` chain: a name for argument-less steps, else a one-key object. */
export type TransformStep =
  | 'lowercase'
  | 'uppercase'
  | 'trim'
  | { readonly default: MappingValue }
  | { readonly concat: { readonly prefix?: string; readonly suffix?: string } }
  | { readonly split: string }
  | { readonly join: string }
  | { readonly replace: { readonly pattern: string; readonly with: string; readonly flags?: string } }
  | { readonly date: { readonly to: string; readonly from?: string } }
  | {
      readonly lookup: {
        readonly table: Readonly<Record<string, MappingValue>>;
        readonly default?: MappingValue;
      };
    };

/**
 * Map the rule only when this holds. Outgoing, `field` is a User Profile field; on an incoming-only
 * rule (`direction: in`, or a rule of an incoming list) it is an app path.
 */
export interface MappingCondition {
  field: string;
  equals?: string | number | boolean;
  in?: readonly (string | number | boolean)[];
  matches?: string;
  present?: boolean;
}

export interface MappingRule {
  /**
   * Where the value lives in the app object, in SCIM attribute-path syntax (RFC 7644 3.10):
   * `userName`, `name.givenName`, `emails[type eq "work"].value`,
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
   */
  app: string;
  /** Profile field(s); outgoing takes the first present, incoming writes the first. */
  profile?: string | readonly string[];
  /**
   * A template like `{givenname} {surname}`: with `profile`, used when no profile field is present;
   * without, the rule's source (outgoing only).
   */
  template?: string;
  /** A constant source (outgoing only). */
  value?: MappingValue;
  /** Steps applied in order to the source value (outgoing), or to the app value (incoming-only rules). */
  transform?: readonly TransformStep[];
  /** Map the rule only when this holds. */
  when?: MappingCondition;
  /** Constant attributes set beside the value in a multi-valued entry, e.g. `{ primary: true }`. */
  with?: Readonly<Record<string, string | number | boolean>>;
  /** Outgoing on create only, or update only. Default: both. */
  on?: 'create' | 'update';
  /** Use the rule only outgoing (`out`) or incoming (`in`). Default: both. */
  direction?: 'in' | 'out';
}

export type Mapping = readonly MappingRule[];
