// A simulator of the AWS IAM Identity Center SCIM endpoint: the scim-server service mounted under
// /<tenantId>/scim/v2 behind a thin express layer that enforces the limits AWS documents in the
// "IAM Identity Center SCIM Implementation Developer Guide" (docs.aws.amazon.com/singlesignon/latest/
// developerguide/), pages relied on:
// - limitations.html: only `eq` (joined by `and`) filters; no /Me, /Bulk, /Search; no multi-valued
//   user attributes (one email, one phone number, one address);
// - listusers.html / listgroups.html: startIndex, attributes and excludedAttributes not supported;
//   filters on userName, externalId, id (Users) and displayName, externalId, id (Groups), written as
//   <attribute> eq "<value>"; "GetGroup and ListGroups return an empty member list" (getgroup.html);
// - createuser.html: userName, displayName, name.givenName and name.familyName required; the emails
//   value must be marked primary; single values only;
// - creategroup.html: at most 100 members in a single request; 409 when the group already exists;
// - patchgroup.html: at most 100 membership changes per request; only displayName, members and
//   externalId may be patched; replacing or removing all memberships is a ValidationException (400);
// - every page's error table: ValidationException 400 (also for unsupported operations, hence 400
//   for PUT /Groups, which has no AWS operation), UnauthorizedException 401 for a missing/invalid
//   token or a wrong tenant id.
// Errors use the RFC 7644 3.12 body (no AWS error body was copied), the AWS exception name leading
// the detail.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { createScimApp, type RecordedRequest, type ScimApp, type ScimTestServer } from './scim-server.js';
import {
  hasBearer,
  isRecord,
  listen,
  recordRequests,
  scimErrors,
  sendScimError,
  storeHandle,
} from './scim-support.js';

const MAX_MEMBER_CHANGES = 100;
const FILTERABLE: Record<string, string[]> = {
  users: ['userName', 'externalId', 'id'],
  groups: ['displayName', 'externalId', 'id'],
};

const reject = (res: Response, status: number, exception: string, detail: string) =>
  sendScimError(res, status, `${exception}: ${detail}`);

/** Null when the filter is `attr eq "value"` clauses (joined by `and`) on allowed attributes. */
function filterProblem(filter: string, allowed: string[]): string | null {
  const clause = /^\s*([A-Za-z$][\w.:$-]*)\s+(\S+)\s+("(?:[^"\\]|\\.)*")\s*/;
  let rest = filter;
  for (;;) {
    const match = clause.exec(rest);
    if (!match) return `Unsupported filter expression: ${filter}`;
    const [whole, attribute = '', operator = ''] = match;
    if (operator.toLowerCase() !== 'eq')
      return `Unsupported comparison operator '${operator}': only eq is supported`;
    if (!allowed.some((a) => a.toLowerCase() === attribute.toLowerCase())) {
      return `Unsupported filter attribute '${attribute}'`;
    }
    rest = rest.slice(whole.length);
    if (rest === '') return null;
    const and = /^and\s+/i.exec(rest);
    if (!and) return `Unsupported filter expression: ${filter}`;
    rest = rest.slice(and[0].length);
  }
}

function emailProblem(emails: unknown, existing = 0): string | null {
  if (!Array.isArray(emails)) return null; // not an array: the SCIM layer rejects the type
  if (emails.length + existing > 1) return 'Multiple values in emails are not supported';
  if (emails.some((e) => !isRecord(e) || e.primary !== true))
    return 'The emails value must be marked as primary';
  return null;
}

function createUserProblem(body: unknown): string | null {
  const user = isRecord(body) ? body : {};
  const name = isRecord(user.name) ? user.name : {};
  for (const [field, value] of Object.entries({
    userName: user.userName,
    displayName: user.displayName,
    'name.givenName': name.givenName,
    'name.familyName': name.familyName,
  })) {
    if (typeof value !== 'string' || value === '') return `${field} is required`;
  }
  for (const multi of ['phoneNumbers', 'addresses', 'roles']) {
    if (Array.isArray(user[multi]) && (user[multi] as unknown[]).length > 1)
      return `Multiple values in ${multi} are not supported`;
  }
  return emailProblem(user.emails);
}

const operationsOf = (body: unknown): Record<string, unknown>[] =>
  isRecord(body) && Array.isArray(body.Operations) ? body.Operations.filter(isRecord) : [];

function patchUserProblem(body: unknown, existingEmails: number): string | null {
  for (const op of operationsOf(body)) {
    const path = typeof op.path === 'string' ? op.path.trim() : undefined;
    const emails = path === undefined ? (isRecord(op.value) ? op.value.emails : undefined) : op.value;
    if (path !== undefined && !/^emails$/i.test(path)) continue;
    const values = emails === undefined || Array.isArray(emails) ? emails : [emails];
    const add = String(op.op).toLowerCase() === 'add';
    const problem = emailProblem(values, add ? existingEmails : 0);
    if (problem) return problem;
  }
  return null;
}

