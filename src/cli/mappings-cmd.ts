// `iam mappings show|test|check`: what an instance's mapping is, what it would send or read, and
// whether its targets exist in the app. `show` and `test` never call the app; `check` reads only
// its schema. Registered by app.ts; the bodies (mappings-run.ts) load only when one runs.
import { type Command, Option } from 'commander';
import type { CliIo } from './app.js';
import type { Opts } from './run.js';

export function registerMappings(program: Command, io: CliIo, done: (code: number) => void): Command {
  const run = () => import('./mappings-run.js');
  const group = program
    .command('mappings')
    .description(
      'Show, try, check and import mappings between the User Profile and an app (no writes to the app).',
    );
  const output = (dflt: string) =>
    new Option('--output <format>', `output format (default ${dflt})`).choices(['yaml', 'json']);
  group
    .command('show')
    .description(
      "Print an instance's effective mapping (its mappers, else its connector's default), or a brand's default, as YAML that loads back unchanged.",
    )
    .option('--config <file>', 'config file')
    .option('--instance <name>', 'the instance whose mapping to print')
    .option('--brand <brand>', "print this brand's default mapping instead (no config needed)")
    .addOption(
      new Option('--direction <side>', 'print only one side, as a file for mappers.<side>').choices([
        'outgoing',
        'incoming',
      ]),
    )
    .addOption(output('yaml'))
    .addHelpText(
      'after',
      '\nExamples:\n  iam mappings show --instance hr-app\n  iam mappings show --brand Okta',
    )
    .action(async (opts: Opts) => done(await (await run()).runShow(opts, io)));
  group
    .command('test')
    .description(
      'Print the app payload the outgoing mapping makes of a profile, or the profile the incoming mapping reads from an account. No call to the app.',
    )
    .option('--config <file>', 'config file')
    .option('--instance <name>', 'the instance whose mapping to use')
    .option('--user-profile <json>', 'a User Profile: print the payload sent to the app')
    .option('--account <json>', 'an account as the app returns it: print the User Profile read from it')
    .addOption(
      new Option('--variant <variant>', 'outgoing variant (default create)').choices(['create', 'update']),
    )
    .addOption(output('json'))
    .addHelpText(
      'after',
      `\nExample:\n  iam mappings test --instance hr-app --user-profile '{"username":"jdoe","surname":"Doe"}'`,
    )
    .action(async (opts: Opts) => done(await (await run()).runMappingTest(opts, io)));
  group
    .command('check')
    .description("Check each rule's app attribute against the schema the app serves (unknown or read-only).")
    .option('--config <file>', 'config file')
    .option('--instance <name>', 'the instance to check')
    .addOption(output('text'))
    .addHelpText('after', '\nExit codes: 0 every target exists and is writable, 1 some are not, 2 bad usage.')
    .action(async (opts: Opts) =>
      done(await (await import('./mappings-check.js')).runMappingCheck(opts, io)),
    );
  return group;
}
