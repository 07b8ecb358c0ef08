// `iam batch` in a 503 storm (the fault proxy in front of the loopback SCIM server): commands that
// fail for a transient reason are held and run again after the input (the escrow). The records,
// the summary line, the audit log and the accounts on the server must all tell the same story.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type FaultProxyOptions, startFaultProxy } from '../servers/fault-proxy.js';
import { startScimServer } from '../servers/scim-server.js';
import { assertUsage, BIN, dir, file, iam, jsonl, lineOf, summary, vendor } from './batch-harness.js';

const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const say = (what: string) => `${what} (FAULT_SEED=${SEED})`;
const server = await startScimServer();
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
  await server.close();
  dir.cleanup();
});

let runs = 0;
/** A fresh proxy (its storm starts at its first request), a config aimed at it, an audit log. */
async function stormy(storm: FaultProxyOptions['storm']) {
  server.reset();
  const root = new URL(server.url);
  const proxy = await startFaultProxy({ target: root.origin, seed: SEED, rates: {}, storm });
  closers.push(() => proxy.close());
  const config = file(
    'storm.yaml',
    'instances:\n  app:\n    brand: SCIM\n' +
      `    baseUrl: ${proxy.origin}${root.pathname}\n    token: \${env:T}\n` +
      '    retry: {attempts: 2, baseDelayMs: 5, maxDelayMs: 20}\n',
  );
  const audit = join(dir.path, `audit-${++runs}.log`);
  return { proxy, config, audit, env: { T: server.token, IAM_AUDIT_LOG: audit } };
}

const people = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ username: `${prefix}${i}`, email: `${prefix}${i}@example.com` }));
const batchOf = (r: Record<string, unknown> | undefined) =>
  (r?.Batch ?? {}) as { line?: number; pass?: number; retryable?: boolean };

/** `iam batch create-user` of `n` new users through an 800 ms 503 storm, escrow: 4 passes 0.3 s apart. */
async function stormRun(prefix: string, n: number, extra: string[] = []) {
  const { config, audit, env } = await stormy({ durationMs: 800, faults: { none: 0.3 } });
  const input = file(`${prefix}-storm.jsonl`, jsonl(people(prefix, n)));
  const args = ['batch', 'create-user', '--input', input, '--config', config];
  const r = await iam([...args, '--escrow-delay', '300', '--escrow-passes', '4', ...extra], { env });
  return { r, audit };
}