function patchGroupProblem(body: unknown): string | null {
  let changes = 0;
  for (const op of operationsOf(body)) {
    const kind = String(op.op).toLowerCase();
    const path = typeof op.path === 'string' ? op.path.trim() : undefined;
    const attributes = path === undefined ? Object.keys(isRecord(op.value) ? op.value : {}) : [path];
    const roots = attributes.map((a) => a.split(/[.[]/)[0]?.toLowerCase());
    if (roots.some((r) => r !== 'displayname' && r !== 'members' && r !== 'externalid')) {
      return 'Only displayName, members and externalId can be patched';
    }
    if (!roots.includes('members')) continue;
    const filtered = path !== undefined && /^members\[/i.test(path);
    if (kind === 'replace') return 'Replacing all group memberships is not supported';
    if (kind === 'remove' && !filtered && op.value === undefined)
      return 'Removing all group memberships is not supported';
    const values = path === undefined && isRecord(op.value) ? op.value.members : op.value;
    changes += filtered ? 1 : Array.isArray(values) ? values.length : values === undefined ? 0 : 1;
  }
  if (changes > MAX_MEMBER_CHANGES) {
    return `${changes} membership changes in one request; at most ${MAX_MEMBER_CHANGES} are allowed`;
  }
  return null;
}

function userProblem(req: Request, stored: () => Record<string, unknown> | undefined): string | null {
  if (req.method === 'POST') return createUserProblem(req.body);
  if (req.method === 'PUT') return emailProblem(isRecord(req.body) ? req.body.emails : undefined);
  if (req.method !== 'PATCH') return null;
  const emails = stored()?.emails; // only PATCH needs the stored user (an add appends to its emails)
  return patchUserProblem(req.body, Array.isArray(emails) ? emails.length : 0);
}

/** The AWS rules, in front of the SCIM service; paths are relative to /<tenantId>/scim/v2. */
function awsRules(scim: ScimApp, token: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBearer(req.get('authorization'), token)) {
      return reject(res, 401, 'UnauthorizedException', 'Authorization header is invalid or missing');
    }
    const [collection = '', id, more] = req.path.split('/').filter(Boolean);
    const resource = collection.toLowerCase();
    const query = new URL(req.originalUrl, 'http://loopback').searchParams;
    const invalid = (detail: string) => reject(res, 400, 'ValidationException', detail);
    for (const unsupported of ['startIndex', 'attributes', 'excludedAttributes']) {
      if (query.has(unsupported)) return invalid(`The ${unsupported} parameter is not supported`);
    }
    if (['me', 'bulk', '.search'].includes(resource) || id === '.search' || more !== undefined) {
      return invalid(`${req.method} ${req.path} is not supported`);
    }
    const allowed = FILTERABLE[resource];
    const filter = query.get('filter');
    if (allowed && req.method === 'GET' && id === undefined && filter !== null) {
      const problem = filterProblem(filter, allowed);
      if (problem) return invalid(problem);
    }
    if (resource === 'users') {
      const problem = userProblem(req, () => scim.users().find((u) => u.id === id));
      if (problem) return invalid(problem);
    }
    if (resource === 'groups') {
      if (req.method === 'PUT') return invalid('PUT is not supported for groups; use PATCH');
      if (req.method === 'PATCH') {
        const problem = patchGroupProblem(req.body);
        if (problem) return invalid(problem);
      }
      if (req.method === 'POST') {
        const group = isRecord(req.body) ? req.body : {};
        const members = Array.isArray(group.members) ? group.members.length : 0;
        if (members > MAX_MEMBER_CHANGES)
          return invalid(`At most ${MAX_MEMBER_CHANGES} members can be added in a single request`);
        const name = typeof group.displayName === 'string' ? group.displayName.toLowerCase() : undefined;
        if (name !== undefined && scim.groups().some((g) => String(g.displayName).toLowerCase() === name)) {
          return reject(res, 409, 'ConflictException', 'Group already exists');
        }
      }
      if (req.method === 'GET') stripMembers(res);
    }
    next();
  };
}

/** AWS answers GetGroup/ListGroups without members. */
function stripMembers(res: Response): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    const resources = isRecord(body) && Array.isArray(body.Resources) ? body.Resources : [body];
    for (const resource of resources) if (isRecord(resource)) delete resource.members;
    return json(body);
  };
}

export async function startAwsIlmServer(
  opts: { tenantId?: string; token?: string } = {},
): Promise<ScimTestServer & { baseUrl: string; tenantId: string }> {
  const tenantId = opts.tenantId ?? 'd-9067000000-tenant';
  const token = opts.token ?? 'aws-scim-test-token';
  const root = `/${tenantId}/scim/v2`;
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const scim = createScimApp({ token, patch: true, url: () => `${baseUrl}${root}` });
  const app = express();
  app.use(recordRequests(requests));
  app.use(root, awsRules(scim, token), scim.app);
  // Anything outside this tenant's root: AWS answers 401 for a wrong tenant id.
  app.use((_req: Request, res: Response) => reject(res, 401, 'UnauthorizedException', 'Unknown tenant'));
  app.use(scimErrors);
  const server = await listen(app);
  baseUrl = server.origin;
  return {
    baseUrl,
    tenantId,
    url: `${baseUrl}${root}`,
    token,
    ...storeHandle(scim, requests, server.close),
  };
}
