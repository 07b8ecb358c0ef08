// The audit log on a full disk or an odd target, through the built CLI: a write whose intent line
// cannot be written is refused before it is sent, the log keeps whole lines only, and
// `--audit-log /dev/stderr` works. The full disk is a file size limit (`ulimit -f`, always run) and,
// where the sandbox lets us mount one, a tiny tmpfs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { BIN, runIam } from '../support/run-iam.js';

const dir = tempDir('iam-audit-disk-');
let server: ScimTestServer;
before(async () => {
  server = await startScimServer();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI with its own HOME; `limitKb`: a file size limit (ulimit -f) on everything it writes. */
function iam(args: string[], opts: { limitKb?: number } = {}): Promise<Run> {
  return runIam(args, { cwd: dir.path, env: { SCIM_TOKEN: server.token }, ...opts });
}

const config = join(dir.path, 'iam.yaml');
writeFileSync(
  config,
  `instances:\n  app:\n    brand: SCIM\n    baseUrl: URL\n    token: \${env:SCIM_TOKEN}\n`,
  { mode: 0o600 },
);
const withUrl = () =>
  writeFileSync(config, readFileSync(config, 'utf8').replace('URL', server.url), { mode: 0o600 });

/** Whole outcome lines that add up to exactly `bytes` (a full page, a full quota). */
function filler(bytes: number): string {
  const base = { event: 'outcome', command: 'create-user', instance: 'app', correlationId: 'old', pad: '' };
  const one = `${JSON.stringify(base)}\n`;
  const count = Math.floor(bytes / 400);
  const lines = Array.from({ length: count - 1 }, () =>
    one.replace('"pad":""', `"pad":"${'x'.repeat(400 - one.length)}"`),
  );
  const used = lines.join('').length;
  return lines.join('') + one.replace('"pad":""', `"pad":"${'x'.repeat(bytes - used - one.length)}"`);
}

const posts = () => server.requests.filter((r) => r.method !== 'GET').length;

function assertRefused(r: Run, before: number, auditPath: string, content: string): void {
  assert.equal(r.code, 1, r.stderr);
  const rec = JSON.parse(r.stdout) as { IAM: { Vendor: { success: boolean; errorMessage: string } } };
  assert.equal(rec.IAM.Vendor.success, false);
  assert.match(
    rec.IAM.Vendor.errorMessage,
    /cannot record the write before sending it \((ENOSPC|EFBIG)\); nothing was sent/,
  );
  assert.equal(posts(), before, 'nothing was sent');
  assert.equal(readFileSync(auditPath, 'utf8'), content, 'the log holds its whole lines, nothing torn');
}

describe('the audit log on a full disk or an odd target', () => {
  before(withUrl);
  const create = (name: string, audit: string) => [
    'create-user',
    '--user-profile',
    JSON.stringify({ username: name }),
    '--config',
    config,
    '--audit-log',
    audit,
    '--output',
    'json',
  ];

  test('file size limit (ulimit -f): the intent does not fit, so the create is refused and the log stays whole', async () => {
    const audit = join(dir.path, 'limited.log');
    const content = filler(2048 - 50); // room for 50 bytes: an intent line is a short write
    writeFileSync(audit, content, { mode: 0o600 });
    const before = posts();
    const r = await iam(create('limited', audit), { limitKb: 2 });
    assertRefused(r, before, audit, content);
    assert.ok(!server.users().some((u) => u.userName === 'limited'));
    // With room again, the next run appends whole lines after the old ones.
    const ok = await iam(create('limited', audit));
    assert.equal(ok.code, 0, ok.stderr);
    const lines = readFileSync(audit, 'utf8').split('\n').filter(Boolean);
    for (const l of lines) JSON.parse(l);
    assert.deepEqual(
      lines.slice(-2).map((l) => (JSON.parse(l) as { event: string }).event),
      ['intent', 'outcome'],
    );
  });

  test('a full tmpfs: the intent cannot be written, the create is refused, the log stays whole', async (t) => {
    const mnt = join(dir.path, 'mnt');
    mkdirSync(mnt, { recursive: true });
    const mounted = await new Promise<string>((done) => {
      const m = spawn('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      m.stderr.setEncoding('utf8').on('data', (s: string) => {
        err += s;
      });
      m.on('error', (e) => done(e.message));
      m.on('close', (code) => done(code === 0 ? '' : err.trim() || `exit ${code}`));
    });
    if (mounted !== '') {
      t.skip(`cannot mount a tmpfs here: ${mounted}`);
      return;
    }
    try {
      const audit = join(mnt, 'audit.log');
      const content = filler(4096); // exactly one page: the next byte needs a page the disk lacks
      writeFileSync(audit, content, { mode: 0o600 });
      const fill = join(mnt, 'fill');
      try {
        writeFileSync(fill, Buffer.alloc(128 * 1024));
      } catch {
        // ENOSPC: the disk is full now, as intended
      }
      const before = posts();
      assertRefused(await iam(create('tmpfs', audit)), before, audit, content);
      rmSync(fill);
      const ok = await iam(create('tmpfs', audit));
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await new Promise((done) => spawn('umount', [mnt]).on('close', done));
    }
  });

  test('--audit-log /dev/stderr (a pipe here): a successful create exits 0 with its intent and outcome on stderr', async () => {
    const r = await iam(create('stderr-audit', '/dev/stderr'));
    assert.equal(r.code, 0, r.stderr);
    const events = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { event: string }).event);
    assert.deepEqual(events, ['intent', 'outcome']);
  });

  test('--audit-log /dev/stderr through a shell pipe (fdatasync says EINVAL there): exit 0', async () => {
    const args = create('pipe-audit', '/dev/stderr').map((a) => `'${a.replace(/'/g, "'\\''")}'`);
    const child = spawn(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" ${args.join(' ')} 2>&1 >/dev/null | cat; exit \${PIPESTATUS[0]}`,
      ],
      { cwd: dir.path, env: { PATH: process.env.PATH ?? '', HOME: dir.path, SCIM_TOKEN: server.token } },
    );
    let piped = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      piped += s;
    });
    const code = await new Promise((done) => child.on('close', done));
    assert.equal(code, 0, piped);
    const events = piped
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { event: string }).event);
    assert.deepEqual(events, ['intent', 'outcome']);
  });

  test('Local: a write whose intent cannot be written (/dev/full) is refused and not in the store', async () => {
    const store = join(dir.path, 'full.db');
    const local = join(dir.path, 'local.yaml');
    writeFileSync(local, `instances:\n  loc:\n    brand: Local\n    path: ${store}\n`);
    const profile = ['--user-profile', '{"username":"full"}', '--config', local, '--output', 'json'];
    const r = await iam(['create-user', ...profile, '--audit-log', '/dev/full']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /cannot record the write before sending it \(ENOSPC\); nothing was sent/);
    const get = await iam(['get-user', ...profile]);
    assert.match(get.stdout, /"errorCode":404/, 'the account was not created');
  });

  test('an audit target that cannot be written (a directory) is refused at start: exit 2, nothing sent', async () => {
    const before = posts();
    const r = await iam(create('dir-audit', dir.path));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr.trim(),
      /^iam: error: audit log .*: (cannot open it for appending \(EISDIR\)|is a directory)/,
    );
    assert.equal(posts(), before);
  });
});
