// One conformance suite, run against every brand: each row of spec sections 3 and 7 is a test.
// A brand supplies a `Target`: how to build a client on a fresh app with given instance flags, and
// (for HTTP brands) the request log of its loopback peer, so "no call to the app" is checked on the wire.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IamClient } from '../../src/client.js';
import { createIamClient } from '../../src/client.js';

export interface Target {
  brand: string;
  /** Instance settings (brand + connector settings) for a fresh, empty app. */
  settings: () => Record<string, unknown>;
  /** Number of requests the app has seen so far (HTTP brands), else undefined. */
  requestCount?: () => number;
  /** Number of writes (PATCH/PUT) to groups the app has seen (HTTP brands), else undefined. */
  groupWrites?: () => number;
  /** Empties the app between tests. */
  reset: () => Promise<void> | void;
  /** Lookup attributes the connector declares, in profile terms, as the error message lists them. */
  lookupFields: string;
}

export const INSTANCE = 'inst';

export function clientFor(target: Target, flags: Record<string, unknown> = {}): IamClient {
  return createIamClient({
    config: { instances: { [INSTANCE]: { ...target.settings(), ...flags } } },
    env: {},
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
