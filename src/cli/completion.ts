// `iam completion bash|zsh|fish` (issue 13 item 9): a script completing commands, options, instance
// names and brands. Commands and options are read from the CLI's own parser, which is built from the
// command registry (src/commands/registry.ts), so a new command or option completes without an edit
// here. Instance names are read from the config when completing (`iam __complete instances`);
// brands come from the connector registry.
import type { Command, Option } from 'commander';
import { BATCH_COMMANDS } from '../batch/types.js';
import { builtInConnectors } from '../connectors/registry.js';
import type { CliIo } from './app.js';
import { bashScript, fishScript, zshScript } from './completion-scripts.js';

/** What a value (of an option or a positional argument) completes to. */
export type ValueKind =
  | { kind: 'none' }
  | { kind: 'file' }
  | { kind: 'instance' }
  | { kind: 'words'; words: readonly string[] };

export interface OptionSpec {
  /** `--quiet`, and `-q` when it has a short form. */
  long: string;
  short?: string;
  description: string;
  /** undefined: a flag (no value). */
  value?: ValueKind;
}

export interface CommandSpec {
  /** ['get-user'], or ['config', 'path'] for a subcommand. */
  path: readonly string[];
  description: string;
  options: readonly OptionSpec[];
  /** Positional arguments in order (`batch <command>`, `completion <shell>`). */
  args: readonly ValueKind[];
  /** Names of its subcommands (`config` -> path, check). */
  subcommands: readonly string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
const brands = (): string[] => builtInConnectors.map((d) => d.brand);

function optionValue(o: Option): ValueKind | undefined {
  if (!o.required && !o.optional) return undefined;
  if (o.argChoices) return { kind: 'words', words: o.argChoices };
  if (o.long === '--instance') return { kind: 'instance' };
  if (/<file>|\[file\]/.test(o.flags)) return { kind: 'file' };
  if (/<brand>|\[brand\]/.test(o.flags)) return { kind: 'words', words: brands() };
  if (/<bool>/.test(o.flags)) return { kind: 'words', words: ['true', 'false'] };
  return { kind: 'none' };
}

/** A positional argument, by its name: the batch's command, a shell, a brand, a file. */
function argumentOf(name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices) return { kind: 'words', words: choices };
  if (name === 'command') return { kind: 'words', words: BATCH_COMMANDS };
  if (name === 'shell') return { kind: 'words', words: SHELLS };
  if (name === 'brand') return { kind: 'words', words: brands() };
  if (name === 'file') return { kind: 'file' };
  return { kind: 'none' };
}

const HELP: OptionSpec = { long: '--help', short: '-h', description: 'show help' };

function specOf(cmd: Command, path: readonly string[]): CommandSpec[] {
  const visible = cmd.commands.filter((c) => !c.name().startsWith('__'));
  const options = cmd.options
    .filter((o) => !o.hidden && o.long)
    .map((o) => ({
      long: o.long as string,
      // `-o` is the CLI's short form of --output (argv.ts), not commander's.
      ...(o.short || o.long === '--output' ? { short: o.short ?? '-o' } : {}),
      description: o.description,
      ...(optionValue(o) ? { value: optionValue(o) } : {}),
    }));
  const self: CommandSpec = {
    path,
    description: cmd.description(),
    options: [...options, HELP],
    args: cmd.registeredArguments.map((a) => argumentOf(a.name(), a.argChoices)),
    subcommands: visible.map((c) => c.name()),
  };
  return [self, ...visible.flatMap((c) => specOf(c, [...path, c.name()]))];
}

/** Every command and subcommand of the program (the first entry is the program itself, path []). */
export const completionSpec = (program: Command): CommandSpec[] => specOf(program, []);

export function runCompletion(shell: string, program: Command, io: CliIo): number {
  const spec = completionSpec(program);
  if (shell === 'bash') io.out(bashScript(spec));
  else if (shell === 'zsh') io.out(zshScript(spec));
  else if (shell === 'fish') io.out(fishScript(spec));
  else {
    io.err(`iam: error: completion: unknown shell "${shell}" (one of ${SHELLS.join(', ')})`);
    return 2;
  }
  return 0;
}

/**
 * `iam __complete instances [--config F]`: the configured instance names, one a line, for the
 * completion scripts. Never noisy: a config that does not load prints nothing, exit 0.
 */
export async function runCompleteWords(what: string, opts: { config?: string }, io: CliIo): Promise<number> {
  try {
    if (what === 'brands') for (const b of brands()) io.out(b);
    if (what !== 'instances') return 0;
    const { IamClient } = await import('../client.js');
    const client = new IamClient({ configPath: opts.config, env: io.env, cwd: io.cwd });
    try {
      for (const i of client.instances()) io.out(i.name);
    } finally {
      await client.close();
    }
  } catch {
    // Completion must never print an error into the user's command line.
  }
  return 0;
}
