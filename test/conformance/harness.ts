// The contract-level conformance harness: one suite (suite.ts) that any connector runs. A brand is
// one entry (brands.ts): a function that starts its app (a loopback test server, or a temp file) and
// returns the instance config and cleanup. The suite reads what the connector implements from the
// connector itself and picks its rows from that; nothing per brand is typed by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IamClient } from '../../src/client.js';
import { createIamClient } from '../../src/client.js';
import type { ConnectorRegistry } from '../../src/core/config.js';

/** A started app and how to reach it. */
export interface Started {
  /** The instance config (`brand` + connector settings) for the app as it is now (after reset too). */
  instance: () => Record<string, unknown>;
  /** Requests the app has seen so far (apps on the wire), so "no call" is checked on the wire. */
  requestCount?: () => number;
  /** Writes (PATCH/PUT) to groups the app has seen, so member batching is checked on the wire. */
  groupWrites?: () => number;
  /** The HTTP status the app answers a uniqueness refusal with (default 409; ServiceNow: 403). */
  uniquenessStatus?: number;
  /** Empties the app between tests. */
  reset: () => Promise<void> | void;
  close: () => Promise<void> | void;
}

/** One brand in the harness: its name in test titles and how to start its app. */
export interface BrandEntry {
  name: string;
  start: () => Promise<Started>;
  /** A registry other than the built-in one (e.g. a test-only variant of a connector). */
  registry?: ConnectorRegistry;
}

export const INSTANCE = 'inst';

export function clientFor(entry: BrandEntry, app: Started, flags: Record<string, unknown> = {}): IamClient {
  return createIamClient({
    config: { instances: { [INSTANCE]: { ...app.instance(), ...flags } } },
    env: {},
    ...(entry.registry ? { registry: entry.registry } : {}),
  });
}

export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

let counter = 0;
/** A unique, realistic profile per test. */
export function person(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const u = `jdoe${counter}.${process.pid}`;
  return { username: u, email: `${u}@example.com`, givenname: 'Jane', surname: `Doe${counter}`, ...extra };
}

/** PATCH/PUT requests to /Groups in a loopback peer's request log. */
export function groupWrites(requests: readonly { method: string; path: string }[]): number {
  return requests.filter((r) => (r.method === 'PATCH' || r.method === 'PUT') && /\/Groups\//.test(r.path))
    .length;
}
