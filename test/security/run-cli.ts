// Runs the built `iam` (dist/cli/main.js) as a process, asynchronously: the loopback servers the
// security tests start live in the test process and must keep answering while the CLI runs.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import type { VendorRecord } from '../../src/core/record.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** IAM.Vendor of each JSON line printed. */
  vendors: VendorRecord[];
}

/** `env` is the whole environment of the child (PATH is added), so no proxy variable leaks in. */
export function runCli(args: string[], opts: { env: Record<string, string>; cwd: string }): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        // Its own data directory unless the caller gives one: never the user's.
        env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, XDG_DATA_HOME: opts.cwd, ...opts.env },
        cwd: opts.cwd,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const vendors = stdout
          .split('\n')
          .filter((l) => l.startsWith('{"IAM"'))
          .map((l) => (JSON.parse(l) as { IAM: { Vendor: VendorRecord } }).IAM.Vendor);
        done({ code, stdout, stderr, vendors });
      },
    );
  });
}
