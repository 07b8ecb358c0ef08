// Runs the built `iam` as a process for the security tests (test/support/run-iam.ts).
import type { VendorRecord } from '../../src/core/record.js';
import { runIam } from '../support/run-iam.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** IAM.Vendor of each JSON line printed. */
  vendors: VendorRecord[];
}

/** `env` is the whole environment of the child (PATH is added), so no proxy variable leaks in. */
export async function runCli(
  args: string[],
  opts: { env: Record<string, string>; cwd: string },
): Promise<CliRun> {
  const r = await runIam(args, { cwd: opts.cwd, env: { XDG_DATA_HOME: opts.cwd, ...opts.env } });
  return { ...r, code: r.code ?? -1, vendors: r.vendors as unknown as VendorRecord[] };
}
