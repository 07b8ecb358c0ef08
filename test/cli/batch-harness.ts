// Shared by the `iam batch` CLI tests: the built CLI spawned as a process, input files, configs.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

/** One directory per test file (each file is its own process). */
export const dir = tempDir('iam-batch-cli-');

export { BIN } from '../support/run-iam.js';

let files = 0;
export function file(name: string, body: string | Buffer): string {
  const path = join(dir.path, `${++files}-${name}`);
  writeFileSync(path, body);
  return path;
}

/** A config with Local instances on fresh files (and extra YAML per instance). */
export function localConfig(instances: Record<string, string> = { solo: '' }): string {
  const body = Object.entries(instances)
    .map(
      ([n, extra]) =>
        `  ${n}:\n    brand: Local\n    path: ${join(dir.path, `${n}-${++files}.db`)}\n${extra}`,
    )
    .join('');
  return file('iam.yaml', `instances:\n${body}`);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  records: Record<string, unknown>[];
}

/** The CLI as a process; stdout must hold records and nothing else: every line parses. */
export async function iam(
  args: string[],
  opts: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const r = await runIam(args, { cwd: dir.path, ...opts });
  const records = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, records };
}

export type Vendor = Record<string, unknown>;
export const vendor = (r: Record<string, unknown> | undefined): Vendor =>
  ((r?.IAM as Record<string, unknown>)?.Vendor ?? {}) as Vendor;
export const profileOf = (r: Record<string, unknown> | undefined) =>
  ((r?.IAM as Record<string, unknown>)?.UserProfile ?? {}) as Record<string, unknown>;
export const lineOf = (r: Record<string, unknown> | undefined) => (r?.Batch as { line?: number })?.line;
export const summary = (stderr: string) => stderr.trim().split('\n').at(-1) ?? '';

export function assertUsage(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', pattern);
}

export const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
