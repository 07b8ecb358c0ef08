// Shared by the `iam batch` CLI tests: the built CLI spawned as a process, input files, configs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../conformance/harness.js';

/** One directory per test file (each file is its own process). */
export const dir = tempDir('iam-batch-cli-');

export const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');

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

/** Async spawn: the SCIM server of these tests runs in this process and must keep answering. */
export function iam(
  args: string[],
  opts: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg'), ...opts.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  child.stdin.end(opts.stdin ?? '');
  return new Promise((done) => {
    child.on('close', (code) => {
      // stdout must hold records and nothing else: every line parses.
      const records = stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      done({ code, stdout, stderr, records });
    });
  });
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
