// The raw HTTP ceiling of the SCIM server for the requests `iam batch` makes, measured with
// autocannon: the same connections count as our concurrency, the same request shapes (query
// string, headers, bodies), keep-alive, no client-side work beyond HTTP itself.
import autocannon from 'autocannon';
import { percentile, type ScimChild, scimUserOf } from './tools.js';

export interface Measured {
  ops: number;
  wallMs: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const ACCEPT = 'application/scim+json, application/json;q=0.9, */*;q=0.1';

/** The exact lookup our SCIM client sends (filter, startIndex, count): see src/scim/client.ts. */
export const lookupPath = (server: ScimChild, name: string) =>
  `${server.basePath}/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}&startIndex=1&count=100`;

function headers(server: ScimChild, body: boolean): Record<string, string> {
  return {
    accept: ACCEPT,
    'user-agent': 'iam-commands/0.1',
    authorization: `Bearer ${server.token}`,
    ...(body ? { 'content-type': 'application/scim+json' } : {}),
  };
}

function check(result: autocannon.Result, what: string): void {
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(
      `${what}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  }
}

/** `count` lookups of existing users (names[i % names.length]) over `connections` connections. */
export async function getCeiling(
  server: ScimChild,
  names: readonly string[],
  count: number,
  connections: number,
): Promise<Measured> {
  let next = 0;
  let answered = 0;
  const started = performance.now();
  const result = await autocannon({
    url: server.origin,
    connections,
    amount: count,
    headers: headers(server, false),
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: lookupPath(server, names[next++ % names.length] ?? '') }),
        onResponse: () => {
          answered = performance.now();
        },
      },
    ],
  });
  // To the last answer: autocannon itself only reports "done" on its next one-second tick.
  const wallMs = answered - started;
  check(result, 'get ceiling');
  return {
    ops: result.requests.total,
    wallMs,
    opsPerSecond: (result.requests.total * 1000) / wallMs,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * `count` creates, each the lookup (not found) then the POST, as `iam batch create-user` does; an
 * op's latency runs from the lookup's start to the POST's answer.
 */
export async function createCeiling(
  server: ScimChild,
  prefix: string,
  count: number,
  connections: number,
): Promise<Measured> {
  let next = 0;
  let answered = 0;
  const latencies: number[] = [];
  interface Pair {
    name?: string;
    started?: number;
  }
  const started = performance.now();
  const result = await autocannon({
    url: server.origin,
    connections,
    amount: count * 2,
    requests: [
      {
        method: 'GET',
        headers: headers(server, false),
        setupRequest: (req, context) => {
          const pair = context as Pair;
          pair.name = `${prefix}${next++}`;
          pair.started = performance.now();
          return { ...req, path: lookupPath(server, pair.name) };
        },
      },
      {
        method: 'POST',
        path: `${server.basePath}/Users`,
        headers: headers(server, true),
        setupRequest: (req, context) => ({
          ...req,
          body: JSON.stringify(scimUserOf((context as Pair).name ?? '')),
        }),
        onResponse: (_status, _body, context) => {
          answered = performance.now();
          latencies.push(answered - ((context as Pair).started ?? 0));
        },
      },
    ],
  });
  const wallMs = answered - started;
  check(result, 'create ceiling');
  return {
    ops: latencies.length,
    wallMs,
    opsPerSecond: (latencies.length * 1000) / wallMs,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** Creates `count` users `${prefix}${i}` as fast as the server takes them (not measured). */
export async function seed(server: ScimChild, prefix: string, count: number): Promise<void> {
  let next = 0;
  const result = await autocannon({
    url: server.origin,
    connections: 32,
    amount: count,
    requests: [
      {
        method: 'POST',
        path: `${server.basePath}/Users`,
        headers: headers(server, true),
        setupRequest: (req) => ({ ...req, body: JSON.stringify(scimUserOf(`${prefix}${next++}`)) }),
      },
    ],
  });
  check(result, 'seed');
}
