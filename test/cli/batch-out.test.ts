// `iam batch --out FILE`: never the input, the config, the audit log or a Local store (by what the
// file is, not how it is spelled); records appended whole as they finish; a full disk cuts the file
// back to its last whole line and is reported as the output's failure, never the input's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { assertUsage, BIN, dir, file, iam, jsonl, localConfig } from './batch-harness.js';

after(() => dir.cleanup());

const people = jsonl([{ username: 'ann' }, { username: 'bob' }]);

describe('iam batch --out: refused when it names a file the run reads or writes', () => {
  const refused = async (label: RegExp, args: string[], guarded: string) => {
    const before = readFileSync(guarded);
    const r = await iam(['batch', 'create-user', ...args]);
    assertUsage(r, new RegExp(`^iam: error: out: .* is ${label.source}.*: give --out another file$`));
    assert.deepEqual(readFileSync(guarded), before, `${guarded} is untouched`);
  };

  test('the input, however it is spelled (same path, ./.., symlink, hard link, stdin)', async () => {
    const config = localConfig();
    const input = file('in.jsonl', people);
    const link = join(dir.path, 'in-link.jsonl');
    symlinkSync(input, link);
    const hard = join(dir.path, 'in-hard.jsonl');
    linkSync(input, hard);
    const odd = join(dir.path, 'sub', '..', basename(input));
    mkdirSync(join(dir.path, 'sub'), { recursive: true });
    for (const out of [input, odd, link, hard])
      await refused(/the input/, ['--input', input, '--config', config, '--out', out], input);
    // stdin redirected from the file itself
    const child = spawn(
      'bash',
      [
        '-c',
        `exec "$0" "$@" < "${input}"`,
        process.execPath,
        BIN,
        'batch',
        'create-user',
        '--input',
        '-',
        '--config',
        config,
        '--out',
        input,
      ],
      {
        env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg') },
        cwd: dir.path,
      },
    );
    child.stdout.resume();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    const code = await new Promise((done) => child.on('close', done));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /out: .* is the input \(stdin\)/);
    assert.equal(readFileSync(input, 'utf8'), people);
  });

  test('the config file, a Local store (existing or not yet created) and the audit log (existing or not)', async () => {
    const store = join(dir.path, 'store.db');
    const config = file('iam.yaml', `instances:\n  loc:\n    brand: Local\n    path: ${store}\n`);
    const input = file('in.jsonl', people);
    await refused(/the config file/, ['--input', input, '--config', config, '--out', config], config);
    // The store does not exist yet: refused by its path; nothing created.
    const r = await iam(['batch', 'create-user', '--input', input, '--config', config, '--out', store]);
    assertUsage(r, /out: .* is a Local store/);
    assert.equal(existsSync(store), false, 'nothing ran');
    const audit = join(dir.path, 'audit-new.log');
    const a = await iam([
      'batch',
      'create-user',
      '--input',
      input,
      '--config',
      config,
      '--audit-log',
      audit,
      '--out',
      audit,
    ]);
    assertUsage(a, /out: .* is the audit log/);
    assert.equal(existsSync(store), false, 'nothing ran');
    // Once both exist: still refused, by identity (a symlink to each), and left as they were.
    const ok = await iam([
      'batch',
      'create-user',
      '--input',
      input,
      '--config',
      config,
      '--audit-log',
      audit,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const storeLink = join(dir.path, 'store-link');
    symlinkSync(store, storeLink);
    await refused(
      /a Local store/,
      ['--input', input, '--config', config, '--audit-log', audit, '--out', storeLink],
      store,
    );
    await refused(
      /the audit log/,
      [
        '--input',
        input,
        '--config',
        config,
        '--audit-log',
        audit,
        '--out',
        `${dir.path}/./${basename(audit)}`,
      ],
      audit,
    );
  });
});

describe('iam batch --out on a full disk', () => {
  let server: ScimTestServer;
  let config = '';
  before(async () => {
    server = await startScimServer();
    config = file(
      'scim.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:SCIM_TOKEN}\n`,
    );
  });
  after(() => server.close());

  /** The CLI under `ulimit -f limitKb`, if given. */
  function run(args: string[], limitKb?: number): Promise<{ code: number | null; stderr: string }> {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir.path,
      XDG_DATA_HOME: join(dir.path, 'xdg'),
      SCIM_TOKEN: server.token,
    };
    const prefix = limitKb === undefined ? '' : `ulimit -f ${limitKb}; `;
    const child = spawn('bash', ['-c', `${prefix}exec "$0" "$@"`, process.execPath, BIN, ...args], {
      env,
      cwd: dir.path,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
  }

  function assertWholeAndBlamed(out: string, r: { code: number | null; stderr: string }, reason: RegExp) {
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `iam: error: out: cannot write the records \\(${reason.source}\\): stopped reading; \\d+ records are not in the file`,
      ),
    );
    assert.doesNotMatch(r.stderr, /input/, 'the input is not blamed');
    assert.match(r.stderr, /iam: batch done: /);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.length > 0 && text.endsWith('\n'), 'ends with a whole line');
    for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
  }

  test('a file size limit (ulimit -f): the file ends with whole records, the output is blamed, reading stops', async () => {
    server.reset();
    const input = file('many.jsonl', jsonl(Array.from({ length: 400 }, (_, i) => ({ username: `q${i}` }))));
    const out = join(dir.path, 'limited-out.jsonl');
    // The audit log goes to /dev/null here: the limit applies to every regular file the process writes.
    const args = [
      'batch',
      'create-user',
      '--input',
      input,
      '--config',
      config,
      '--audit-log',
      '/dev/null',
      '--out',
      out,
    ];
    const r = await run(args, 8);
    assertWholeAndBlamed(out, r, /EFBIG/);
    assert.ok(server.users().length < 400, 'reading stopped');
  });

  test('a full tmpfs: the same, with ENOSPC', async (t) => {
    const mnt = join(dir.path, 'mnt');
    mkdirSync(mnt, { recursive: true });
    const mount = await new Promise<string>((done) => {
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
    if (mount !== '') {
      t.skip(`cannot mount a tmpfs here: ${mount}`);
      return;
    }
    try {
      server.reset();
      const input = file('more.jsonl', jsonl(Array.from({ length: 400 }, (_, i) => ({ username: `t${i}` }))));
      const out = join(mnt, 'out.jsonl');
      const audit = join(dir.path, 'tmpfs-audit.log');
      const r = await run([
        'batch',
        'create-user',
        '--input',
        input,
        '--config',
        config,
        '--audit-log',
        audit,
        '--out',
        out,
      ]);
      assertWholeAndBlamed(out, r, /ENOSPC/);
    } finally {
      await new Promise((done) => spawn('umount', [mnt]).on('close', done));
    }
  });
});

test('records are appended whole as they finish: the file grows while the batch still runs', async () => {
  const slow = await startScimServer({ writeDelayMs: 30 });
  try {
    const config = file(
      'slow.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${slow.url}\n    token: \${env:SCIM_TOKEN}\n`,
    );
    const input = file('slow.jsonl', jsonl(Array.from({ length: 300 }, (_, i) => ({ username: `s${i}` }))));
    const out = join(dir.path, 'slow-out.jsonl');
    const child = spawn(
      process.execPath,
      [BIN, 'batch', 'create-user', '--input', input, '--config', config, '--concurrency', '2', '--out', out],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir.path,
          XDG_DATA_HOME: join(dir.path, 'xdg'),
          SCIM_TOKEN: slow.token,
        },
        cwd: dir.path,
        stdio: 'ignore',
      },
    );
    let running = true;
    const closed = new Promise((done) => child.on('close', done)).then(() => {
      running = false;
    });
    let seen = '';
    while (running) {
      seen = existsSync(out) ? readFileSync(out, 'utf8') : '';
      if (seen.split('\n').filter(Boolean).length >= 5) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    assert.ok(running, 'records were in the file before the batch ended');
    for (const line of seen.split('\n').slice(0, -1)) JSON.parse(line);
    child.kill('SIGTERM');
    await closed;
  } finally {
    await slow.close();
  }
});
