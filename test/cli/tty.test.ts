// The CLI on a real terminal (issue 13 item 8), through a pseudo-terminal (util-linux `script`):
// tables as wide as the terminal, outcomes in colour there and never when piped or with NO_COLOR,
// --quiet, and the batch progress line's last state at 100%.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stripVTControlCharacters as strip } from 'node:util';
import { tempDir } from '../conformance/harness.js';
import { BIN, runIam } from '../support/run-iam.js';

const dir = tempDir('iam-tty-');
after(() => dir.cleanup());
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  hr:\n    brand: Local\n    path: ${join(dir.path, 'hr.db')}\n`);
const baseEnv = { PATH: process.env.PATH ?? '', HOME: dir.path, XDG_DATA_HOME: join(dir.path, 'xdg') };
const noScript = spawnSync('script', ['--version']).error ? 'util-linux script is not installed' : false;

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** `iam args` with stdout and stderr on a pseudo-terminal `cols` wide; what the terminal got. */
function onPty(args: string[], opts: { cols?: number; env?: Record<string, string> } = {}): Promise<string> {
  const cmd = `stty cols ${opts.cols ?? 60}; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
    cwd: dir.path,
    env: { ...baseEnv, TERM: 'xterm', ...opts.env },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  child.stdin.end();
  return new Promise((done) => child.on('close', () => done(out)));
}

const ESC = '\x1b';
/** `text` in an SGR colour (32 green, 33 yellow, 31 red) as the terminal got it. */
const colored = (code: number, text: string) => `${ESC}[${code}m${text}`;
const anyColor = (s: string) => s.includes(`${ESC}[3`);
/** Terminal columns of each line (box-drawing characters are one column each). */
const widths = (s: string) =>
  strip(s)
    .split(/\r?\n/)
    .map((l) => [...l.replace(/\r/g, '')].length);

const LONG_TITLE = `Principal ${'very '.repeat(60)}long title`;
const profile = (u: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ username: u, email: `${u}@example.com`, ...extra });

test('on a terminal 60 columns wide, tables fit and outcomes are green, yellow and red', {
  skip: noScript,
}, async () => {
  const made = await onPty([
    'create-user',
    '--config',
    config,
    '--user-profile',
    profile('tina', { title: LONG_TITLE }),
  ]);
  assert.ok(made.includes(colored(32, 'Create User Results (Local)')), 'success in green');
  assert.ok(made.includes(`${colored(32, 'true')}${ESC}[39m`), 'the success cell in green');
  assert.ok(Math.max(...widths(made)) <= 60, `lines wider than 60:\n${strip(made)}`);
  assert.ok(Math.max(...widths(made)) >= 55, 'the table takes the width it has');
  assert.match(strip(made), /… \(all of it: --output json\)/, 'a long value is cut, saying where it all is');
  const skipped = await onPty(['disable-user', '--config', config, '--user-profile', profile('nobody')]);
  assert.ok(skipped.includes(colored(33, 'Disable User Results (Local)')), 'skipped in yellow');
  const failed = await onPty(['get-user', '--config', config, '--user-profile', profile('nobody')]);
  assert.ok(failed.includes(colored(31, 'Get User Results (Local)')), 'failed in red');
  // The whole value is in the JSON form.
  const json = await runIam(
    ['get-user', '--config', config, '-o', 'json', '--user-profile', profile('tina')],
    {
      cwd: dir.path,
    },
  );
  assert.ok(json.stdout.includes(LONG_TITLE));
});

test('COLUMNS sets the width; NO_COLOR (any non-empty value) turns colour off on a terminal', {
  skip: noScript,
}, async () => {
  const narrow = await onPty(['get-user', '--config', config, '--user-profile', profile('tina')], {
    env: { COLUMNS: '45', NO_COLOR: '1' },
  });
  assert.match(strip(narrow), /Get User Results/);
  assert.ok(Math.max(...widths(narrow)) <= 45, strip(narrow));
  assert.equal(anyColor(narrow), false, 'no colour with NO_COLOR');
});

