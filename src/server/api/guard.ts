// Who may do what: the key from `Authorization: Bearer`, its scope and its instances. 401 for a
// missing or unknown key, 403 for a known key without the scope or the instance. Checked in the
// route's onRequest hook, before the body is read or validated, so a caller without a key learns
// nothing about the input. The key's name is all that is kept (the audit's actor); the key never
// reaches a log, a record or an answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyConfig, Scope } from '../../core/config-server.js';
import { hasScope, type KeyRing, mayUse } from '../auth.js';
import { problem, sendProblem } from './problem.js';

export interface Guard {
  /** The onRequest hook of a route: key and scope, and the path's `{instance}` when it has one. */
  hook(scope: Scope): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The key the hook let through. */
  keyOf(request: FastifyRequest): ApiKeyConfig;
  /** Instances named in the body or query: may this key use them, and do they exist (else the problem is sent). */
  instances(request: FastifyRequest, reply: FastifyReply, names: readonly string[]): boolean;
}

export function guard(ring: KeyRing, known: ReadonlySet<string>): Guard {
  const keys = new WeakMap<FastifyRequest, ApiKeyConfig>();
  const refuse = (reply: FastifyReply, status: number, detail: string, field?: string) => {
    sendProblem(reply, problem(status, detail, field ? { field } : {}));
    return false;
  };
  const allowed = (reply: FastifyReply, key: ApiKeyConfig, names: readonly string[], inPath: boolean) => {
    // An instance the key may not use is refused whether or not it exists (nothing is revealed).
    const denied = names.find((i) => !mayUse(key, i));
    if (denied !== undefined) {
      const name = known.has(denied) ? `"${denied}"` : 'named';
      return refuse(reply, 403, `API key "${key.name}" may not use the instance ${name}`);
    }
    const unknown = names.find((i) => !known.has(i));
    if (unknown === undefined) return true;
    const list = [...known].filter((i) => mayUse(key, i)).join(', ') || 'none';
    const detail = `unknown instance "${unknown}" (configured: ${list})`;
    return inPath ? refuse(reply, 404, detail, 'instance') : refuse(reply, 400, detail, 'instances');
  };
  return {
    hook: (scope) => async (request, reply) => {
      const key = ring.identify(request.headers.authorization);
      if (!key) {
        refuse(reply, 401, 'a valid API key is required: Authorization: Bearer <key>');
        return reply;
      }
      if (!hasScope(key, scope)) {
        refuse(reply, 403, `API key "${key.name}" does not have the ${scope} scope`);
        return reply;
      }
      const params = request.params as { instance?: unknown } | undefined;
      if (typeof params?.instance === 'string' && !allowed(reply, key, [params.instance], true)) return reply;
      keys.set(request, key);
      return undefined;
    },
    keyOf(request) {
      const key = keys.get(request);
      // A route without the hook is a bug, never an open door.
      if (!key) throw new Error('route has no key check');
      return key;
    },
    instances: (request, reply, names) => allowed(reply, keys.get(request) as ApiKeyConfig, names, false),
  };
}
