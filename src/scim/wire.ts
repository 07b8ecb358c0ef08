// SCIM wire shapes (RFC 7643, RFC 7644), parsed once at the edge. Only what the client relies on is
// checked; resources are kept whole (loose objects) because they go back to the caller as `raw`.
import { z } from 'zod';
import { excerpt, unsafeJson } from '../core/profile.js';
import type { HttpResponse } from '../http/transport.js';

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export type ResourceType = 'Users' | 'Groups';

/** A resource as the app returned it; `id` is required (some apps send numbers: read as text). */
export const scimResource = z.looseObject({
  id: z.union([z.string().min(1), z.number()], { error: 'expected a non-empty string' }).transform(String),
});
export type ScimResource = z.output<typeof scimResource>;

const count = z.number().int().nonnegative();

/**
 * RFC 7644 3.4.2 ListResponse. Counters that are missing or not non-negative integers read as
 * undefined (the pager then stops after what it has) instead of failing the whole lookup.
 */
export const listResponse = z.looseObject({
  totalResults: count.optional().catch(undefined),
  itemsPerPage: count.optional().catch(undefined),
  startIndex: count.optional().catch(undefined),
  Resources: z.array(scimResource).optional(),
});

/** RFC 7644 3.12: `status` is a string by the RFC, a number in many apps. */
export const scimErrorBody = z.looseObject({
  schemas: z.array(z.string()).optional().catch(undefined),
  status: z.union([z.string(), z.number()]).optional().catch(undefined),
  scimType: z.string().optional().catch(undefined),
  detail: z.string().optional().catch(undefined),
});

const feature = z
  .looseObject({ supported: z.boolean().optional().catch(undefined) })
  .optional()
  .catch(undefined);

/** RFC 7643 5: the parts of ServiceProviderConfig the client reads. */
export const serviceProviderConfig = z.looseObject({
  patch: feature,
  bulk: feature,
  filter: z
    .looseObject({
      supported: z.boolean().optional().catch(undefined),
      maxResults: count.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** What the client learned from discovery; `fallback` when there was nothing to learn from. */
export interface ScimFeatures {
  patch: boolean;
  filter: boolean;
  maxResults: number | undefined;
  /** true when ServiceProviderConfig was missing or unreadable: "supports nothing optional". */
  fallback: boolean;
}

export const FALLBACK_FEATURES: ScimFeatures = {
  patch: false,
  filter: false,
  maxResults: undefined,
  fallback: true,
};

/** Why an answer could not be read, in a few words: empty, not JSON, or the first wrong field. */
function whyUnreadable(
  res: Pick<HttpResponse, 'json' | 'text' | 'headers'>,
  issue?: z.core.$ZodIssue,
): string {
  if (res.json === null) {
    const text = res.text.trim();
    if (!text) return 'the body is empty';
    if (text === 'null') return 'the body is null';
    const type = res.headers['content-type'];
    if (type && !/json/i.test(type)) return `its content type is ${excerpt(type, 40)}, not JSON`;
    return 'the body is not valid JSON';
  }
  if (!issue) return 'it has the wrong shape';
  const where = issue.path.length ? issue.path.map(String).join('.') : 'the body';
  return `${where}: ${issue.message}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const goodId = (v: Obj) => typeof v.id === 'string' && v.id.length > 0;
const goodCount = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);

/**
 * Checks that say "the schema would return this very value unchanged" (every id already a
 * non-empty string, every counter absent or a non-negative integer), so the common answer skips
 * zod's copy of every resource (about 1.3% of a get-user's CPU). Anything else: the schema.
 */
const FAST = new Map<z.ZodType, (json: unknown) => boolean>([
  [scimResource, (j) => isObj(j) && goodId(j)],
  [
    listResponse,
    (j) =>
      isObj(j) &&
      goodCount(j.totalResults) &&
      goodCount(j.itemsPerPage) &&
      goodCount(j.startIndex) &&
      (j.Resources === undefined ||
        (Array.isArray(j.Resources) && j.Resources.every((r) => isObj(r) && goodId(r)))),
  ],
]);

/**
 * Parses an app's answer with `schema`, or says why it cannot be read. Nesting too deep to walk
 * (records, output and logs all recurse) and `__proto__` keys are refused before the schema runs.
 */
export function readAnswer<S extends z.ZodType>(
  schema: S,
  res: Pick<HttpResponse, 'json' | 'text' | 'headers'>,
): { success: true; data: z.output<S> } | { success: false; why: string } {
  const unsafe = unsafeJson(res.json);
  if (unsafe) return { success: false, why: `the body has ${unsafe}` };
  // The common, well-formed answer is taken as it is; anything else goes through the schema,
  // which repairs what it can (numeric ids, bad counters) and names the first wrong field.
  const fast = FAST.get(schema)?.(res.json);
  if (fast) return { success: true, data: res.json as z.output<S> };
  const parsed = schema.safeParse(res.json);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, why: whyUnreadable(res, parsed.error.issues[0]) };
}
