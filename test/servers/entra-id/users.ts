// /v1.0/users ("user resource type", "List users", "Get user", "Create user", "Update user",
// "Delete a user"). Create needs accountEnabled, displayName, mailNickname, passwordProfile and
// userPrincipalName; a password must meet the complexity rule (3 of 4 character classes, 8 to 256
// characters). userPrincipalName and mail are unique. Get answers the default property set unless
// `$select` names others (accountEnabled is not in the default set). Delete moves the user to
// deleted items (restorable for 30 days).
import { badRequest, conflict, GraphError, invalidProperty, type Json, notFound } from './errors.js';
import { decodeSkip, encodeSkip, matches, parseFilter, parseSelect, parseTop, project } from './odata.js';
import type { Ctx, Result } from './router.js';

export const USER_DEFAULTS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

const WRITABLE = new Set([
  'accountEnabled',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'userPrincipalName',
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'mobilePhone',
  'businessPhones',
  'officeLocation',
  'preferredLanguage',
  'usageLocation',
  'city',
  'country',
  'passwordProfile',
]);

/** "The specified password does not comply with password complexity requirements." */
function checkPassword(p: unknown): string {
  const classes =
    typeof p === 'string' ? [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length : 0;
  if (typeof p !== 'string' || p.length < 8 || p.length > 256 || classes < 3) {
    throw badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  }
  return p;
}

function checkProps(body: Json): void {
  for (const k of Object.keys(body)) {
    if (!WRITABLE.has(k)) throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.user'.`);
  }
  if ('accountEnabled' in body && typeof body.accountEnabled !== 'boolean')
    throw invalidProperty('accountEnabled', 'User');
  const upn = body.userPrincipalName;
  if (upn !== undefined && (typeof upn !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(upn)))
    throw invalidProperty('userPrincipalName', 'User');
}

function visibleUser(ctx: Ctx, key: string) {
  const u = ctx.dir.findUser(key);
  if (!u || !ctx.dir.visible(u)) throw notFound(key);
  return u;
}

export function listUsers(ctx: Ctx): Result {
  const filter = parseFilter(ctx.query.get('$filter'), [
    'userPrincipalName',
    'mail',
    'displayName',
    'id',
    'employeeId',
  ]);
  const select = parseSelect(ctx.query.get('$select'));
  const top = parseTop(ctx.query.get('$top'), 999, 100);
  const offset = decodeSkip(ctx.query.get('$skiptoken'));
  const all = [...ctx.dir.users.values()].filter((u) => ctx.dir.visible(u) && matches(u.props, filter));
  const page = all.slice(offset, offset + top).map((u) => project(u.props, select, USER_DEFAULTS));
  const body: Json = { '@odata.context': `${ctx.base}/$metadata#users`, value: page };
  if (offset + top < all.length) {
    const q = new URLSearchParams(ctx.query);
    q.set('$skiptoken', encodeSkip(offset + top));
    body['@odata.nextLink'] = `${ctx.nextLinkBase()}/users?${q.toString()}`;
  }
  return { status: 200, body };
}

export function getUser(ctx: Ctx, key: string): Result {
  const u = visibleUser(ctx, key);
  const select = parseSelect(ctx.query.get('$select'));
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.base}/$metadata#users/$entity`,
      ...project(u.props, select, USER_DEFAULTS),
    },
  };
}

export function createUser(ctx: Ctx): Result {
  const body = ctx.body();
  checkProps(body);
  for (const p of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName'] as const) {
    if (body[p] === undefined || body[p] === '') throw invalidProperty(p, 'User');
  }
  const profile = body.passwordProfile as Json | undefined;
  if (typeof profile !== 'object' || profile === null) throw invalidProperty('passwordProfile', 'User');
  const password = checkPassword(profile.password);
  for (const p of ['userPrincipalName', 'mail'] as const) {
    if (ctx.dir.userWith(p, body[p])) throw conflict(p);
  }
  const { passwordProfile: _pw, ...props } = body;
  const user = ctx.dir.addUser(
    {
      businessPhones: [],
      mail: null,
      ...props,
      forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn ?? true,
    },
    password,
  );
  return {
    status: 201,
    body: {
      '@odata.context': `${ctx.base}/$metadata#users/$entity`,
      ...project(user.props, undefined, USER_DEFAULTS),
    },
  };
}

export function updateUser(ctx: Ctx, key: string): Result {
  const u = visibleUser(ctx, key);
  const body = ctx.body();
  checkProps(body);
  for (const p of ['userPrincipalName', 'mail'] as const) {
    if (body[p] !== undefined && ctx.dir.userWith(p, body[p], u.id)) throw conflict(p);
  }
  const { passwordProfile, ...props } = body;
  if (passwordProfile !== undefined) u.password = checkPassword((passwordProfile as Json).password);
  Object.assign(u.props, props);
  return { status: 204 };
}

export function deleteUser(ctx: Ctx, key: string): Result {
  const u = visibleUser(ctx, key);
  ctx.dir.deleteUser(u.id);
  return { status: 204 };
}

export function userRoute(ctx: Ctx, rest: string[]): Result | undefined {
  const [key, ...more] = rest;
  if (key === undefined) {
    if (ctx.method === 'GET') return listUsers(ctx);
    if (ctx.method === 'POST') return createUser(ctx);
    return undefined;
  }
  if (more.length > 0)
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${more[0]}'.`);
  if (ctx.method === 'GET') return getUser(ctx, key);
  if (ctx.method === 'PATCH') return updateUser(ctx, key);
  if (ctx.method === 'DELETE') return deleteUser(ctx, key);
  return undefined;
}
