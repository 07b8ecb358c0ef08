// A tiny structured logger: one JSON object per line, written synchronously (fd 2 by default) so no
// line is lost when the process exits right after. Chosen over pino because redaction here must
// work by value, not only by path: a token echoed by an app inside an error string or a header
// value has no fixed path. Every line goes through `redact` (secret-looking keys, Secret values,
// known secrets in all their forms) and the serialised line is scrubbed once more.
// No global logger: each IamClient builds its own and hands it to its transports.
import { writeSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { redact, redactText } from '../core/redact.js';
import { SecretList } from '../core/secrets.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  /** True when a line of this level would be written (skip building costly fields otherwise). */
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Known secrets (in all their forms) replaced, for text a caller must cut before logging it. */
  redactText?(text: string): string;
}

export interface LoggerOptions {
  /** Default `warn`. */
  level?: LogLevel;
  /** Writes one line (no newline). Default: a synchronous write to fd 2. */
  write?: (line: string) => void;
  /**
   * Secret values to scrub from every line (and their base64/URL/JSON forms). A SecretList is read
   * live (a token fetched later is scrubbed too); a plain array is copied.
   */
  secrets?: readonly string[];
  /** Fields added to every line when it is written (e.g. the current command's correlation id). */
  context?: () => LogFields;
  now?: () => Date;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Reads a level name (`IAM_LOG_LEVEL`); undefined when unset; ConfigError naming `where` when unknown. */
export function parseLogLevel(value: string | undefined, where: string): LogLevel | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new ConfigError(`${where}: unknown log level "${value}" (expected one of: ${LOG_LEVELS.join(', ')})`);
}

/** Synchronous write to stderr; falls back to the stream when fd 2 is non-blocking and full. */
export function writeStderr(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    process.stderr.write(`${line}\n`);
  }
}

function serialise(entry: LogFields): string {
  try {
    return JSON.stringify(entry, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return JSON.stringify({ time: entry.time, level: entry.level, msg: entry.msg, note: 'unserialisable' });
  }
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'warn';
  const write = opts.write ?? writeStderr;
  const secrets =
    opts.secrets instanceof SecretList ? opts.secrets : SecretList.fromValues(opts.secrets ?? []);
  const now = opts.now ?? (() => new Date());
  const enabled = (l: LogLevel) => RANK[l] >= RANK[level] && level !== 'silent';
  const log = (l: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields = {}) => {
    if (!enabled(l)) return;
    const entry = redact(
      { time: now().toISOString(), level: l, msg, ...opts.context?.(), ...fields },
      secrets,
    );
    write(redactText(serialise(entry), secrets));
  };
  return {
    level,
    isEnabled: enabled,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    redactText: (text) => redactText(text, secrets),
  };
}

/** A logger that writes nothing (the default when none is given). */
export const silentLogger = (): Logger => createLogger({ level: 'silent', write: () => {} });
