// The Samba AD test server's guards, without a DC: samba missing fails with the install command;
// the machine-wide lock is exclusive, waits for its holder, and takes over a lock whose owner died.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { lockDc, SAMBA_MISSING, startSambaAd, unlockDc } from './samba-ad.js';

const dir = tempDir('iam-samba-lock-');
after(() => dir.cleanup());
let n = 0;
const lockPath = () => join(dir.path, `lock${++n}`);

test('samba not on the machine: the start FAILS naming the install command (never a skip)', async () => {
  await assert.rejects(startSambaAd({ binDirs: [dir.path] }), (e: Error) => e.message === SAMBA_MISSING);
  assert.equal(SAMBA_MISSING, 'samba not found: apt-get install -y samba-ad-dc smbclient krb5-user');
});

test('the lock is exclusive: a second taker waits, and gets it once the holder releases it', async () => {
  const path = lockPath();
  await lockDc(1000, path);
  await assert.rejects(lockDc(300, path), /held by pid \d+/);
  const t0 = Date.now();
  setTimeout(() => unlockDc(path), 400);
  await lockDc(5000, path);
  assert.ok(Date.now() - t0 >= 350, 'it waited for the release');
  unlockDc(path);
});

test("a lock whose owner died is taken over (the dead run's DC would be stopped by its pid)", async () => {
  const path = lockPath();
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const pid = Number(dead.stdout.trim());
  mkdirSync(path);
  writeFileSync(join(path, 'owner'), String(pid));
  writeFileSync(join(path, 'samba.pid'), String(pid));
  await lockDc(2000, path);
  assert.equal(readFileSync(join(path, 'owner'), 'utf8'), String(process.pid));
  unlockDc(path);
});
