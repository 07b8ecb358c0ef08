// `iam completion bash|zsh|fish` loaded into the real shells (issue 13 item 9), and bash's completion
// function driven as bash drives it (COMP_WORDS, COMP_CWORD -> COMPREPLY): commands and options
// come from the command registry, instance names from the config at completion time, brands from
// the connector registry. zsh and fish are tested when installed (.ci/run installs them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BATCH_COMMANDS } from '../../src/batch/types.js';
import { COMMANDS, userCommand } from '../../src/commands/registry.js';
import { builtInConnectors } from '../../src/connectors/registry.js';
import { tempDir } from '../conformance/harness.js';
import { BIN, runIam } from '../support/run-iam.js';

const dir = tempDir('iam-completion-');
after(() => dir.cleanup());
// `iam` on PATH, as after an install: the scripts call it back for instance names.
const bin = join(dir.path, 'bin');
mkdirSync(bin);
writeFileSync(
  join(bin, 'iam'),
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`,
);
chmodSync(join(bin, 'iam'), 0o755);
const config = join(dir.path, 'people.yaml');
writeFileSync(
  config,
  `instances:\n  hr:\n    brand: Local\n    path: ${join(dir.path, 'hr.db')}\n  payroll:\n    brand: Local\n    path: ${join(dir.path, 'p.db')}\n`,
);
const env = {
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  HOME: dir.path,
  XDG_DATA_HOME: join(dir.path, 'xdg'),
};
const absent = (shell: string) =>
  spawnSync(shell, ['-c', 'exit 0']).error ? `${shell} is not installed (apt-get install ${shell})` : false;

function shell(name: string, script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(name, ['-c', script], { cwd: dir.path, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What bash's completion function offers for the words typed (the last one is being completed). */
function bashComplete(lines: string[][]): string[][] {
  const calls = lines
    .map((words) => {
      const arr = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
      return `COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _iam; echo "\${COMPREPLY[*]}"`;
    })
    .join('\n');
  const r = shell('bash', `source <(iam completion bash) || exit 3\n${calls}`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout
    .split('\n')
    .slice(0, lines.length)
    .map((l) => l.split(' ').filter(Boolean));
}

const flagOf = (flags: string) => flags.split(' ')[0] as string;
const BRANDS = builtInConnectors.map((d) => d.brand);

test('bash: the script loads and registers _iam for iam', () => {
  const r = shell('bash', 'source <(iam completion bash) && complete -p iam');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'complete -F _iam iam');
});

test('bash: commands, options, values, instances from --config, brands', () => {
  const [all, getu, opts, inst, before, batch, format, brands, out, sub, none] = bashComplete([
    ['iam', ''],
    ['iam', 'get-u'],
    ['iam', 'create-user', '--'],
    ['iam', 'get-user', '--config', config, '--instance', ''],
    ['iam', '--config', config, '--instance', 'p'],
    ['iam', 'batch', ''],
    ['iam', 'batch', 'create-user', '--format', ''],
    ['iam', 'brands', ''],
    ['iam', 'get-user', '-o', ''],
    ['iam', 'config', ''],
    ['iam', 'get-user', '--user-profile', ''],
  ]);
  for (const c of COMMANDS) assert.ok(all?.includes(c.name), `command ${c.name} completes`);
  assert.ok(all?.includes('batch') && all.includes('completion'));
  assert.equal(all?.includes('__complete'), false, 'the hidden helper is not offered');
  assert.deepEqual(getu, ['get-user']);
  // Every option of the registry's entry, and the common ones.
  for (const o of userCommand('create-user')?.options ?? [])
    assert.ok(opts?.includes(flagOf(o.flags)), o.flags);
  for (const f of ['--dry-run', '--instance', '--config', '--quiet', '--output', '--strict'])
    assert.ok(opts?.includes(f), f);
  assert.deepEqual(inst, ['hr', 'payroll'], 'instances read from the config given');
  assert.deepEqual(before, ['payroll'], 'before the command too');
  assert.deepEqual(batch, [...BATCH_COMMANDS]);
  assert.deepEqual(format, ['jsonl', 'csv']);
  assert.deepEqual(brands, BRANDS);
  assert.deepEqual(out, ['table', 'json', 'yaml']);
  assert.deepEqual(sub, ['path', 'check']);
  assert.deepEqual(none, [], 'a JSON value: nothing to offer');
});

test('a command added to the registry completes without an edit to the completion code', async () => {
  // The CLI is built from the registry; the completion reads the CLI. runCli with one more entry:
  const { runCli } = await import('../../src/cli/app.js');
  const extra = {
    ...COMMANDS[0],
    name: 'get-widget',
    warRoom: 'iam-get-widget',
  } as (typeof COMMANDS)[number];
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: () => {}, isTTY: false, env: {}, cwd: dir.path };
  assert.equal(await runCli(['completion', 'bash'], io, [...COMMANDS, extra]), 0);
  assert.match(out.join('\n'), /\|get-widget\|/);
  assert.match(out.join('\n'), /'get-widget'\)\n\s+opts='[^']*--user-profile/);
});

test('__complete instances: names one a line; a broken or missing config prints nothing, exit 0', async () => {
  const ok = await runIam(['__complete', 'instances', '--config', config], { cwd: dir.path });
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'hr\npayroll\n', '']);
  const broken = join(dir.path, 'broken.yaml');
  writeFileSync(broken, 'instances: [nope\n');
  for (const cfg of [broken, join(dir.path, 'missing.yaml')]) {
    const r = await runIam(['__complete', 'instances', '--config', cfg], { cwd: dir.path });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  }
  const wrong = await runIam(['completion', 'tcsh'], { cwd: dir.path });
  assert.equal(wrong.code, 2);
  assert.match(
    wrong.stderr,
    /value 'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish/,
  );
});

test('zsh: loads without error, registers _iam, and offers commands, instances and brands', {
  skip: absent('zsh'),
}, () => {
  const r = shell(
    'zsh',
    `autoload -U compinit; compinit -u -d ${dir.path}/zcompdump
source <(iam completion zsh) || exit 3
print -r -- "registered: \${_comps[iam]}"
# The completion builtins stubbed: what _iam would offer, one line per call.
compadd() { if [[ $1 == -a ]]; then print -r -- "\${(P)2}"; else shift; print -r -- "$*"; fi }
_describe() { print -r -- "\${(P)4}" }
t() { words=("$@"); CURRENT=$#; _iam }
t iam ""
t iam get-user --config ${config} --instance ""
t iam brands ""`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [registered, commands, instances, brands] = r.stdout.split('\n');
  assert.equal(registered, 'registered: _iam');
  assert.match(commands ?? '', /^get-user:Get a user/);
  assert.equal(instances, 'hr payroll');
  assert.equal(brands, BRANDS.join(' '));
});

test('fish: complete -C offers commands, options, instances and brands', { skip: absent('fish') }, () => {
  const words = (line: string) =>
    line
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
  const run = (typed: string) => {
    const r = shell('fish', `iam completion fish | source; complete -C ${JSON.stringify(typed)}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    return words(r.stdout);
  };
  assert.deepEqual(run('iam get-'), ['get-group', 'get-mapping-fields', 'get-user']);
  assert.ok(run('iam get-user --').includes('--profile-keys'));
  assert.deepEqual(run(`iam get-user --config ${config} --instance `), ['hr', 'payroll']);
  assert.deepEqual(run('iam brands ').sort(), [...BRANDS].sort());
});

test('iam brands <brand> (what brand completion is for) shows that brand only; an unknown one is exit 2', async () => {
  const one = await runIam(['brands', 'okta', '--output', 'json'], { cwd: dir.path });
  assert.equal(one.code, 0, one.stderr);
  const brands = one.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { Brand: { brand: string } }).Brand.brand);
  assert.deepEqual(brands, ['Okta']);
  const bad = await runIam(['brands', 'okto'], { cwd: dir.path });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^iam: error: brands: unknown brand "okto" \(one of SCIM, .*Okta.*\)\n$/);
});
