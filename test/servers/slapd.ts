// A throwaway OpenLDAP directory for tests: ../shared/scripts/start-slapd.sh in a temp folder, on
// free loopback ports (plain and LDAPS, CA at caFile), stopped by its pid. Suffix dc=example,dc=org,
// admin cn=admin,dc=example,dc=org / secret, ou=people and ou=groups, memberOf, refint and ppolicy.
// When slapd is not installed this FAILS with the install command: a directory test never skips.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, PresenceFilter } from 'ldapts';

export const SLAPD_MISSING = 'slapd not found: apt-get install -y slapd ldap-utils';
export const SUFFIX = 'dc=example,dc=org';
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PASSWORD = 'secret';
export const PEOPLE = `ou=people,${SUFFIX}`;
export const GROUPS = `ou=groups,${SUFFIX}`;

const here = dirname(fileURLToPath(import.meta.url));
/** The shared scripts folder: beside the repo (worktrees and CI) or its parent's `shared/`. */
function script(): string {
  const candidates = [
    process.env.IAM_SHARED_DIR && join(process.env.IAM_SHARED_DIR, 'scripts/start-slapd.sh'),
    resolve(here, '../../../shared/scripts/start-slapd.sh'),
    '/work/shared/scripts/start-slapd.sh',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`start-slapd.sh not found (looked in ${candidates.join(', ')})`);
  return found;
}

function slapdInstalled(): boolean {
  for (const p of ['/usr/sbin/slapd', '/usr/local/sbin/slapd']) if (existsSync(p)) return true;
  try {
    execFileSync('sh', ['-c', 'command -v slapd && command -v ldapsearch && command -v slapadd'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** A port free right now on 127.0.0.1 (listen on 0, read it back, close). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface Slapd {
  url: string;
  ldapsUrl: string;
  /** The test CA that signed the server certificate (CN=localhost, SAN localhost and 127.0.0.1). */
  caFile: string;
  dir: string;
  pid: number;
  /** An instance config for brand LDAP against this directory. */
  instance(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Deletes every entry under ou=people and ou=groups. */
  reset(): Promise<void>;
  /** Runs `fn` with an admin-bound ldapts client (unbound after). */
  admin<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startSlapd(): Promise<Slapd> {
  if (!slapdInstalled()) throw new Error(SLAPD_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'iam-slapd-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  await promisify(execFile)('bash', [script(), join(dir, 's'), String(port), String(tlsPort)], {
    timeout: 60_000,
  });
  const pid = Number(readFileSync(join(dir, 's/run/slapd.pid'), 'utf8').trim());
  const url = `ldap://127.0.0.1:${port}`;
  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ url, timeout: 30_000 });
    try {
      await c.bind(ADMIN_DN, ADMIN_PASSWORD);
      return await fn(c);
    } finally {
      await c.unbind();
    }
  };
  return {
    url,
    ldapsUrl: `ldaps://127.0.0.1:${tlsPort}`,
    caFile: join(dir, 's/ca.crt'),
    dir,
    pid,
    instance: (extra = {}) => ({
      brand: 'LDAP',
      url,
      bindDn: ADMIN_DN,
      password: ADMIN_PASSWORD,
      userBase: PEOPLE,
      groupBase: GROUPS,
      ...extra,
    }),
    admin,
    reset: () =>
      admin(async (c) => {
        for (const base of [GROUPS, PEOPLE]) {
          const { searchEntries } = await c.search(base, {
            scope: 'one',
            filter: new PresenceFilter({ attribute: 'objectClass' }),
            attributes: ['1.1'],
          });
          for (const e of searchEntries) await c.del(e.dn);
        }
      }),
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 50; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 50));
        }
      } catch {
        // gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
