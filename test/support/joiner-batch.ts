// The joiner batch the token-based brands' CLI tests share: 50 create-user lines through a simulator
// whose access tokens live 1 second (each request takes 40 ms, two in flight), so the batch outlives
// several tokens. Checks what a user sees: exit 0, a successful `create` record per line, and a run
// longer than the first token. The caller checks its own simulator (grants, stored users).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IamRun } from './run-iam.js';

export type JoinerRow = Record<string, string>;

const defaultRow = (i: number) => ({
  email: `joiner${i}@example.com`,
  givenname: 'Joe',
  surname: `Iner${i}`,
});

/** 50 joiners; `row` gives each line's profile (default: email, given name and surname). */
export function joinerRows(): ReturnType<typeof defaultRow>[];
export function joinerRows<R extends JoinerRow>(row: (i: number) => R): R[];
export function joinerRows(row: (i: number) => JoinerRow = defaultRow): JoinerRow[] {
  return Array.from({ length: 50 }, (_, i) => row(i));
}

/** Runs `iam batch create-user` of `rows` on `instance` (concurrency 2) and checks every record. */
export async function joinerBatch(
  iam: (args: string[]) => Promise<IamRun>,
  opts: { dir: string; instance: string; rows: readonly JoinerRow[] },
): Promise<IamRun> {
  const input = join(opts.dir, `joiners-${opts.instance}.jsonl`);
  writeFileSync(input, `${opts.rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const started = Date.now();
  const batch = ['batch', 'create-user', '--input', input, '--instance', opts.instance];
  const r = await iam([...batch, '--concurrency', '2', '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - started > 1_500, 'the batch outlived the first token');
  assert.equal(r.vendors.length, opts.rows.length);
  for (const v of r.vendors) assert.deepEqual([v.action, v.success, v.errorMessage], ['create', true, '']);
  return r;
}
