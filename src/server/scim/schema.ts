// Discovery (RFC 7644 4, RFC 7643 5-7): /ServiceProviderConfig, /ResourceTypes and /Schemas, built
// for what this gateway carries (the User Profile's SCIM attributes, groups with members), and the
// canonical spelling of attribute names (RFC 7643 2.1: names are case-insensitive on input).
export const SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  config: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** Most resources one list page returns (`count` above it is lowered, RFC 7644 3.4.2.4). */
export const MAX_PAGE = 200;

type Attr = Record<string, unknown>;

function attr(name: string, more: Partial<Attr> = {}): Attr {
  return {
    name,
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...more,
  };
}
const complex = (name: string, subAttributes: Attr[], more: Partial<Attr> = {}) =>
  attr(name, { type: 'complex', subAttributes, ...more });
const multi = (name: string, subs: string[]) =>
  complex(name, [...subs.map((s) => attr(s)), attr('primary', { type: 'boolean' })], { multiValued: true });

const USER_ATTRIBUTES: Attr[] = [
  attr('userName', { required: true, uniqueness: 'server' }),
  complex('name', [attr('givenName'), attr('familyName')]),
  attr('displayName'),
  attr('title'),
  attr('userType'),
  attr('externalId', { caseExact: true }),
  attr('active', { type: 'boolean' }),
  multi('emails', ['value', 'type']),
  multi('phoneNumbers', ['value', 'type']),
];
const ENTERPRISE_ATTRIBUTES: Attr[] = ['employeeNumber', 'department', 'division', 'costCenter'].map((n) =>
  attr(n),
);
const GROUP_ATTRIBUTES: Attr[] = [
  attr('displayName', { required: true, uniqueness: 'server' }),
  complex(
    'members',
    [attr('value', { mutability: 'immutable' }), attr('display', { mutability: 'readOnly' })],
    { multiValued: true },
  ),
];

function schemaDoc(id: string, name: string, description: string, attributes: Attr[], base: string) {
  return {
    schemas: [SCHEMAS.schema],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  };
}

export function schemaDocs(base: string) {
  return [
    schemaDoc(SCHEMAS.user, 'User', 'User Account', USER_ATTRIBUTES, base),
    schemaDoc(SCHEMAS.group, 'Group', 'Group', GROUP_ATTRIBUTES, base),
    schemaDoc(SCHEMAS.enterprise, 'EnterpriseUser', 'Enterprise User', ENTERPRISE_ATTRIBUTES, base),
  ];
}

export function resourceTypes(base: string) {
  const type = (id: string, endpoint: string, schema: string, extensions: string[]) => ({
    schemas: [SCHEMAS.resourceType],
    id,
    name: id,
    endpoint,
    description: id === 'User' ? 'User Account' : 'Group',
    schema,
    schemaExtensions: extensions.map((s) => ({ schema: s, required: false })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${id}` },
  });
  return [
    type('User', '/Users', SCHEMAS.user, [SCHEMAS.enterprise]),
    type('Group', '/Groups', SCHEMAS.group, []),
  ];
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SCHEMAS.config],
    documentationUri: 'https://github.com/iam-commands/iam-commands#scim-gateway',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The token of this gateway entry (server.scim[].token), as Authorization: Bearer',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

/** Every attribute name this gateway knows, by its lowercase form. */
const CANONICAL: ReadonlyMap<string, string> = new Map(
  [
    ...['schemas', 'id', 'meta', 'created', 'lastModified', 'version', 'location', 'resourceType'],
    ...['userName', 'name', 'givenName', 'familyName', 'formatted', 'displayName', 'title', 'userType'],
    ...['externalId', 'active', 'emails', 'phoneNumbers', 'addresses', 'value', 'type', 'primary'],
    ...['display', 'members', 'employeeNumber', 'department', 'division', 'costCenter', 'manager'],
    ...['Operations', 'op', 'path', SCHEMAS.enterprise],
  ].map((n) => [n.toLowerCase(), n]),
);

/** An attribute name in its schema's spelling (`Primary` -> `primary`); unknown names unchanged. */
export const canonicalName = (name: string): string => CANONICAL.get(name.toLowerCase()) ?? name;

/** A copy of a JSON value with every known attribute name in its schema's spelling. */
export function canonicalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [canonicalName(k), canonicalKeys(v)]));
}
