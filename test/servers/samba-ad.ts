// A real Samba Active Directory domain controller for the Active-Directory tests, provisioned fresh
// by ../shared/scripts/start-samba-ad.sh and stopped by its pid. Its ports are fixed (389/636 on
// 127.0.0.1), so one DC per machine: a cross-process lock (an exclusive directory under the temp
// dir, holding the owner's pid) is taken before provisioning and held until stop, and `npm test`'s
// parallel processes wait their turn instead of provisioning twice. A lock left by a process that
// died is taken over, and the DC that process started (its pid is in the lock) is stopped first.
// Samba missing is a failure naming the install command, never a skip.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'ldapts';

export const SAMBA_MISSING = 'samba not found: apt-get install -y samba-ad-dc smbclient krb5-user';

export interface SambaAd {
  /** Plain LDAP (the DC refuses password writes on it). */
  url: string;
  ldapsUrl: string;
  /** The CA that signed the DC's certificate. */
  caFile: string;
  /** The name the DC's certificate holds (its host name, not 127.0.0.1). */
  tlsServerName: string;
  baseDn: string;
  adminDn: string;
  adminPassword: string;
  /** What `samba -V` prints, e.g. "Version 4.17.12-Debian". */
  version: string;
  stop: () => Promise<void>;
}

/** The shared scripts folder: $IAM_SHARED_DIR, beside the repo (worktrees and CI), or /work/shared. */
function script(): string {
  const candidates = [
    process.env.IAM_SHARED_DIR && join(process.env.IAM_SHARED_DIR, 'scripts', 'start-samba-ad.sh'),
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'scripts', 'start-samba-ad.sh'),
    '/work/shared/scripts/start-samba-ad.sh',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`start-samba-ad.sh not found (looked in ${candidates.join(', ')})`);
  return found;
}
const LOCK = join(tmpdir(), 'iam-samba-ad.lock');

