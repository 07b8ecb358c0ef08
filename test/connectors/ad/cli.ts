// Active-Directory through the built CLI (dist/cli/main.js), on the live DC: LDAPS with the DC's CA
// and tlsServerName, a wrong CA, a wrong bind password (exit 1, the password in no output), and a
// batch of 2,000 create-user. Each run has its own HOME, data directory and audit log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { tempDir } from '../../conformance/harness.js';
import type { SambaAd } from '../../servers/samba-ad.js';
import { makeTestPki } from '../../servers/tls-pki.js';
import { ldaps } from './pieces.js';

const BIN = resolve(import.meta.dirname, '../../../dist/cli/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function iam(dir: string, args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'xdg'),
      IAM_AUDIT_LOG: join(dir, 'audit.jsonl'),
      ...env,
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
  child.stdin.end(stdin);
  return new Promise((done) =>
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - t0 })),
  );
}

/** A config file with one AD instance `ad`; the password comes from $AD_PASSWORD. */
function config(dir: string, ad: SambaAd, ou: string, extra: Record<string, string> = {}): string {
  const keys: Record<string, string> = {
    brand: 'Active-Directory',
    url: ad.ldapsUrl,
    caFile: ad.caFile,
    tlsServerName: ad.tlsServerName,
    bindDn: ad.adminDn,
    password: `\${env:AD_PASSWORD}`,
    userBase: ou,
    groupBase: ou,
    ...extra,
  };
  const body = Object.entries(keys)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  const path = join(dir, `iam-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `instances:\n  ad:\n${body}\n`);
  return path;
}

const vendorOf = (line: string) =>
  (JSON.parse(line) as { IAM: { Vendor: Record<string, unknown> } }).IAM.Vendor;

export function cliOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('Active-Directory through the CLI', () => {
    const dir = tempDir('iam-ad-cli-');
    after(() => dir.cleanup());

    test('LDAPS with the DC CA and tlsServerName: `iam test` connects and binds', async () => {
      const ad = await dc();
      const r = await iam(dir.path, ['test', '--config', config(dir.path, ad, await ou())], {
        AD_PASSWORD: ad.adminPassword,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /ldaps:\/\/127\.0\.0\.1:636 \(LDAPS\): bound as CN=Administrator/);
    });

    test('LDAPS without tlsServerName: the certificate names dc1, not 127.0.0.1; said clearly', async () => {
      const ad = await dc();
      const cfg = config(dir.path, ad, await ou());
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/.*tlsServerName.*\n/, ''));
      const r = await iam(dir.path, ['test', '--config', cfg], { AD_PASSWORD: ad.adminPassword });
      assert.equal(r.code, 1, r.stderr + r.stdout);
      assert.match(r.stdout + r.stderr, /certificate was not accepted .*tlsServerName/);
    });

    test('a wrong CA fails clearly: the certificate was not accepted, set caFile', async () => {
      const ad = await dc();
      const pki = makeTestPki(dir.path);
      const cfg = config(dir.path, ad, await ou(), { caFile: pki.wrongCaFile });
      const r = await iam(dir.path, ['test', '--config', cfg], { AD_PASSWORD: ad.adminPassword });
      assert.equal(r.code, 1, r.stderr + r.stdout);
      assert.match(r.stdout + r.stderr, /certificate was not accepted .*set caFile to the CA/);
    });

    test('a wrong bind password: "bind failed for <bindDn>", exit 1, the password in no output', async () => {
      const ad = await dc();
      const wrong = 'Wr0ng-Passw0rd-Shown-Nowhere';
      const cfg = config(dir.path, ad, await ou());
      const r = await iam(
        dir.path,
        ['get-user', '--config', cfg, '--user-profile', '{"username":"anyone"}'],
        { AD_PASSWORD: wrong },
      );
      assert.equal(r.code, 1, r.stderr);
      const v = vendorOf(r.stdout.trim().split('\n')[0] ?? '{}');
      assert.equal(v.success, false);
      assert.match(String(v.errorMessage), new RegExp(`^bind failed for ${ad.adminDn}`));
      const audit = join(dir.path, 'audit.jsonl');
      const everything = r.stdout + r.stderr + (existsSync(audit) ? readFileSync(audit, 'utf8') : '');
      for (const form of [wrong, Buffer.from(wrong).toString('base64'), encodeURIComponent(wrong)]) {
        assert.equal(everything.includes(form), false, 'the password in no output');
      }
    });

    test('create-user with a password: the user can bind; the password is in no output or audit line', async () => {
      const ad = await dc();
      const base = await ou();
      const cfg = config(dir.path, ad, base);
      const password = 'Fresh-J0iner-Passw0rd!';
      const username = `cli${process.pid}`.slice(0, 20);
      const profile = JSON.stringify({ username, givenname: 'Cli', surname: 'User', password });
      const dry = await iam(
        dir.path,
        ['create-user', '--config', cfg, '--user-profile', profile, '--dry-run'],
        {
          AD_PASSWORD: ad.adminPassword,
        },
      );
      assert.equal(dry.code, 0, dry.stderr);
      const would = vendorOf(dry.stdout.trim());
      assert.deepEqual(
        [would.action, would.username, would.reason],
        ['create', username, 'Dry run: nothing was changed.'],
      );
      const none = await iam(
        dir.path,
        ['get-user', '--config', cfg, '--user-profile', JSON.stringify({ username })],
        {
          AD_PASSWORD: ad.adminPassword,
        },
      );
      assert.equal(vendorOf(none.stdout.trim()).errorCode, 404, 'the dry run created nothing');
      const r = await iam(dir.path, ['create-user', '--config', cfg, '--user-profile', profile], {
        AD_PASSWORD: ad.adminPassword,
      });
      assert.equal(r.code, 0, r.stderr);
      const v = vendorOf(r.stdout.trim());
      assert.deepEqual([v.success, v.active], [true, true]);
      const user = await ldaps(ad, String((v.details as { dn: string }).dn), password);
      await user.unbind();
      const audit = join(dir.path, 'audit.jsonl');
      assert.match(readFileSync(audit, 'utf8'), /unicodePwd/, 'the audit names the password write');
      const everything = dry.stdout + dry.stderr + r.stdout + r.stderr + readFileSync(audit, 'utf8');
      for (const form of [password, Buffer.from(`"${password}"`, 'utf16le').toString('base64')]) {
        assert.equal(everything.includes(form), false, 'the password in no output');
      }
    });

    test('iam batch create-user of 2,000 users: no failure, every account there', async () => {
      const ad = await dc();
      const base = await ou();
      const input = join(dir.path, 'joiners.jsonl');
      const rows = Array.from({ length: 2000 }, (_, i) => ({
        username: `b${i}x${process.pid}`.slice(0, 20),
        givenname: 'Bulk',
        surname: `Joiner ${i}`,
        email: `bulk.${i}.${process.pid}@example.test`,
        title: 'Engineer',
      }));
      writeFileSync(input, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
      const cfg = config(dir.path, ad, base);
      const r = await iam(
        dir.path,
        ['batch', 'create-user', '--input', input, '--config', cfg, '--no-progress'],
        {
          AD_PASSWORD: ad.adminPassword,
        },
      );
      const records = r.stdout.trim().split('\n').filter(Boolean).map(vendorOf);
      const failed = records.filter((v) => v.success !== true);
      assert.deepEqual(failed.slice(0, 3), [], r.stderr.slice(-2000));
      assert.equal(records.length, 2000);
      assert.equal(r.code, 0, r.stderr.slice(-2000));
      assert.equal(new Set(records.map((v) => v.id)).size, 2000, 'one distinct account per line');
      // Counted on the DC itself, with a paged search.
      const c = await ldaps(ad);
      try {
        const found = await c.search(base, {
          filter: '(objectClass=user)',
          attributes: ['sAMAccountName'],
          paged: { pageSize: 500 },
        });
        assert.equal(found.searchEntries.length, 2000);
      } finally {
        await c.unbind();
      }
      process.stdout.write(
        `# AD batch create-user of 2000: ${(r.ms / 1000).toFixed(1)} s (${(2000 / (r.ms / 1000)).toFixed(0)} users/s)\n`,
      );
    });
  });
}
