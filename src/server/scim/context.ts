// What a SCIM route handler works with: the library client, the instance behind this gateway entry,
// and the base URL of the entry (for `meta.location`). Commands go through the client, so the
// instance's flags, mappings, audit and dry run apply exactly as on the command line.
import type { CallOptions, IamClient } from '../../client.js';
import { mapIncoming } from '../../core/mapping/engine.js';
import type { UserResult } from '../../core/record.js';
import { redact } from '../../core/redact.js';
import { recordError, ScimHttpError } from './errors.js';
import { etagOf, metaOf, userResource } from './resource.js';

export interface GatewayContext {
  client: IamClient;
  instance: string;
  /** e.g. `http://127.0.0.1:8080/scim/local/v2` */
  base: string;
  /** The request's If-Match header (RFC 7644 3.14), checked before a PUT, PATCH or DELETE writes. */
  ifMatch?: string | undefined;
  /** Per-command options: the audit's actor (`scim:<path>`). */
  call: CallOptions;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * A PUT, PATCH or DELETE sent with If-Match goes ahead only when the resource is still at that
 * version: 412 otherwise, and 412 too when the app keeps no version to compare (a condition never
 * ignored).
 */
export function checkVersion(ctx: GatewayContext, raw: unknown): void {
  const wanted = ctx.ifMatch?.trim();
  if (!wanted || wanted === '*') return;
  const now = etagOf(metaOf(raw));
  if (!now)
    throw new ScimHttpError(
      412,
      'If-Match: this app keeps no version of the resource to compare; send the request without If-Match',
    );
  if (!wanted.split(',').some((t) => opaque(t) === opaque(now)))
    throw new ScimHttpError(
      412,
      `If-Match: the resource changed, it is now at version ${now}; read it again`,
    );
}

/** Whether the request names a version to check (an If-Match other than `*`): a DELETE reads first then. */
export const conditional = (ctx: GatewayContext): boolean => {
  const wanted = ctx.ifMatch?.trim();
  return wanted !== undefined && wanted !== '' && wanted !== '*';
};

type Obj = Record<string, unknown>;

/** The instance's flags (allowDelete decides what DELETE does). */
export function flagsOf(ctx: GatewayContext) {
  const info = ctx.client.instances().find((i) => i.name === ctx.instance);
  if (!info) throw new ScimHttpError(500, `instance "${ctx.instance}" is not configured`);
  return info.flags;
}

/** A record that must be a real success (not skipped): its error as an HTTP error otherwise. */
export function expectSuccess<T extends UserResult>(result: T): T {
  const error = recordError(result.vendor);
  if (error) throw error;
  return result;
}

/** The SCIM User of a successful get-user record. */
export function userFromGet(ctx: GatewayContext, result: UserResult): Obj {
  const v = result.vendor;
  return userResource(result.userProfile, { id: v.id ?? '', active: v.active, raw: v.details }, ctx.base);
}

/** The SCIM User of an account the app answered with (a write's record `details`). */
export function userFromAccount(ctx: GatewayContext, id: string, active: boolean | null, raw: unknown): Obj {
  const rt = ctx.client.runtime(ctx.instance);
  const safe = redact(raw, rt.secrets) as Obj;
  const profile = mapIncomingOf(ctx, safe);
  return userResource(profile, { id, active, raw: safe }, ctx.base);
}

export function mapIncomingOf(ctx: GatewayContext, raw: Obj) {
  return mapIncoming(ctx.client.runtime(ctx.instance).mapping.incoming, raw);
}

/** get-user by id: the record (not-found is a 404). */
export async function getById(ctx: GatewayContext, id: string): Promise<UserResult> {
  return expectSuccess(await ctx.client.getUser(ctx.instance, { userProfile: { id } }, ctx.call));
}