/** Releases a lock taken by lockDc. */
export const unlockDc = (path = LOCK): void => rmSync(path, { recursive: true, force: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const BIN_DIRS = () => [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin'];

function which(cmd: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  return null;
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
}

/**
 * Takes the machine-wide DC lock (`path`, a directory), waiting up to `waitMs` for another process
 * to release it. Exported for its own test, on a lock path of that test's.
 */
export async function lockDc(waitMs: number, path = LOCK): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'owner'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readPid(join(path, 'owner'));
    if (owner !== null && !alive(owner)) {
      // Its owner died without stopping its DC: stop that DC (started by a test run), free the lock.
      const samba = readPid(join(path, 'samba.pid'));
      if (samba !== null) await stopPid(samba);
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the Samba AD lock ${path} is held by pid ${owner}`);
    await sleep(250);
  }
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until nothing listens on the DC's ports: a DC stopped a moment ago (by this process or an
 * earlier test file) may still hold them, and a new one would then fail to bind them.
 */
async function portsFree(waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await listening(389)) || (await listening(636))) {
    if (Date.now() > deadline) throw new Error('127.0.0.1:389 or :636 is still taken by another process');
    await sleep(250);
  }
}

/** The last lines of a file, for a message (samba's own output when it did not come up). */
function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/**
 * Waits (up to 90 s: provisioning on a loaded machine is slow) until the DC answers a bind; fails at
 * once, with samba's output, when its process is gone.
 */
async function ready(url: string, dn: string, password: string, pid: number, dir: string): Promise<void> {
  let last: unknown;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!alive(pid)) throw new Error(`samba (pid ${pid}) exited: ${tail(join(dir, 'samba.out'))}`);
    const c = new Client({ url, timeout: 5000, connectTimeout: 5000 });
    try {
      await c.bind(dn, password);
      return;
    } catch (e) {
      last = e;
      await sleep(200);
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }
  throw new Error(
    `the Samba AD DC did not answer a bind within 90 s: ${String(last)}; samba said: ${tail(join(dir, 'samba.out'))}`,
  );
}

/**
 * Provisions and starts a throwaway DC (about 6-10 s); waits up to `lockWaitMs` for another one.
 * `binDirs`: where samba is looked for (default: PATH and the sbin directories).
 */
export async function startSambaAd(
  opts: { lockWaitMs?: number; binDirs?: readonly string[] } = {},
): Promise<SambaAd> {
  const dirs = opts.binDirs ?? BIN_DIRS();
  const samba = which('samba', dirs);
  if (samba === null || which('samba-tool', dirs) === null) throw new Error(SAMBA_MISSING);
  const version = execFileSync(samba, ['-V'], { encoding: 'utf8' }).trim();
  await lockDc(opts.lockWaitMs ?? 600_000);
  // Once more on a failed start (a DC that exited, or never answered, on a loaded machine): the
  // second attempt provisions afresh; both failures are said when it fails too.
  try {
    return await startOnce(samba, version);
  } catch (first) {
    try {
      return await startOnce(samba, version);
    } catch (second) {
      unlockDc();
      throw new Error(`${String(second)} (an earlier attempt: ${String(first)})`);
    }
  }
}

/**
 * CI saw samba exit at start with "dcerpc: Failed to initialise end points" on a busy run. Its RPC
 * end points are the one thing the provisioned config shares with every other samba on the machine:
 * unix sockets in the compiled-in /run/samba/ncalrpc, and TCP ports from 49152 up, inside Linux's
 * ephemeral range (32768-60999) that the run's own connections draw from. This starts the
 * provisioned DC again with both of its own (sockets in its directory, ports above that range);
 * returns its pid.
 */
function restartIsolated(samba: string, dir: string): number {
  const conf = join(dir, 'etc', 'smb.conf');
  const own = `[global]\n\tncalrpc dir = ${join(dir, 'ncalrpc')}\n\trpc server dynamic port range = 61000-61200`;
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^\[global\]$/m, own));
  const out = openSync(join(dir, 'samba.out'), 'w');
  try {
    const child = spawn(samba, ['-s', conf, '-i', '-M', 'single'], { stdio: ['ignore', out, out] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${samba}`);
    writeFileSync(join(dir, 'samba.pid'), String(child.pid));
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** One provisioning and start, under the lock; on failure everything it started is stopped. */
async function startOnce(samba: string, version: string): Promise<SambaAd> {
  const root = mkdtempSync(join(tmpdir(), 'iam-samba-'));
  const dir = join(root, 'dc');
  let pid: number | null = null;
  const halt = async () => {
    if (pid !== null) await stopPid(pid);
    rmSync(root, { recursive: true, force: true });
  };
  const stop = async () => {
    await halt();
    unlockDc();
  };
  try {
    await portsFree(30_000);
    const scriptPath = script();
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('bash', [scriptPath, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${scriptPath}: ${text}`))));
    });
    pid = readPid(join(dir, 'samba.pid'));
    if (pid === null) throw new Error(`no samba pid after ${scriptPath}: ${out}`);
    writeFileSync(join(LOCK, 'samba.pid'), String(pid));
    // A test process that ends without stop() (a failed before()) still stops its DC.
    const stopAtExit = (started: number) =>
      process.once('exit', () => {
        if (alive(started)) process.kill(started, 'SIGTERM');
      });
    stopAtExit(pid);
    const ad = {
      url: 'ldap://127.0.0.1:389',
      ldapsUrl: 'ldaps://127.0.0.1:636',
      caFile: join(dir, 'private', 'tls', 'ca.pem'),
      tlsServerName: 'dc1.example.test',
      baseDn: 'DC=example,DC=test',
      adminDn: 'CN=Administrator,CN=Users,DC=example,DC=test',
      adminPassword: 'Passw0rd!23',
      version,
      stop,
    };
    try {
      await ready(ad.url, ad.adminDn, ad.adminPassword, pid, dir);
    } catch (e) {
      if (!/exited/.test(String(e))) throw e;
      await portsFree(30_000);
      pid = restartIsolated(samba, dir);
      writeFileSync(join(LOCK, 'samba.pid'), String(pid));
      stopAtExit(pid);
      await ready(ad.url, ad.adminDn, ad.adminPassword, pid, dir);
    }
    return ad;
  } catch (e) {
    await halt();
    throw e;
  }
}
