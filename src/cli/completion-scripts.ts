// The completion scripts themselves, one per shell, written from the command specs (completion.ts).
// Each finds the command path typed so far (`config path`), skipping option values, then offers that
// command's options, subcommands, positional values, or the values of the option before the cursor.
import type { CommandSpec, OptionSpec, ValueKind } from './completion.js';

const HEADER = (shell: string, load: string) =>
  `# ${shell} completion for iam, written by \`iam completion ${shell}\` from its commands; write it again after an upgrade.\n# Load it with: ${load}`;

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const flagsOf = (o: OptionSpec) => [o.long, ...(o.short ? [o.short] : [])];
/** A description on one short line. */
const brief = (s: string) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 70 ? `${line.slice(0, 69)}…` : line;
};

/** A value kind as one word for the scripts' own dispatch. */
const code = (v: ValueKind): string =>
  v.kind === 'words'
    ? v.words.join(' ')
    : v.kind === 'file'
      ? '__files'
      : v.kind === 'instance'
        ? '__instances'
        : '__none';

/**
 * The program's entry (path []) with the options every runnable command takes (`iam --config F
 * get-user` is the CLI's form too), so they complete before the command as well.
 */
function withGlobals(spec: readonly CommandSpec[]): CommandSpec[] {
  const runnable = spec.filter((c) => c.options.some((o) => o.long === '--instance'));
  const common = (runnable[0]?.options ?? []).filter(
    (o) => o.long !== '--help' && runnable.every((c) => c.options.some((p) => p.long === o.long)),
  );
  return spec.map((c) => (c.path.length === 0 ? { ...c, options: [...c.options, ...common] } : c));
}

/** Every option that takes a value, so the scripts can skip values when finding the command. */
const valued = (spec: readonly CommandSpec[]) =>
  [...new Set(spec.flatMap((c) => c.options.filter((o) => o.value).flatMap(flagsOf)))].join(' ');
const paths = (spec: readonly CommandSpec[]) =>
  `|${spec
    .filter((c) => c.path.length)
    .map((c) => c.path.join(' '))
    .join('|')}|`;

function bashBlock(c: CommandSpec): string {
  const cases = c.options
    .filter((o) => o.value)
    .map((o) => `        ${flagsOf(o).join('|')}) v=${sq(code(o.value as ValueKind))} ;;`);
  return [
    `    ${sq(c.path.join(' '))})`,
    `      opts=${sq(c.options.flatMap(flagsOf).join(' '))}`,
    `      subs=${sq(c.subcommands.join(' '))}`,
    `      args=(${c.args.map((a) => sq(code(a))).join(' ')})`,
    ...(cases.length ? ['      case "$prev" in', ...cases, '      esac'] : []),
    '      ;;',
  ].join('\n');
}

export function bashScript(input: readonly CommandSpec[]): string {
  const spec = withGlobals(input);
  return `${HEADER('bash', 'source <(iam completion bash)')}
_iam_reply() {
  case "$1" in
    __none) COMPREPLY=() ;;
    __files) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    __instances) COMPREPLY=( $(compgen -W "$("$bin" __complete instances \${config:+--config "$config"} 2>/dev/null)" -- "$cur") ) ;;
    *) COMPREPLY=( $(compgen -W "$1" -- "$cur") ) ;;
  esac
}
_iam() {
  local bin="\${COMP_WORDS[0]}" cur="\${COMP_WORDS[COMP_CWORD]}" prev=""
  (( COMP_CWORD > 1 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local valued=${sq(` ${valued(spec)} `)} paths=${sq(paths(spec))}
  local -a pos=() args=()
  local i w config="" key="" try n=0 opts="" subs="" v=""
  for (( i=1; i<COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      --config) config="\${COMP_WORDS[i+1]}" ;;
      --config=*) config="\${w#--config=}" ;;
    esac
    if [[ $w == -* ]]; then
      [[ $valued == *" $w "* ]] && i=$(( i + 1 ))
      continue
    fi
    pos+=("$w")
  done
  for w in "\${pos[@]}"; do
    try="\${key:+$key }$w"
    [[ $paths == *"|$try|"* ]] || break
    key=$try
    n=$(( n + 1 ))
  done
  case "$key" in
${spec.map(bashBlock).join('\n')}
  esac
  if [[ -n $v ]]; then _iam_reply "$v"; return 0; fi
  if [[ $cur == -* ]]; then _iam_reply "$opts"; return 0; fi
  if [[ -n $subs && \${#pos[@]} -eq $n ]]; then _iam_reply "$subs"; return 0; fi
  local a=$(( \${#pos[@]} - n ))
  if (( a < \${#args[@]} )); then _iam_reply "\${args[a]}"; return 0; fi
  _iam_reply "$opts"
}
complete -F _iam iam`;
}

function zshBlock(c: CommandSpec, about: ReadonlyMap<string, string>): string {
  const describe = (names: readonly string[], desc: (n: string) => string) =>
    names.map((n) => sq(`${n}:${brief(desc(n))}`)).join(' ');
  const optDesc = new Map(c.options.flatMap((o) => flagsOf(o).map((f) => [f, o.description] as const)));
  const cases = c.options
    .filter((o) => o.value)
    .map((o) => `        ${flagsOf(o).join('|')}) v=${sq(code(o.value as ValueKind))} ;;`);
  const sub = (n: string) => about.get([...c.path, n].join(' ')) ?? '';
  return [
    `    ${sq(c.path.join(' '))})`,
    `      opts=(${describe(c.options.flatMap(flagsOf), (f) => optDesc.get(f) ?? '')})`,
    `      subs=(${describe(c.subcommands, sub)})`,
    `      args=(${c.args.map((a) => sq(code(a))).join(' ')})`,
    ...(cases.length ? ['      case $prev in', ...cases, '      esac'] : []),
    '      ;;',
  ].join('\n');
}

