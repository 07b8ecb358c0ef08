// The CLI's command bodies: choose instances, call the library, print records, pick the exit code.
// Loaded lazily by app.ts so that --version and --help do not load connectors.
import { IamClient, type MappingFieldsResult } from '../client.js';
import type {
  GroupCommandEntry,
  GroupCommandName,
  UserCommandEntry,
  UserCommandName,
} from '../commands/registry.js';
import { ConfigError, IamError, UsageError } from '../core/errors.js';
import { parseBoolean } from '../core/profile.js';
import { cleanMessage, type GroupRecord, type UserResult } from '../core/record.js';
import type { CliIo } from './app.js';
import { groupJson, groupTable, type OutputFormat, testOutput, userJson, userTable } from './output.js';
import { styleOf } from './style.js';

export interface Opts {
  config?: string;
  instance?: string[];
  allInstances?: boolean;
  output?: OutputFormat;
  /** --quiet: failed records and error lines only. */
  quiet?: boolean;
  [key: string]: unknown;
}

const formatOf = (opts: Opts, io: CliIo): OutputFormat => opts.output ?? (io.isTTY ? 'table' : 'json');

function openClient(opts: Opts, io: CliIo): IamClient {
  return new IamClient({
    configPath: opts.config,
    env: io.env,
    cwd: io.cwd,
    onWarning: (m) => io.err(`iam: warning: ${m}`),
    strictMappings: opts.strict !== undefined && parseBoolean(opts.strict, 'strict', true),
    // Debug lines (--verbose or IAM_LOG_LEVEL=debug) share stderr with warnings, one JSON object a line.
    logLevel: opts.verbose === true ? 'debug' : undefined,
    logWrite: io.err,
    auditLog: typeof opts.auditLog === 'string' ? opts.auditLog : undefined,
    defaultAuditLog: true,
    dryRun: opts.dryRun === true,
  });
}

/** A dry run says on stderr what it would have sent (the record has it in details.dryRun). */
function printDryRun(details: unknown, io: CliIo): void {
  const writes = (details as { dryRun?: unknown } | null)?.dryRun;
  if (!Array.isArray(writes)) return;
  if (writes.length === 0) io.err('iam: dry run: nothing would be sent');
  for (const w of writes as { method?: string; url?: string; path?: string; body?: unknown }[]) {
    const body = w.body === undefined ? '' : ` ${JSON.stringify(w.body)}`;
    io.err(`iam: dry run: would ${w.url ? 'send' : 'write'} ${w.method} ${w.url ?? w.path}${body}`);
  }
}

export function selectInstances(client: IamClient, opts: Opts): string[] {
  const names = [...client.config.instances.keys()];
  if (opts.allInstances) {
    if (names.length === 0) throw new ConfigError(`${client.config.source}: no instances configured`);
    return names;
  }
  const chosen = opts.instance ?? [];
  if (chosen.length) {
    for (const n of chosen) {
      if (!names.includes(n)) {
        throw new UsageError(
          `unknown instance "${n}" (configured in ${client.config.source}: ${names.join(', ') || 'none'})`,
          'instance',
        );
      }
    }
    return chosen;
  }
  if (names.length === 1) return names;
  throw new UsageError(
    `several instances are configured (${names.join(', ')}): choose with --instance NAME or --all-instances`,
    'instance',
  );
}

/** Runs `body` with a client; usage and config errors become one line on stderr and exit code 2. */
export async function withClient(
  opts: Opts,
  io: CliIo,
  body: (c: IamClient) => Promise<number>,
): Promise<number> {
  let client: IamClient | undefined;
  try {
    client = openClient(opts, io);
    return await body(client);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      // One line whatever the input was: names and values quoted in messages may hold newlines.
      const hint = e instanceof UsageError ? shellHint(e) : '';
      io.err(`iam: error: ${cleanMessage(client?.redactText(e.message) ?? e.message, [])}${hint}`);
      return 2;
    }
    const msg = e instanceof IamError || e instanceof Error ? e.message : String(e);
    io.err(`iam: internal error: ${cleanMessage(client?.redactText(msg) ?? msg, [])}`);
    return 2;
  } finally {
    await client?.close();
  }
}

