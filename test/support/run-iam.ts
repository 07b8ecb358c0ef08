// The one way tests run the built `iam` (dist/cli/main.js) as a process. Asynchronous: the loopback
// servers a test starts live in the test process and must keep answering while the CLI runs. The
// child's environment is only what is given here (no proxy or IAM_* variable leaks in from the
// developer's shell), and its HOME and data directory are the test's own, never the user's.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface IamRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** IAM.Vendor of each JSON record line of stdout. */
  vendors: Record<string, unknown>[];
}

export interface IamRunOptions {
  /** The working directory; HOME and XDG_DATA_HOME are under it unless `env` says otherwise. */
  cwd: string;
  /** Added to PATH, HOME and XDG_DATA_HOME: the child's whole environment. */
  env?: Record<string, string>;
  stdin?: string;
  /** A guard against a hang, not a speed check: the child is killed after this long (ms). */
  killAfterMs?: number;
  /** A file size limit (`ulimit -f`, in KiB) on everything the child writes. */
  limitKb?: number;
}

export function runIam(args: readonly string[], opts: IamRunOptions): Promise<IamRun> {
  const [cmd, argv] =
    opts.limitKb === undefined
      ? [process.execPath, [BIN, ...args]]
      : ['bash', ['-c', `ulimit -f ${opts.limitKb}; exec "$0" "$@"`, process.execPath, BIN, ...args]];
  const child = spawn(cmd, argv, {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: opts.cwd,
      XDG_DATA_HOME: join(opts.cwd, 'xdg'),
      ...opts.env,
    },
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
  const guard =
    opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(guard);
      const vendors = stdout
        .split('\n')
        .filter((l) => l.startsWith('{"IAM"'))
        .map((l) => (JSON.parse(l) as { IAM?: { Vendor?: Record<string, unknown> } }).IAM?.Vendor ?? {});
      done({ code, stdout, stderr, vendors });
    });
  });
}