export function zshScript(input: readonly CommandSpec[]): string {
  const spec = withGlobals(input);
  const about = new Map(spec.map((c) => [c.path.join(' '), c.description]));
  return `#compdef iam
${HEADER('zsh', 'source <(iam completion zsh)   (after compinit)')}
_iam_reply() {
  case $1 in
    __none) _message 'value' ;;
    __files) _files ;;
    __instances)
      local -a names
      names=(\${(f)"$(\${words[1]} __complete instances \${config:+--config} \${config:+$config} 2>/dev/null)"})
      compadd -a names ;;
    *) compadd -- \${=1} ;;
  esac
}
_iam() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
  local valued=${sq(` ${valued(spec)} `)} paths=${sq(paths(spec))}
  local -a pos opts subs args
  local i w config key try n=0 v
  for (( i=2; i<CURRENT; i++ )); do
    w=\${words[i]}
    case $w in
      --config) config=\${words[i+1]} ;;
      --config=*) config=\${w#--config=} ;;
    esac
    if [[ $w == -* ]]; then
      [[ $valued == *" $w "* ]] && i=$(( i + 1 ))
      continue
    fi
    pos+=("$w")
  done
  for w in $pos; do
    try=\${key:+$key }$w
    [[ $paths == *"|$try|"* ]] || break
    key=$try
    n=$(( n + 1 ))
  done
  case $key in
${spec.map((c) => zshBlock(c, about)).join('\n')}
  esac
  if [[ -n $v ]]; then _iam_reply $v; return; fi
  if [[ $cur == -* ]]; then _describe -t options option opts; return; fi
  if (( \${#subs} && \${#pos} == n )); then _describe -t commands command subs; return; fi
  local a=$(( \${#pos} - n + 1 ))
  if (( a <= \${#args} )); then _iam_reply \${args[a]}; return; fi
  _describe -t options option opts
}
if (( $+functions[compdef] )); then compdef _iam iam; fi`;
}

/** fish quoting: single quotes, with \\ and \\' escaped. */
const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishValue(v: ValueKind | undefined): string {
  if (!v) return '';
  if (v.kind === 'file') return ' -r -F';
  if (v.kind === 'instance') return " -x -a '(__iam_instances)'";
  if (v.kind === 'words') return ` -x -a ${fq(v.words.join(' '))}`;
  return ' -x';
}

function fishLines(c: CommandSpec, about: ReadonlyMap<string, string>): string[] {
  const when = fq(`__iam_is ${c.path.join(' ')}`.trim());
  const lines = c.options.map((o) => {
    const short = o.short ? ` -s ${o.short.slice(1)}` : '';
    return `complete -c iam -n ${when} -l ${o.long.slice(2)}${short}${fishValue(o.value)} -d ${fq(brief(o.description))}`;
  });
  for (const s of c.subcommands) {
    const desc = brief(about.get([...c.path, s].join(' ')) ?? '');
    lines.push(`complete -c iam -n ${when} -a ${fq(s)} -d ${fq(desc)}`);
  }
  c.args.forEach((a, i) => {
    if (a.kind === 'none') return;
    const value =
      a.kind === 'file'
        ? '-F'
        : a.kind === 'instance'
          ? "-a '(__iam_instances)'"
          : `-a ${fq(a.words.join(' '))}`;
    lines.push(`complete -c iam -n ${fq(`__iam_is ${c.path.join(' ')}; and __iam_args ${i}`)} ${value}`);
  });
  return lines;
}

export function fishScript(input: readonly CommandSpec[]): string {
  const spec = withGlobals(input);
  const about = new Map(spec.map((c) => [c.path.join(' '), c.description]));
  return `${HEADER('fish', 'iam completion fish | source')}
function __iam_pos --description 'the positional words before the cursor (option values skipped)'
    set -l valued ${valued(spec)}
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $t
            contains -- $t $valued; and set skip 1
            continue
        end
        echo $t
    end
end
function __iam_key --description 'the command path typed so far (config path)'
    set -l paths ${fq(paths(spec))}
    set -l key ''
    for w in (__iam_pos)
        set -l try (string trim -- "$key $w")
        string match -q -- "*|$try|*" $paths; or break
        set key $try
    end
    echo $key
end
function __iam_is --description 'the command path is exactly the arguments'
    set -l key (__iam_key)
    test "$key" = "$argv"
end
function __iam_args --description 'this many positional arguments follow the command path'
    set -l key (__iam_key)
    set -l words (string split -n ' ' -- $key)
    test (math (count (__iam_pos)) - (count $words)) -eq $argv[1]
end
function __iam_instances --description 'the instances of the config in use'
    set -l tokens (commandline -opc)
    set -l cfg
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --config; and test $i -lt (count $tokens)
            set cfg --config $tokens[(math $i + 1)]
        end
    end
    $tokens[1] __complete instances $cfg 2>/dev/null
end
complete -c iam -f
${spec.flatMap((c) => fishLines(c, about)).join('\n')}`;
}
