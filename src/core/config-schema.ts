// The config's shape, checked at load for the whole file: the keys every instance may have (brand,
// flags, mappers), their types, and how a zod issue becomes one line naming the instance and the
// key. Connection settings (TLS, proxy, timeout, rate limit, retry) are the connector's own, from
// the pieces in src/http/settings.ts. config.ts loads; config-refs.ts resolves.
import { z } from 'zod';
import { printableName, unknownKeyText } from './config-errors.js';
import type { ConnectorDefinition } from './connector.js';

export const bool = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    return ['true', 'yes', '1'].includes(s) ? true : ['false', 'no', '0'].includes(s) ? false : v;
  },
  z.boolean({ error: 'expected true or false' }),
);

/**
 * An instance's mapper, checked here only for its kind; its rules are checked and compiled by
 * mapping/load.ts, which names the file (or this config), the line and the rule.
 */
const mapperSchema = z
  .union([z.string().min(1), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: 'expected a mapping file path, a list of rules, or { create, update }',
  })
  .optional();

export const commonSchema = z.strictObject({
  brand: z.string({ error: 'expected a brand name' }),
  allowCreate: bool.optional(),
  allowUpdate: bool.optional(),
  allowEnable: bool.optional(),
  allowDisable: bool.optional(),
  allowDelete: bool.optional(),
  createIfNotExists: bool.optional(),
  mappers: z
    .strictObject({
      incoming: mapperSchema,
      outgoing: mapperSchema,
    })
    .optional(),
});
export const COMMON_KEYS = new Set(Object.keys(commonSchema.shape));

/** A secret as written in the file: resolved (`${env:}`/`${file:}`) by config-server.ts, never echoed. */
const secretText = z
  .string({ error: `expected a secret: a string, \${env:NAME} or \${file:PATH}` })
  .min(1, 'expected a non-empty secret');
const nameText = (what: string) =>
  z.string({ error: `expected ${what}` }).regex(/^[A-Za-z0-9._@:-]{1,64}$/, {
    error: `expected ${what}: 1 to 64 letters, digits or . _ @ : -`,
  });

/** `server:` (iam serve, iam mcp): API keys and SCIM gateway entries. */
export const serverSchema = z.strictObject({
  apiKeys: z
    .array(
      z.strictObject({
        name: nameText('a key name (the audit names it as the actor)'),
        key: secretText,
        scopes: z
          .array(z.enum(['read', 'write'], { error: 'expected read or write' }))
          .min(1, 'expected at least one scope (read, write)'),
        instances: z.array(z.string().min(1)).min(1, 'expected at least one instance name').optional(),
      }),
    )
    .optional(),
  scim: z
    .array(
      z.strictObject({
        path: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
          error: 'expected a URL path segment: letters, digits or . _ -',
        }),
        instance: z.string().min(1, 'expected an instance name'),
        token: secretText,
      }),
    )
    .optional(),
});

export const topSchema = z.strictObject({
  instances: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .refine((r) => Object.keys(r).length > 0, { error: 'expected at least one instance' }),
  auditLog: z.string().min(1, 'expected a file path').optional(),
  server: serverSchema.optional(),
});

/**
 * One line for a schema issue. Never the user's text beyond names: an unknown key is named by its
 * line (it may be a mis-indented secret); a key path shows only printable names. `lineAt` gives
 * ` at line N` for a path below `where`.
 */
export function formatIssue(
  where: string,
  issue: z.core.$ZodIssue,
  lineAt: (path: readonly PropertyKey[]) => string = () => '',
): string {
  const safe = issue.path.every((p) => typeof p === 'number' || printableName(String(p)));
  const path = safe ? issue.path.map(String).join('.') : '';
  if (issue.code === 'unrecognized_keys') {
    const inside = path ? ` in "${path}"` : '';
    const line = lineAt([...issue.path, issue.keys[0] ?? '']);
    return `${where}: ${unknownKeyText(issue.keys, [], `${inside}${line}`)}`;
  }
  const key = path ? ` key "${path}"` : safe ? '' : ` key${lineAt(issue.path) || ' (not shown)'}`;
  return `${where}${key}: ${issue.message}`;
}

export function settingKeys(def: ConnectorDefinition<unknown>): string[] {
  const s = def.settings as unknown;
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}