/** JSON that does not parse on the command line is most often the shell's quoting at work. */
function shellHint(e: UsageError): string {
  if (!/expected a JSON object \(/.test(e.message) || !e.field) return '';
  const example = e.field === 'user-profile' ? `'{"username":"jdoe"}'` : `'{"displayName":"Engineering"}'`;
  return `; in a shell, put the whole JSON in single quotes, e.g. --${e.field} ${example}`;
}

/**
 * Runs `fn` on each instance; exit 1 when a record failed. A ConfigError of one instance (a
 * `${env:}`/`${file:}` reference that could not be resolved) is one line naming it, and the other
 * instances still run; exit 2. With one instance it is thrown (withClient prints it).
 */
async function eachInstance(
  instances: readonly string[],
  client: IamClient,
  io: CliIo,
  fn: (instance: string) => Promise<boolean>,
): Promise<number> {
  let failed = false;
  let broken = false;
  for (const instance of instances) {
    try {
      failed = !(await fn(instance)) || failed;
    } catch (e) {
      if (!(e instanceof ConfigError) || instances.length === 1) throw e;
      io.err(`iam: error: ${cleanMessage(client.redactText(e.message), [])}`);
      broken = true;
    }
  }
  return broken ? 2 : failed ? 1 : 0;
}

/** --quiet prints a record only when it failed (a skip is a success: not printed). */
const shown = (opts: Opts, success: boolean) => !(opts.quiet === true && success);

function printUser(
  result: UserResult,
  format: OutputFormat,
  io: CliIo,
  firstGeneration: boolean,
  displayKeys = false,
): void {
  io.out(format === 'json' ? userJson(result, firstGeneration, displayKeys) : userTable(result, styleOf(io)));
  printDryRun(result.vendor.details, io);
}

function printGroup(key: string, rec: GroupRecord, format: OutputFormat, io: CliIo): void {
  io.out(format === 'json' ? groupJson(key, rec) : groupTable(key, rec, styleOf(io)));
  printDryRun(rec.details, io);
}

/** The command's input keys, from the CLI options its registry entry maps onto them. */
function inputOf(entry: UserCommandEntry | GroupCommandEntry, opts: Opts): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const o of entry.options) if (o.key !== undefined) input[o.key] = opts[o.key];
  return input;
}

/** Runs a user or group command of the registry on the chosen instances and prints its records. */
export function runCommand(
  entry: UserCommandEntry | GroupCommandEntry,
  opts: Opts,
  io: CliIo,
): Promise<number> {
  return withClient(opts, io, async (client) => {
    const instances = selectInstances(client, opts);
    const format = formatOf(opts, io);
    const input = inputOf(entry, opts);
    if (entry.kind === 'user') {
      if (input.userProfile === undefined && input.scim === undefined) {
        throw new UsageError(`${entry.name}: --user-profile is required (a JSON object)`, 'user-profile');
      }
      // Never silently one of the two: they could name different accounts.
      if (input.userProfile !== undefined && input.scim !== undefined) {
        throw new UsageError(`${entry.name}: give --user-profile or --scim, not both`, 'scim');
      }
      if (opts.format === 'first-generation' && format !== 'json') {
        throw new UsageError('--format first-generation is a JSON shape: add --output json', 'format');
      }
      return eachInstance(instances, client, io, async (instance) => {
        const result = await client.user(entry.name as UserCommandName, instance, input);
        if (shown(opts, result.vendor.success))
          printUser(result, format, io, opts.format === 'first-generation', opts.profileKeys === 'display');
        return result.vendor.success;
      });
    }
    if (input.scim === undefined)
      throw new UsageError(`${entry.name}: --scim is required (a JSON object)`, 'scim');
    return eachInstance(instances, client, io, async (instance) => {
      const rec = await client.group(entry.name as GroupCommandName, instance, input);
      if (shown(opts, rec.success)) printGroup(entry.recordKey, rec, format, io);
      return rec.success;
    });
  });
}

export function runTest(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    return eachInstance(selectInstances(client, opts), client, io, async (instance) => {
      const r = await client.test(instance);
      if (shown(opts, r.success)) io.out(testOutput(r, formatOf(opts, io), styleOf(io)));
      return r.success;
    });
  });
}

