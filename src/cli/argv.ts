// The command line as people type it, made into the one form the parser reads (issue 13):
// - the SOAR war-room form as one argument, with the CLI's own options around it in any order
//   (`iam --config F '!iam-get-user user-profile={...}' --output json`);
// - options every command takes, written before the command, as gh, kubectl and the AWS CLI allow
//   (`iam --config F -o json get-user ...`): moved after it;
// - `-o` for `--output`, and its value in any case (`-o JSON`).
import { canonicalKey, PROFILE_FIELDS } from '../core/profile-fields.js';

// Only whole tokens are looked at; a value given to an option (a JSON profile) is never rewritten.

/** Options of every command that take a value, and the flags (no value) among them. */
const WITH_VALUE = new Set(['--config', '--instance', '--output', '--audit-log']);
const FLAGS = new Set(['--all-instances', '--verbose', '--dry-run', '--quiet', '-q', '--strict']);

/** `-o X` -> `--output x`; `--output=X` -> `--output=x`. */
function outputForm(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if ((a === '-o' || a === '--output') && i + 1 < args.length) {
      out.push('--output', String(args[++i]).toLowerCase());
    } else if (a.startsWith('--output=')) out.push(`--output=${a.slice('--output='.length).toLowerCase()}`);
    else if (a.startsWith('-o=')) out.push(`--output=${a.slice(3).toLowerCase()}`);
    else out.push(a);
  }
  return out;
}

/**
 * Common options written before the command move after it. Stops at the first token that is not
 * one of them (the command, or `--help`/`--version`, which stay where they are).
 */
function hoistCommon(args: readonly string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    const name = a.split('=')[0] as string;
    if (WITH_VALUE.has(name)) {
      lead.push(a);
      if (!a.includes('=') && i + 1 < args.length) lead.push(args[++i] as string);
    } else if (FLAGS.has(a)) lead.push(a);
    else break;
  }
  if (lead.length === 0 || i >= args.length) return [...args];
  return [...args.slice(i), ...lead];
}

/**
 * The argv the parser reads. `warRoom`: turns the one war-room argument (starting with `!`) into
 * the command and its options; the other arguments are kept around it.
 */
export function normalizeArgv(argv: readonly string[], warRoom: (line: string) => string[]): string[] {
  const at = argv.findIndex((a) => a.trimStart().startsWith('!'));
  const expanded =
    at < 0 ? [...argv] : [...warRoom(argv[at] as string), ...argv.slice(0, at), ...argv.slice(at + 1)];
  return hoistCommon(outputForm(expanded));
}

/**
 * `--username jdoe` (a User Profile field written as an option): the profile is one JSON option,
 * and the message says how to write it. Undefined when no such option is given.
 */
export function profileFlagHint(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const m = /^--([A-Za-z][\w-]*)(?:=(.*))?$/.exec(args[i] as string);
    if (!m?.[1]) continue;
    const field = canonicalKey(m[1].replace(/-/g, ''));
    if (!PROFILE_FIELDS.some((f) => f.name === field) || field === 'id') continue;
    const value = m[2] ?? (args[i + 1]?.startsWith('-') ? undefined : args[i + 1]) ?? 'VALUE';
    const json = JSON.stringify({ [field]: value }).replace(/'/g, "'\\''");
    return `unknown option '--${m[1]}': did you mean --user-profile '${json}'?`;
  }
  return undefined;
}
