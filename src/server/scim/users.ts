// /Users: each request becomes IAM commands through the library (get-user, create-user,
// update-user, enable-user, disable-user, delete-user), and the app's real answer becomes the SCIM
// answer. A POST answers 201 only for a record whose action is `create`; a userName that exists is
// 409 before anything is written (create-user alone would turn into an update, RFC 7644 3.3 says no).
import type { Profile } from '../../core/profile.js';
import type { UserResult } from '../../core/record.js';
import {
  checkVersion,
  conditional,
  expectSuccess,
  flagsOf,
  type GatewayContext,
  getById,
  userFromAccount,
  userFromGet,
} from './context.js';
import { badRequest, ScimHttpError } from './errors.js';
import { applyPatch, readPatch } from './patch.js';
import { activeOf, CARRIED_FIELDS, profileOf } from './resource.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function bodyObject(body: unknown): Obj {
  if (!isObj(body)) throw badRequest('body: expected a SCIM User JSON object', 'invalidSyntax');
  return body;
}

export async function getUser(ctx: GatewayContext, id: string): Promise<Obj> {
  return userFromGet(ctx, await getById(ctx, id));
}

/** POST /Users: 201 with the account the app created, 409 when the userName is taken. */
export async function createUser(ctx: GatewayContext, body: unknown): Promise<Obj> {
  const scim = bodyObject(body);
  const profile = profileOf(scim);
  const active = activeOf(scim.active, true);
  const existing = await ctx.client.getUser(
    ctx.instance,
    { userProfile: { username: profile.username } },
    ctx.call,
  );
  if (existing.vendor.success) {
    throw new ScimHttpError(
      409,
      `userName "${profile.username}" is already in use (id ${existing.vendor.id})`,
      'uniqueness',
    );
  }
  if (existing.vendor.errorCode !== 404) expectSuccess(existing);
  const result = expectSuccess(
    await ctx.client.createUser(ctx.instance, { userProfile: profile, allowEnable: active }, ctx.call),
  );
  const v = result.vendor;
  if (v.action !== 'create') {
    // Created by someone else between the check and the create: the core updated it instead.
    throw new ScimHttpError(
      409,
      `userName "${profile.username}" was created meanwhile (id ${v.id}); it was updated`,
      'uniqueness',
    );
  }
  return userFromAccount(ctx, v.id ?? '', v.active, v.details);
}

/**
 * Brings the account to `target` (a whole User Profile) and `active`: update-user with the carried
 * fields that change (never enabling on the way: allowEnable false), then enable-user or
 * disable-user. A carried field the target clears is refused (400): update-user sends values,
 * never removals, so the gateway would otherwise answer for a value the app still holds.
 */
async function reach(ctx: GatewayContext, current: UserResult, target: Profile, active: boolean) {
  const id = current.vendor.id ?? '';
  const now = current.userProfile;
  const changes: Profile = {};
  for (const field of CARRIED_FIELDS) {
    const before = now[field];
    const after = target[field];
    if (!present(after)) {
      if (present(before) && !(field === 'displayname' && !('displayname' in target)))
        throw new ScimHttpError(
          400,
          `${field}: cannot be cleared through this gateway (the IAM commands send values, never removals); send a new value instead`,
          'mutability',
        );
      continue;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) changes[field] = after;
  }
  if (Object.keys(changes).length > 0) {
    // Every carried value the target holds, not only the changed ones: a mapping template (Local's
    // displayname from givenname and surname) must see the whole profile, never half of it.
    const whole = Object.fromEntries(
      CARRIED_FIELDS.filter((f) => present(target[f])).map((f) => [f, target[f]]),
    );
    const updated = expectSuccess(
      await ctx.client.updateUser(
        ctx.instance,
        { userProfile: { id, ...whole }, allowEnable: false },
        ctx.call,
      ),
    );
    if (updated.vendor.action !== 'update')
      throw new ScimHttpError(
        404,
        `User ${id} no longer exists (the app answered with a ${updated.vendor.action})`,
      );
  }
  if (current.vendor.active !== active) {
    const result = active
      ? await ctx.client.enableUser(ctx.instance, { userProfile: { id } }, ctx.call)
      : await ctx.client.disableUser(ctx.instance, { userProfile: { id } }, ctx.call);
    expectSuccess(result);
  }
}

/** PUT /Users/{id}: the account replaced by the body's attributes. */
export async function replaceUser(ctx: GatewayContext, id: string, body: unknown): Promise<Obj> {
  const scim = bodyObject(body);
  const target = profileOf(scim);
  const current = await getById(ctx, id);
  checkVersion(ctx, current.vendor.details);
  await reach(ctx, current, target, activeOf(scim.active, current.vendor.active ?? true));
  return getUser(ctx, id);
}

/** PATCH /Users/{id}: the operations applied to the current SCIM User, then reached as a PUT would. */
export async function patchUser(ctx: GatewayContext, id: string, body: unknown): Promise<Obj> {
  const ops = readPatch(body);
  const current = await getById(ctx, id);
  checkVersion(ctx, current.vendor.details);
  const patched = applyPatch(userFromGet(ctx, current), ops);
  const target = profileOf(patched);
  await reach(ctx, current, target, activeOf(patched.active, current.vendor.active ?? true));
  return getUser(ctx, id);
}

/** DELETE /Users/{id}: delete-user where the instance allows it (allowDelete), else disable-user. */
export async function deleteUser(ctx: GatewayContext, id: string): Promise<void> {
  if (conditional(ctx)) checkVersion(ctx, (await getById(ctx, id)).vendor.details);
  const flags = flagsOf(ctx);
  const userProfile = { id };
  const result = flags.allowDelete
    ? await ctx.client.deleteUser(ctx.instance, { userProfile }, ctx.call)
    : await ctx.client.disableUser(ctx.instance, { userProfile }, ctx.call);
  // Already disabled: the deprovision the identity provider asked for holds.
  if (result.vendor.skipped && result.vendor.reason === 'User is already disabled.') return;
  expectSuccess(result);
}
