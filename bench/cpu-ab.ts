// Not part of `npm run bench`: CPU per command of two builds in ONE process, against the bench's
// SCIM server child, rounds alternated, so a loaded machine disturbs the comparison less than
// wall-clock figures from separate runs. Each build's library (dist/index.js) runs N get-user (and,
// with CREATE=1, create-user) commands at concurrency 32; the process's CPU time per command is
// printed per round, then the best and the median of each side.
//
//   node --import tsx bench/cpu-ab.ts dist-prev     (dist-prev: another commit's built dist/)
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seed } from './ceiling.js';
import { startScimChild, tempDir } from './tools.js';

type Lib = typeof import('../src/index.js');
const N = Number(process.env.N ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const C = 32;
const root = resolve(import.meta.dirname, '..');
const sides: { name: string; lib: Lib }[] = [
  { name: 'dist', lib: (await import(pathToFileURL(join(root, 'dist/index.js')).href)) as Lib },
  {
    name: process.argv[2] ?? 'dist-prev',
    lib: (await import(pathToFileURL(join(root, process.argv[2] ?? 'dist-prev', 'index.js')).href)) as Lib,
  },
];
const server = await startScimChild();
const dir = tempDir();
await seed(server, 'user', N);
const config = { instances: { bench: { brand: 'SCIM', baseUrl: server.url, token: server.token } } };
const env = { HOME: dir.path, XDG_DATA_HOME: dir.path, IAM_AUDIT_LOG: join(dir.path, 'audit.log') };

async function round(lib: Lib, create: boolean, r: number): Promise<number> {
  const client = lib.createIamClient({ config, env } as never);
  let next = 0;
  let failed = 0;
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const res = create
          ? await client.createUser('bench', {
              userProfile: { username: `r${r}x${i}`, email: `r${r}x${i}@example.com` },
            } as never)
          : await client.getUser('bench', { userProfile: { username: `user${i}` } } as never);
        if (!res.vendor.success) failed++;
      }
    }),
  );
  const c = process.cpuUsage(c0);
  await client.close();
  if (failed) throw new Error(`${failed} commands failed`);
  return (c.user + c.system) / N;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
try {
  for (const create of process.env.CREATE ? [false, true] : [false]) {
    const per: number[][] = sides.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, side] of (r % 2 ? [...sides].reverse() : sides).entries()) {
        const idx = r % 2 ? sides.length - 1 - k : k;
        per[idx]?.push(await round(side.lib, create, r * 10 + idx));
      }
    }
    const what = create ? 'create-user' : 'get-user';
    for (const [i, side] of sides.entries()) {
      const xs = per[i] as number[];
      process.stdout.write(
        `${what} ${side.name}: best ${Math.min(...xs).toFixed(0)} us, median ${median(xs).toFixed(0)} us CPU per command (${xs.map((x) => x.toFixed(0)).join(' ')})\n`,
      );
    }
  }
} finally {
  await server.stop();
  dir.cleanup();
}
