// Not part of `npm run bench`: where `iam batch get-user` spends its CPU, against the bench's SCIM
// server child. `node --import tsx bench/profile-get.ts DIR` writes a CPU profile to DIR; with
// NO_PROF=1 it prints the CLI's CPU seconds (user, sys) instead, ROUNDS times; with ALT=<folder>
// odd rounds run <folder>/cli/main.js (another build, e.g. an old commit's dist copied there), so
// two builds are compared by CPU time in one run, which a loaded machine disturbs less than wall time.
// BENCH_COMMAND=create-user profiles creates instead (each round creates its own users).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed } from './ceiling.js';
import { CLI, startScimChild, tempDir, writeLines } from './tools.js';

const out = process.argv[2] ?? '/tmp/iam-prof';
const users = Number(process.env.BENCH_USERS ?? 5000);
const server = await startScimChild();
const dir = tempDir();
try {
  const command = process.env.BENCH_COMMAND === 'create-user' ? 'create-user' : 'get-user';
  if (command === 'get-user') await seed(server, 'user', users);
  const line = (round: number) => (i: number) =>
    command === 'get-user'
      ? JSON.stringify({ username: `user${i}` })
      : JSON.stringify({
          username: `r${round}u${i}`,
          email: `r${round}u${i}@example.com`,
          givenname: 'Jane',
        });
  const config = join(dir.path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  bench:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: ${server.token}\n`,
  );
  const input = (round: number) => join(dir.path, `in-${round}.jsonl`);
  const prof = process.env.NO_PROF ? [] : ['--cpu-prof', '--cpu-prof-dir', out];
  const cmd = ['/usr/bin/time', '-f', 'cpu %U user %S sys %e wall %M kB', process.execPath];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++) {
    await writeLines(input(round), users, line(round));
    const args = ['batch', command, '--input', input(round), '--instance', 'bench', '--concurrency', '32'];
    const cli = process.env.ALT && round % 2 === 1 ? CLI.replace('/dist/', `/${process.env.ALT}/`) : CLI;
    process.stderr.write(`${cli}\n`);
    const r = spawnSync(
      cmd[0] as string,
      [...cmd.slice(1), ...prof, cli, ...args, '--config', config, '--out', join(dir.path, 'o.jsonl')],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir.path,
          XDG_DATA_HOME: dir.path,
          IAM_AUDIT_LOG: join(dir.path, 'a.log'),
        },
        timeout: 120_000,
      },
    );
    process.stderr.write(
      `exit ${r.status}\n${r.stderr
        .split('\n')
        .filter((l) => /cpu|done/.test(l))
        .join('\n')}\n`,
    );
  }
} finally {
  await server.stop();
  dir.cleanup();
}
process.exit(0);
