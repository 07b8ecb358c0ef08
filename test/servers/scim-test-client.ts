// Small fetch-based SCIM client helpers for tests that talk to the loopback servers.
import assert from 'node:assert/strict';
import type { ScimTestServer } from './scim-server.js';

export interface Body {
  id?: string;
  userName?: string;
  displayName?: string;
  active?: unknown;
  members?: { value: string; type?: string; display?: string }[];
  groups?: { value: string }[];
  emails?: unknown[];
  meta?: { location?: string; resourceType?: string; created?: string; version?: string };
  Resources?: Body[];
  totalResults?: number;
  itemsPerPage?: number;
  startIndex?: number;
  schemas?: string[];
  status?: string;
  scimType?: string;
  detail?: string;
  patch?: { supported: boolean };
  [key: string]: unknown;
}
export type Server = Pick<ScimTestServer, 'url' | 'token'>;

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An answer as the helpers return it (typed here: an inferred type would name undici's module path). */
export interface Answer {
  status: number;
  headers: Headers;
  body: Body;
}

export async function call(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
  token = server.token,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/scim+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Body };
}
export const filter = (expression: string) => `?filter=${encodeURIComponent(expression)}`;
export const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
export const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  ...extra,
});
export async function create(server: Server, path: string, body: unknown): Promise<string> {
  const res = await call(server, 'POST', path, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return String(res.body.id);
}
export function assertScimError(res: { status: number; body: Body }, status: number, scimType?: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(res.body.schemas, [ERROR]);
  assert.equal(res.body.status, String(status));
  if (scimType) assert.equal(res.body.scimType, scimType);
}
export const patch = (server: Server, path: string, ...operations: unknown[]): Promise<Answer> =>
  call(server, 'PATCH', path, patchOp(...operations));
/** Ids of a ListResponse's resources, in order. */
export const idsOf = (body: Body) => body.Resources?.map((r) => r.id);
/** Member ids of a group, in order. */
export const membersOf = (body: Body) => body.members?.map((m) => m.value);