test('piped: no colour (unless FORCE_COLOR), tables 80 wide or COLUMNS', async () => {
  const args = ['get-user', '--config', config, '-o', 'table', '--user-profile', profile('tina')];
  const piped = await runIam(args, { cwd: dir.path });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stdout.includes(ESC), false);
  assert.ok(Math.max(...widths(piped.stdout)) <= 80);
  assert.ok(Math.max(...widths(piped.stdout)) >= 75);
  const columns = await runIam(args, { cwd: dir.path, env: { COLUMNS: '50' } });
  assert.ok(Math.max(...widths(columns.stdout)) <= 50, columns.stdout);
  const forced = await runIam(args, { cwd: dir.path, env: { FORCE_COLOR: '1' } });
  assert.ok(forced.stdout.includes(colored(32, 'Get User Results')));
  const both = await runIam(args, { cwd: dir.path, env: { FORCE_COLOR: '1', NO_COLOR: 'x' } });
  assert.equal(anyColor(both.stdout), false, 'NO_COLOR wins');
});

test('--quiet (-q) prints failed records only; exit codes unchanged', async () => {
  const run = (args: string[]) => runIam([...args, '--config', config, '-o', 'json'], { cwd: dir.path });
  const ok = await run(['create-user', '-q', '--user-profile', profile('quinn')]);
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, '', '']);
  const skip = await run(['disable-user', '--quiet', '--user-profile', profile('nobody')]);
  assert.deepEqual([skip.code, skip.stdout], [0, '']);
  const miss = await run(['get-user', '-q', '--user-profile', profile('nobody')]);
  assert.equal(miss.code, 1);
  assert.equal(miss.vendors.length, 1);
  assert.equal(miss.vendors[0]?.success, false);
  // Before the command too, as every common option.
  const before = await runIam(['-q', 'get-user', '--config', config, '--user-profile', profile('quinn')], {
    cwd: dir.path,
  });
  assert.deepEqual([before.code, before.stdout], [0, '']);
  const lines = [profile('quinn'), profile('nobody2'), '{"username":', profile('quinn')].join('\n');
  const input = join(dir.path, 'q.jsonl');
  writeFileSync(input, `${lines}\n`);
  const batch = await run(['batch', 'get-user', '-q', '--input', input]);
  assert.equal(batch.code, 1);
  assert.deepEqual(
    batch.vendors.map((v) => v.success),
    [false],
    'only the failed record (line 2), not the two found',
  );
  assert.match(batch.stderr, /^iam: line 3: /m, 'the unreadable line is an error line');
  assert.match(batch.stderr, /^iam: batch done: 4 done: 2 succeeded, 0 skipped, 2 failed/m);
  writeFileSync(input, `${profile('quinn')}\n`);
  const clean = await run(['batch', 'get-user', '--quiet', '--input', input]);
  assert.deepEqual([clean.code, clean.stdout, clean.stderr], [0, '', ''], 'nothing failed: nothing said');
});

test('the batch progress line ends at 100% on a terminal, before the summary; none when piped', {
  skip: noScript,
}, async () => {
  const input = join(dir.path, 'people.jsonl');
  writeFileSync(input, `${Array.from({ length: 30 }, (_, i) => profile(`p${i}`)).join('\n')}\n`);
  const out = await onPty([
    'batch',
    'create-user',
    '--config',
    config,
    '--input',
    input,
    '--out',
    join(dir.path, 'o.jsonl'),
  ]);
  const states = out.split(/\r|\n/).filter((s) => /\d+%/.test(s));
  assert.ok(states.length > 0, out);
  assert.match(states.at(-1) ?? '', /\[#{24}\] 100% {2}30 done, 0 failed/);
  const summaryAt = out.indexOf('iam: batch done: 30 done');
  assert.ok(summaryAt > out.lastIndexOf('100%'), 'the summary comes after the last progress state');
  // It stays on screen: not cleared (ESC [K) before the summary.
  assert.equal(out.slice(out.lastIndexOf('100%'), summaryAt).includes(`${ESC}[K`), false, out);
  const piped = await runIam(['batch', 'get-user', '--config', config, '--input', input], { cwd: dir.path });
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stderr, /%/);
  assert.equal(piped.stderr.includes(ESC), false);
});
