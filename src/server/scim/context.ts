// What a SCIM route handler works with: the library client, the instance behind this gateway entry,
// and the base URL of the entry (for `meta.location`). Commands go through the client, so the
// instance's flags, mappings, audit and dry run apply exactly as on the command line.
import type { IamClient } from '../../client.js';
import { mapIncoming } from '../../core/mapping/engine.js';
import type { UserResult } from '../../core/record.js';
import { redact } from '../../core/secrets.js';
import { recordError, ScimHttpError } from './errors.js';
import { userResource } from './resource.js';

export interface GatewayContext {
  client: IamClient;
  instance: string;
  /** e.g. `http://127.0.0.1:8080/scim/local/v2` */
  base: string;
}

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
  return expectSuccess(await ctx.client.getUser(ctx.instance, { userProfile: { id } }));
}
