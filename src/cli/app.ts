// `iam <command> [options]`: argv -> library -> printed records. Exit codes: 0 success or skipped,
// 1 a command ran and failed (success: false), 2 bad usage or configuration (one line on stderr).
import { Argument, Command, CommanderError, Option } from 'commander';
import { COMMANDS, type CommandEntry, type CommandOption, USER_COMMANDS } from '../commands/registry.js';
import { escapeControls } from '../core/one-line.js';
import { normalizeArgv, profileFlagHint } from './argv.js';
import { registerMappings } from './mappings-cmd.js';
import type { Opts } from './run.js';
import { VERSION } from './version.js';
import { warRoomToArgv } from './warroom.js';
import { withYaml } from './yaml-io.js';

export interface CliIo {
  /** stdout: one or more whole lines (a batch gathers its records), without the final newline. */
  out: (text: string) => void;
  err: (line: string) => void;
  /** stdout is a terminal. */
  isTTY: boolean;
  /** stdout's width when it is a terminal. */
  columns?: number;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** `batch --input -` reads this (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Redraws one status line on stderr ('' clears it); set only when stderr is a terminal. */
  progress?: (line: string) => void;
}

const collect = (v: string, prev: string[]) => [...prev, v];

const DRY_RUN_HELP = 'look up as usual, print what would be sent, change nothing';

function common(cmd: Command): Command {
  return cmd
    .option(
      '--config <file>',
      'config file (default: $IAM_CONFIG, ./iam.yaml, else the embedded local directory)',
    )
    .option('--instance <name>', 'instance to run on (repeatable)', collect, [])
    .option('--all-instances', 'run on every configured instance, one record each')
    .option('--verbose', 'log every HTTP request and answer to stderr (JSON lines, secrets redacted)')
    .option('--audit-log <file>', 'audit file for writes (default: $IAM_AUDIT_LOG, auditLog, data directory)')
    .addOption(
      new Option(
        '--output <format>',
        'output format, -o (default: table on a terminal, else json; yaml: the json records as YAML)',
      ).choices(['table', 'json', 'yaml']),
    )
    .option('-q, --quiet', 'print only errors: failed records and error lines (exit codes unchanged)');
}

type CommonOpts = Opts;
/** Options of the user commands that `batch` takes too. */
const BATCH_SHARED = ['--profile-keys', '--strict'];
type Runnable = Exclude<CommandEntry, { kind: 'meta' }>;

/** One registry option as commander options (its aliases as options of their own). */
function addOption(cmd: Command, o: CommandOption): void {
  const option = new Option(o.flags, o.description);
  if (o.choices) option.choices(o.choices);
  if (o.default !== undefined) option.default(o.default);
  cmd.addOption(option);
  const arg = o.flags.split(' ').slice(1).join(' ');
  for (const alias of o.aliases ?? []) cmd.option(`${alias} ${arg}`, `alias of ${o.flags.split(' ')[0]}`);
}

/** `commands`: the registry's (a test may add an entry to see every consumer pick it up). */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<number> {
  let args = [...argv];
  let exit = 0;
  try {
    args = normalizeArgv(args, (line) => warRoomToArgv(line, commands));
    const hint = profileFlagHint(args);
    if (hint) throw new Error(hint);
  } catch (e) {
    io.err(`iam: error: ${(e as Error).message.replace(/\s+/g, ' ')}`);
    return 2;
  }
  // Loaded only when a command runs, so `iam --version` and `--help` start fast.
  const lib = () => import('./run.js');
  const program = new Command('iam')
    .description('One standard set of IAM commands for every app (SCIM 2.0 on the wire).')
    .version(VERSION, '-V, --version')
    // Program options only before the command: `--user-profile -V` is a (bad) profile, not --version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      // One line, like every other usage error (commander's "Did you mean" comes on a line of its own).
      // A control character the user typed (an option's text is quoted in the message) is escaped.
      outputError: (s, write) =>
        write(`iam: ${escapeControls(s.trim().replace(/\s*\n\s*/g, ' '))} (run with --help for usage)\n`),
    });

  // Every command of the registry, its options from its entry. Meta commands have runners of their own.
  const meta: Readonly<Record<string, (opts: CommonOpts, out: CliIo) => Promise<number>>> = {
    test: async (opts, out) => (await lib()).runTest(opts, out),
    'get-mapping-fields': async (opts, out) => (await lib()).runMappingFields(opts, out),
  };
  for (const entry of commands) {
    const cmd = common(program.command(entry.name).description(entry.about));
    for (const o of entry.options) addOption(cmd, o);
    if (entry.write) cmd.option('--dry-run', DRY_RUN_HELP);
    cmd.addHelpText('after', `\nExample:\n  iam ${entry.name} ${entry.example}`);
    cmd.action(async (given: CommonOpts) => {
      const [opts, out] = await withYaml(given, io);
      const runner = meta[entry.name];
      exit = runner ? await runner(opts, out) : await (await lib()).runCommand(entry as Runnable, opts, out);
    });
  }
  const batch = common(
    program
      .command('batch')
      .description('Run a user command for every profile of a JSON Lines or CSV file, streaming.')
      .argument(
        '<command>',
        USER_COMMANDS.filter((c) => c.batch)
          .map((c) => c.name)
          .join(', '),
      ),
  )
    .option(
      '--input <file>',
      'User Profiles: a .jsonl or .csv file (a header row of field names), - for stdin',
    )
    .addOption(
      new Option('--format <format>', 'input format (default: from the file name; stdin: jsonl)').choices([
        'jsonl',
        'csv',
      ]),
    )
    .option(
      '--concurrency <n>',
      "commands in flight per instance (default: the connector's, e.g. SCIM 16, Local 64)",
    )
    .option('--allow-enable <bool>', 'create-user/update-user: enable the account (default true)')
    .option('--out <file>', 'write the records to FILE instead of stdout')
    .option('--ordered', 'records in input order (default: as they finish; each has "Batch":{"line":N})')
    .option(
      '--escrow-passes <n>',
      'run commands that failed for a transient reason (429, 503, timeout) again after the input, up to N passes (default 3; 0: off)',
    )
    .option(
      '--escrow-delay <ms>',
      'wait before the first escrow pass, doubled for each next one (default 5000)',
    )
    .option('--no-progress', 'no progress line (it is shown only when stderr is a terminal)')
    .option('--dry-run', DRY_RUN_HELP);
  // The user commands' own --profile-keys and --strict (a CSV header is checked once, at the start).
  for (const o of USER_COMMANDS[0].options.filter((o) => BATCH_SHARED.includes(o.flags.split(' ')[0] ?? '')))
    addOption(batch, o);
  batch
    .addHelpText(
      'after',
      '\nExamples:\n  iam batch create-user --input joiners.csv --instance hr-app\n' +
        '  iam batch disable-user --input leavers.jsonl --all-instances --out results.jsonl',
    )
    .action(async (command: string, opts: CommonOpts) => {
      exit = await (await import('./batch.js')).runBatchCommand(command, opts, io);
    });
  program
    .command('audit')
    .description('Check an audit log.')
    .command('verify')
    .description('List writes that may have landed with no outcome (intents with no outcome line).')
    .argument('<file>', 'the audit log (JSON lines)')
    .addHelpText('after', '\nExit codes: 0 every intent has an outcome, 1 some have none, 2 unreadable.')
    .action(async (file: string) => {
      exit = await (await import('./audit-verify.js')).runAuditVerify(file, io);
    });
  program
    .command('instances')
    .description('List configured instances with brand and flags.')
    .option('--config <file>', 'config file')
    .option('--brands', 'list the brands and their settings instead (as iam brands)')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']))
    .addHelpText('after', '\nExample:\n  iam instances --config iam.yaml')
    .action(async (opts: CommonOpts) => {
      if (opts.brands === true) exit = await (await import('./brands.js')).runBrands(opts, io);
      else exit = await (await lib()).runInstances(opts, io);
    });
  program
    .command('brands')
    .description('List the brands and their settings (type, default, description), from their schemas.')
    .argument('[brand]', 'only this brand (any case)')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']))
    .addHelpText('after', '\nExamples:\n  iam brands --output table\n  iam brands okta')
    .action(async (brand: string | undefined, opts: CommonOpts) => {
      exit = await (await import('./brands.js')).runBrands(opts, io, brand);
    });
  program
    .command('serve')
    .description("Serve the commands over HTTP (the API of the README's Server section).")
    .option('--config <file>', 'config file (its server: key holds the API keys)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port, printed)', '8080')
    .option('--audit-log <file>', 'audit file (default: $IAM_AUDIT_LOG, auditLog, data directory)')
    .addHelpText('after', '\nExample:\n  IAM_API_KEY=... iam serve --config iam.yaml --port 8080')
    .action(async (opts: CommonOpts) => {
      exit = await (await import('./serve.js')).runServe(opts, io);
    });
  program
    .command('mcp')
    .description('Serve the commands as MCP tools over stdio (writes are dry runs unless --allow-writes).')
    .option('--config <file>', 'config file')
    .option('--allow-writes', 'let write tools change accounts (default: every write is a dry run)')
    .option('--audit-log <file>', 'audit file (default: $IAM_AUDIT_LOG, auditLog, data directory)')
    .addHelpText('after', '\nExample:\n  iam mcp --config iam.yaml')
    .action(async (opts: CommonOpts) => {
      exit = await (await import('./mcp.js')).runMcp(opts, io);
    });
  const config = program
    .command('config')
    .description('Where the configuration is read from, and whether it is valid.');
  config
    .command('path')
    .description(
      'Print the config file in use and why (--config, $IAM_CONFIG, ./iam.yaml, the per-user config, embedded default).',
    )
    .option('--config <file>', 'config file')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']))
    .action(async (opts: CommonOpts) => {
      exit = (await import('./config-cmd.js')).runConfigPath(opts, io);
    });
  config
    .command('check')
    .description("Load the config and resolve every instance's settings and its env and file references.")
    .option('--config <file>', 'config file')
    .addHelpText('after', '\nExit codes: 0 valid, 2 not (one line per problem).')
    .action(async (opts: CommonOpts) => {
      exit = await (await import('./config-cmd.js')).runConfigCheck(opts, io);
    });
  program
    .command('fields')
    .description(
      'List the User Profile fields: the CLI name, the display name (accepted on input too) and the type.',
    )
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']))
    .addHelpText('after', '\nExample:\n  iam fields --output table')
    .action(async (opts: CommonOpts) => {
      exit = (await import('./fields.js')).runFields(opts, io);
    });
  // `iam mappings show|test|check` (mappings-cmd.ts) and `import` (mappings-import.ts).
  const mappings = registerMappings(program, io, (code) => {
    exit = code;
  });
  mappings
    .command('import')
    .description('Translate a Cortex XSOAR mapper export (JSON) into a mapping file (YAML).')
    .argument('<file>', 'the mapper export (mapping-incoming or mapping-outgoing JSON)')
    .option('--out <file>', 'write the YAML here (default: stdout)')
    .addHelpText(
      'after',
      '\nExit codes: 0 all translated, 1 some fields were not (listed on stderr), 2 unreadable input.\n' +
        '\nExample:\n  iam mappings import classifier-mapper-outgoing-Okta.json --out mappings/okta-out.yaml',
    )
    .action(async (file: string, opts: { out?: string }) => {
      exit = await (await import('./mappings-import.js')).runMappingsImport(file, opts, io);
    });
  common(
    program
      .command('demo')
      .description('A short lifecycle on the embedded local directory, printing each record.'),
  )
    .addHelpText('after', '\nExample:\n  iam demo')
    .action(async (opts: CommonOpts) => {
      exit = await (await lib()).runDemo(opts, io);
    });

  program
    .command('completion')
    .description('Print a shell completion script: commands, options, instance names, brands.')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nExamples:\n  source <(iam completion bash)      # in ~/.bashrc\n' +
        '  source <(iam completion zsh)       # in ~/.zshrc, after compinit\n' +
        '  iam completion fish | source       # in ~/.config/fish/config.fish',
    )
    .action(async (shell: string) => {
      exit = (await import('./completion.js')).runCompletion(shell, program, io);
    });
  // For the completion scripts: `iam __complete instances [--config F]` prints the names, one a line.
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .option('--config <file>')
    .action(async (what: string, opts: CommonOpts) => {
      exit = await (await import('./completion.js')).runCompleteWords(what, opts, io);
    });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    throw e;
  }
  return exit;
}