describe(`iam batch: the escrow (FAULT_SEED=${SEED})`, () => {
  test('a storm: held commands run again after the input, every create lands once', async () => {
    const { r, audit } = await stormRun('cli', 100);
    assert.equal(r.code, 0, say(r.stderr));
    assert.equal(r.records.length, 100);
    assert.deepEqual(
      r.records.filter((rec) => vendor(rec).success !== true).map((rec) => vendor(rec).errorMessage),
      [],
      say('failed records'),
    );
    const held = r.records.filter((rec) => (batchOf(rec).pass ?? 1) > 1);
    assert.ok(held.length > 0, say('the storm sent nothing to the escrow'));
    const firstPass =
      /^iam: escrow pass 1 of 4: (\d+) commands? failed for a transient reason; again in 0\.3 s$/m.exec(
        r.stderr,
      );
    assert.ok(firstPass, say(r.stderr));
    assert.equal(Number(firstPass[1]), held.length);
    const last = Math.max(...held.map((rec) => batchOf(rec).pass ?? 1)) - 1;
    assert.match(
      summary(r.stderr),
      new RegExp(
        `^iam: batch done: 100 done: 100 succeeded, 0 skipped, 0 failed; \\d+ retried; escrow: ${last} pass(es)?, 0 still failed; `,
      ),
      say('summary'),
    );
    const names = server.users().map((u) => String(u.userName));
    assert.deepEqual(
      names.sort(),
      people('cli', 100)
        .map((p) => p.username)
        .sort(),
      say('accounts'),
    );
    // Every run of a command is audited with its own correlation id: the held ones twice or more.
    const entries = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { event?: string; username: string; outcome: string; correlationId: string },
      )
      // Each write also has its intent line (written before it is sent), with the same correlation id.
      .filter((e) => e.event !== 'intent');
    assert.ok(entries.length > 100, say('audit entries'));
    assert.equal(new Set(entries.map((e) => e.correlationId)).size, entries.length);
    for (const rec of held) {
      const name = `cli${(lineOf(rec) ?? 0) - 1}`;
      const runsOf = entries.filter((e) => e.username === name).map((e) => e.outcome);
      assert.equal(runsOf.at(-1), 'success', say(`${name}: ${runsOf.join(', ')}`));
      assert.ok(runsOf.length >= 2 && runsOf.slice(0, -1).every((o) => o === 'failed'), say(name));
    }
  });

  test('--quiet: the storm is weathered silently: no escrow notice, no record, no summary, exit 0', async () => {
    const { r, audit } = await stormRun('q', 60, ['--quiet']);
    assert.equal(r.code, 0, say(r.stderr));
    // The audit says some commands ran more than once (the escrow held them) ...
    const outcomes = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string; username: string })
      .filter((e) => e.event !== 'intent');
    assert.ok(outcomes.length > 60, say('the storm sent nothing to the escrow'));
    // ... and yet --quiet printed nothing: every command succeeded in the end.
    assert.equal(r.stdout.trim(), '', say('records'));
    assert.doesNotMatch(r.stderr, /escrow pass|batch done/, say(r.stderr));
    assert.equal(server.users().length, 60, say('accounts'));
  });

  test('--escrow-passes 0: transient failures are reported as failed at once, exit 1', async () => {
    const { config, env } = await stormy({ durationMs: Number.POSITIVE_INFINITY });
    const input = file('off.jsonl', jsonl(people('off', 10)));
    const r = await iam(
      ['batch', 'create-user', '--input', input, '--config', config, '--escrow-passes', '0'],
      {
        env,
      },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.records.length, 10);
    for (const rec of r.records) {
      assert.deepEqual([vendor(rec).success, vendor(rec).errorCode], [false, 503]);
      assert.deepEqual(Object.keys(batchOf(rec)), ['line', 'retryable']);
    }
    assert.doesNotMatch(r.stderr, /escrow pass/);
    assert.match(
      summary(r.stderr),
      /^iam: batch done: 10 done: 0 succeeded, 0 skipped, 10 failed; \d+ retried; escrow: 0 passes, 10 still failed; /,
    );
    assert.equal(server.users().length, 0);
  });

  test('Ctrl-C while the escrow waits: what is held is printed as failed at once, exit 130', async () => {
    const { config, env } = await stormy({ durationMs: Number.POSITIVE_INFINITY });
    const input = file('stop.jsonl', jsonl(people('stop', 10)));
    const child = spawn(
      process.execPath,
      [BIN, 'batch', 'create-user', '--input', input, '--config', config, '--escrow-delay', '60000'],
      {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg'), ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      if (!interrupted && /escrow pass 1 of 3: 10 commands/.test(stderr)) interrupted = child.kill('SIGINT');
    });
    const started = Date.now();
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - started < 30_000, 'it waited for the pass');
    const records = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.length, 10, stderr);
    for (const rec of records) {
      assert.equal(vendor(rec).success, false);
      assert.deepEqual(Object.keys(batchOf(rec)), ['line', 'retryable']);
    }
    assert.match(
      summary(stderr),
      /^iam: batch interrupted: 10 done: 0 succeeded, 0 skipped, 10 failed; \d+ retried; escrow: 0 passes, 10 still failed; /,
    );
  });

  test('usage errors: bad escrow options exit 2 with one line, nothing run', async () => {
    const input = file('u.jsonl', jsonl(people('u', 1)));
    const config = file(
      'u.yaml',
      `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:T}\n`,
    );
    const cases: [string[], RegExp][] = [
      [['--escrow-passes', 'lots'], /^iam: .*escrow-passes: expected a whole number, got "lots"/],
      [['--escrow-passes', '21'], /escrow-passes: expected a whole number from 0 to 20, got 21/],
      [['--escrow-delay', '-5'], /escrow-delay: expected a whole number, got "-5"/],
      [['--escrow-delay', '300001'], /escrow-delay: expected a whole number from 0 to 300000, got 300001/],
    ];
    for (const [args, pattern] of cases) {
      const env = { T: server.token };
      assertUsage(
        await iam(['batch', 'create-user', '--input', input, '--config', config, ...args], { env }),
        pattern,
      );
    }
    assert.equal(server.users().length, 0);
  });
});
