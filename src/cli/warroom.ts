// The SOAR war-room form, given as one argument:
//   iam '!iam-create-user user-profile={"username":"x"} allow-enable=false using=aws'
// turned into ordinary argv. Values may be JSON objects/arrays (balanced, with strings), "quoted"
// strings, or bare words. `using=NAME` selects the instance, as it does in the war room.
import { COMMANDS, type CommandEntry } from '../commands/registry.js';
import { UsageError } from '../core/errors.js';
import { excerpt } from '../core/profile.js';

/** War-room argument names -> CLI options: every command option's war-room names (the registry's). */
function optionNames(commands: readonly CommandEntry[]): Readonly<Record<string, string>> {
  return Object.fromEntries([
    ...commands.flatMap((c) =>
      c.options.flatMap((o) => (o.warRoom ?? []).map((name) => [name, o.flags.split(' ')[0] as string])),
    ),
    ['using', '--instance'],
    ['instance', '--instance'],
  ]);
}
const OPTIONS = optionNames(COMMANDS);

function readValue(s: string, start: number): { value: string; end: number } {
  const open = s[start];
  if (open === '{' || open === '[') {
    let depth = 0;
    let inStr = false;
    for (let i = start; i < s.length; i++) {
      const c = s[i];
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return { value: s.slice(start, i + 1), end: i + 1 };
      }
    }
    throw new UsageError(
      `war-room argument: unbalanced ${open} in value starting at character ${start + 1}`,
      'argv',
    );
  }
  if (open === '"' || open === "'") {
    let out = '';
    for (let i = start + 1; i < s.length; i++) {
      const c = s[i] as string;
      if (c === '\\' && open === '"' && i + 1 < s.length) {
        out += s[++i];
        continue;
      }
      if (c === open) return { value: out, end: i + 1 };
      out += c;
    }
    throw new UsageError(`war-room argument: unterminated quote starting at character ${start + 1}`, 'argv');
  }
  let end = start;
  while (end < s.length && !/\s/.test(s[end] as string)) end++;
  return { value: s.slice(start, end), end };
}

export function isWarRoom(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] ?? '').trimStart().startsWith('!');
}

/** `!iam-get-user user-profile={...}` -> ['get-user', '--user-profile={...}']. */
export function warRoomToArgv(line: string, commands: readonly CommandEntry[] = COMMANDS): string[] {
  const OPTION = commands === COMMANDS ? OPTIONS : optionNames(commands);
  const s = line.trim().slice(1);
  // A command starts with a letter: `!-V` or `!--help` must not reach the option parser.
  const m = /^([A-Za-z][\w-]*)/.exec(s);
  const command = m?.[1]?.replace(/^iam-/, '');
  if (!m || !command || !/^[A-Za-z]/.test(command)) {
    throw new UsageError(
      `war-room argument: expected !iam-<command> after the !, got ${excerpt(s, 20)}`,
      'argv',
    );
  }
  const argv = [command];
  let i = m[0].length;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (i >= s.length) break;
    const eq = s.indexOf('=', i);
    const key = eq === -1 ? '' : s.slice(i, eq);
    if (!key || /\s/.test(key)) {
      throw new UsageError(`war-room argument: expected name=value at ${excerpt(s.slice(i), 20)}`, 'argv');
    }
    // Own keys only: `__proto__=` or `constructor=` must not find Object.prototype's members.
    const opt = Object.hasOwn(OPTION, key.toLowerCase()) ? OPTION[key.toLowerCase()] : undefined;
    if (!opt) {
      throw new UsageError(
        `war-room argument: unknown argument ${excerpt(key, 40)} (expected one of: ${Object.keys(OPTION).join(', ')})`,
        key,
      );
    }
    const { value, end } = readValue(s, eq + 1);
    // `--opt=value`, one token: a value such as `-V` must not be read as an option of its own.
    argv.push(`${opt}=${value}`);
    i = end;
  }
  return argv;
}
