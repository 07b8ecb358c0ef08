// Users API routes: list, create, get, update, update status, update email, delete (Zoom API v2, Users reference).
import { type Json, userExists, userNotFound, validationFailed, ZoomApiError } from './errors.js';
import { PageTokens } from './paging.js';
import type { Route, RouteContext, RouteResult } from './router.js';
import { CREATE_ACTIONS, type CreateAction, type StoredUser, USER_TYPES } from './store.js';

const STATUSES = ['active', 'inactive', 'pending'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Body fields of "Update a user" the simulator keeps; others (email among them) are ignored. */
const UPDATABLE = [
  'cms_user_id',
  'company',
  'custom_attributes',
  'dept',
  'first_name',
  'host_key',
  'job_title',
  'language',
  'last_name',
  'location',
  'manager',
  'phone_country',
  'phone_number',
  'phone_numbers',
  'pmi',
  'pronouns',
  'pronouns_option',
  'timezone',
  'type',
  'use_pmi',
  'vanity_name',
  'display_name',
  'zoom_one_type',
  'plan_united_type',
  'feature',
  'about_me',
  'linkedin_url',
] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUserType(value: unknown): boolean {
  return typeof value === 'number' && (USER_TYPES as readonly number[]).includes(value);
}

/** first_name / last_name: at most 64 characters (reference maxLength). */
function badName(value: unknown): boolean {
  return value !== undefined && (typeof value !== 'string' || value.length > 64);
}

function nowIso(ctx: RouteContext): string {
  return new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function listUsers(ctx: RouteContext): RouteResult {
  const status = ctx.query.get('status') ?? 'active';
  if (!(STATUSES as readonly string[]).includes(status)) throw validationFailed(['status']);
  const size = PageTokens.pageSize(ctx.query.get('page_size'));
  const all = [...ctx.store.users.values()].filter((user) => user.status === status);
  const page = ctx.pages.page(all, `users?status=${status}`, size, ctx.query.get('next_page_token'));
  const { items, ...counts } = page;
  return { status: 200, body: { ...counts, users: items.map((user) => ctx.store.renderListItem(user)) } };
}

function createUser(ctx: RouteContext): RouteResult {
  const body = ctx.jsonBody();
  const info = isObject(body.user_info) ? body.user_info : {};
  const invalid: string[] = [];
  if (!(CREATE_ACTIONS as readonly unknown[]).includes(body.action)) invalid.push('action');
  if (typeof info.email !== 'string' || info.email.length > 128 || !EMAIL.test(info.email)) {
    invalid.push('user_info.email');
  }
  if (!isUserType(info.type)) invalid.push('user_info.type');
  if (badName(info.first_name)) invalid.push('user_info.first_name');
  if (badName(info.last_name)) invalid.push('user_info.last_name');
  if (invalid.length > 0) throw validationFailed(invalid);
  const user = ctx.store.createUser(body.action as CreateAction, info);
  const { first_name, last_name } = user.profile;
  return { status: 201, body: { id: user.id, first_name, last_name, email: user.email, type: user.type } };
}

/** A pending user shows only id and created_at (the call's own time) until it is activated. */
function getUser(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const user = ctx.store.getUser(params.userId ?? '');
  if (user.status === 'pending' && ctx.options.pendingUserShowsIdOnly) {
    return { status: 200, body: { id: user.id, created_at: nowIso(ctx) } };
  }
  return { status: 200, body: ctx.store.render(user) };
}

function updateUser(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const body = ctx.jsonBody();
  const user = ctx.store.getUser(params.userId ?? '');
  const invalid: string[] = [];
  if (body.type !== undefined && !isUserType(body.type)) invalid.push('type');
  for (const field of ['first_name', 'last_name', 'display_name'] as const) {
    if (badName(body[field])) invalid.push(field);
  }
  if (body.pmi !== undefined && !Number.isInteger(body.pmi)) invalid.push('pmi');
  if (invalid.length > 0) throw validationFailed(invalid);
  const changes: Json = {};
  for (const field of UPDATABLE) if (field in body) changes[field] = body[field];
  ctx.store.updateUser(user, changes);
  return { status: 204 };
}

/**
 * "Update a user's email" (PUT /users/{userId}/email `{ email }`, 204): the only way Zoom changes an
 * email. Simulator choices: an email in use by another user is 409 code 1005 (the same rule as
 * Create users); a pending user's email cannot be changed (400 code 300), like its status.
 */
function updateEmail(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const body = ctx.jsonBody();
  if (typeof body.email !== 'string' || body.email.length > 128 || !EMAIL.test(body.email)) {
    throw validationFailed(['email']);
  }
  const user = ctx.store.getUser(params.userId ?? '');
  if (user.status === 'pending') {
    throw new ZoomApiError(400, 300, `User has not accepted the invitation yet: ${params.userId}.`);
  }
  const other = ctx.store.findUser(body.email);
  if (other && other.id !== user.id) throw userExists(body.email);
  user.email = body.email;
  return { status: 204 };
}

function isAdmin(ctx: RouteContext, user: StoredUser): boolean {
  return user.id === ctx.store.ownerId;
}

function updateStatus(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const body = ctx.jsonBody();
  if (body.action !== 'activate' && body.action !== 'deactivate') throw validationFailed(['action']);
  const user = ctx.store.getUser(params.userId ?? '');
  if (isAdmin(ctx, user)) {
    throw new ZoomApiError(
      400,
      200,
      "Zoom Room and Admin users' status can not be activated or deactivated.",
    );
  }
  if (user.status === 'pending') {
    throw new ZoomApiError(400, 300, `User has not accepted the invitation yet: ${params.userId}.`);
  }
  user.status = body.action === 'activate' ? 'active' : 'inactive';
  return { status: 204 };
}

function deleteUser(ctx: RouteContext, params: Record<string, string>): RouteResult {
  const action = ctx.query.get('action') ?? 'disassociate';
  if (action !== 'disassociate' && action !== 'delete') throw validationFailed(['action']);
  const key = params.userId ?? '';
  const user = ctx.store.findUser(key);
  if (!user) throw userNotFound(key);
  const transfer = ctx.query.get('transfer_email');
  if (transfer && transfer.toLowerCase() === user.email.toLowerCase()) {
    throw new ZoomApiError(
      400,
      300,
      'The transfer-to email address cannot be the same as the unlinked or deleted user’s email address.',
    );
  }
  if (user.status === 'pending' && action === 'delete') {
    throw new ZoomApiError(400, 300, `To delete a pending user, use action=disassociate: ${key}.`);
  }
  ctx.store.removeUser(user, action);
  return { status: 204 };
}

export const userRoutes: Route[] = [
  { method: 'GET', path: 'users', category: 'Medium', handle: listUsers },
  { method: 'POST', path: 'users', category: 'Light', handle: createUser },
  { method: 'GET', path: 'users/:userId', category: 'Light', handle: getUser },
  { method: 'PATCH', path: 'users/:userId', category: 'Light', handle: updateUser },
  { method: 'DELETE', path: 'users/:userId', category: 'Light', handle: deleteUser },
  { method: 'PUT', path: 'users/:userId/status', category: 'Light', handle: updateStatus },
  { method: 'PUT', path: 'users/:userId/email', category: 'Light', handle: updateEmail },
];