export function runMappingFields(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    return eachInstance(selectInstances(client, opts), client, io, async (instance) => {
      let r: MappingFieldsResult;
      try {
        r = await client.mappingFields(instance);
      } catch (e) {
        // The app was asked for its schema and failed (auth, network): one line, exit 1.
        if (!(e instanceof IamError) || e instanceof UsageError || e instanceof ConfigError) throw e;
        const why = cleanMessage(client.redactText(e.message), []);
        io.err(
          `iam: error: instance "${instance}": get-mapping-fields: the app's schema could not be read: ${why}`,
        );
        return false;
      }
      io.out(formatOf(opts, io) === 'json' ? JSON.stringify({ MappingFields: r }) : fieldsTable(r));
      return true;
    });
  });
}

/** One line a field: path, type, `multi` when multi-valued, mutability, `required`. */
function fieldsTable(r: MappingFieldsResult): string {
  const width = Math.max(4, ...r.attributes.map((a) => a.path.length));
  const from = r.source === 'app' ? 'read from the app' : "the connector's list";
  const head = `Mapping Fields (${r.brand}, ${r.instanceName}; ${from}${r.details ? `: ${r.details}` : ''})`;
  const rows = r.attributes.map((a) =>
    [
      `  ${a.path.padEnd(width)}`,
      a.type.padEnd(9),
      a.multiValued ? 'multi ' : 'single',
      a.mutability,
      a.required ? 'required' : '',
    ]
      .join('  ')
      .trimEnd(),
  );
  return [head, ...rows].join('\n');
}

export function runInstances(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    const list = client.instances();
    if (formatOf(opts, io) === 'json') {
      for (const i of list) io.out(JSON.stringify(i));
      return 0;
    }
    io.out(`Instances (${client.config.source})`);
    for (const i of list) {
      const off = Object.entries(i.flags)
        .filter(([, v]) => !v)
        .map(([k]) => k);
      const flags = off.length ? `off: ${off.join(', ')}` : 'all commands on';
      io.out(`  ${i.name}  ${i.brand}  ${flags}${i.insecure ? '  INSECURE (TLS not verified)' : ''}`);
    }
    return 0;
  });
}

/** The main job of `npm start`: a short lifecycle on the embedded local directory. */
export function runDemo(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    const local = client.instances().filter((i) => i.offline);
    const instance = opts.instance?.[0] ?? local[0]?.name;
    if (!instance)
      throw new UsageError(
        'demo: no instance of brand Local is configured: give --instance NAME',
        'instance',
      );
    const format = formatOf(opts, io);
    const profile = {
      username: 'demo.user',
      email: 'demo.user@example.com',
      givenname: 'Demo',
      surname: 'User',
      title: 'Engineer',
    };
    const steps: UserResult[] = [];
    const user = async (r: Promise<UserResult>) => {
      const res = await r;
      steps.push(res);
      if (shown(opts, res.vendor.success)) printUser(res, format, io, false);
      return res;
    };
    const created = await user(client.createUser(instance, { userProfile: profile }));
    await user(client.getUser(instance, { userProfile: { username: profile.username } }));
    await user(client.updateUser(instance, { userProfile: { ...profile, title: 'Senior Engineer' } }));
    await user(client.disableUser(instance, { userProfile: { username: profile.username } }));
    await user(client.enableUser(instance, { userProfile: { username: profile.username } }));
    const groups: GroupRecord[] = [];
    const group = async (key: string, r: Promise<GroupRecord>) => {
      const rec = await r;
      groups.push(rec);
      if (shown(opts, rec.success)) printGroup(key, rec, format, io);
      return rec;
    };
    const g = await group(
      'CreateGroup',
      client.createGroup(instance, { scim: { displayName: 'Demo Group' } }),
    );
    if (g.id && created.vendor.id) {
      await group(
        'UpdateGroup',
        client.updateGroup(instance, { scim: { id: g.id }, memberIdsToAdd: [created.vendor.id] }),
      );
      await group('GetGroup', client.getGroup(instance, { scim: { id: g.id }, includeMembers: true }));
      await group('DeleteGroup', client.deleteGroup(instance, { scim: { id: g.id } }));
    }
    const ok = steps.every((s) => s.vendor.success) && groups.every((r) => r.success);
    return ok ? 0 : 1;
  });
}
