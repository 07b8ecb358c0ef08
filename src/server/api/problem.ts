// Errors as RFC 9457 problem documents (`application/problem+json`): one line in `detail` that
// says what was wrong and, for bad input, the body field (`field`). Secrets are scrubbed from the
// line (the client's list: every instance's secrets, API keys and SCIM tokens, in every form).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import { cleanMessage } from '../../core/record.js';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request body field (or query parameter) that was wrong. */
  field?: string;
  /** The configured instance it concerns (fan-out answers). */
  instance?: string;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('one line: what was wrong and what was expected'),
    field: z.string().optional(),
    instance: z.string().optional(),
  })
  .describe('RFC 9457 problem document');

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: cleanMessage(detail, []),
    ...extra,
  };
}

/** A body sent as is: a record's JSON text (byte for byte what the CLI prints), or a stream. */
export function sendRaw(
  reply: FastifyReply,
  type: string,
  body: string | NodeJS.ReadableStream,
): FastifyReply {
  return reply.type(type).send(body);
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(p.status).type(PROBLEM_TYPE).send(JSON.stringify(p));
}

/**
 * A thrown error as a problem: bad input 400 (nothing was sent), the server's own configuration
 * (an unset `${env:}` of that instance, an audit log it cannot write) 500 with its one line, else
 * 500 with the one line. `redact` scrubs known secrets; `field` maps a CLI field to the body's key.
 */
export function problemOf(
  e: unknown,
  redact: (text: string) => string,
  field: (f: string | undefined) => string | undefined = (f) => f,
): Problem {
  const message = redact(e instanceof Error ? e.message : String(e));
  if (e instanceof UsageError) {
    const f = field(e.field);
    return problem(400, message, f ? { field: f } : {});
  }
  if (e instanceof ConfigError) return { ...problem(500, message), title: 'Configuration error' };
  return problem(500, `internal error: ${message}`);
}
