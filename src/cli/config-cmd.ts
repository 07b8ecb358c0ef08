// `iam config path`: which config file a command would read, and why that one (the order is
// --config, $IAM_CONFIG, ./iam.yaml, the per-user config, the embedded default).
// `iam config check`: loads it as a command would, and also resolves every instance's
// `${env:}`/`${file:}` references, so a mistake shows before a joiner's run, not during it.
import { IamClient } from '../client.js';
import { findConfig, userConfigPath } from '../core/config.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { cleanMessage } from '../core/record.js';
import type { CliIo } from './app.js';

interface ConfigOpts {
  config?: string;
  output?: string;
}

export function runConfigPath(opts: ConfigOpts, io: CliIo): number {
  const found = findConfig(opts.config, io.env, io.cwd);
  const user = userConfigPath(io.env);
  if (opts.output === 'json') {
    io.out(
      JSON.stringify({
        Config: { path: found.path ?? null, origin: found.origin, userConfig: user ?? null },
      }),
    );
  } else {
    io.out(
      found.path
        ? `${found.path} (${found.origin})`
        : `embedded default (no config file; the per-user one would be ${user ?? 'unknown: no HOME'})`,
    );
  }
  return 0;
}

export async function runConfigCheck(opts: ConfigOpts, io: CliIo): Promise<number> {
  const found = findConfig(opts.config, io.env, io.cwd);
  const where = found.path ?? 'embedded default';
  let client: IamClient | undefined;
  try {
    client = new IamClient({
      configPath: opts.config,
      env: io.env,
      cwd: io.cwd,
      onWarning: (m) => io.err(`iam: warning: ${m}`),
    });
    const names = client.instances().map((i) => i.name);
    let bad = 0;
    for (const name of names) {
      try {
        client.runtime(name);
      } catch (e) {
        bad += 1;
        io.err(`iam: error: ${cleanMessage(client.redactText((e as Error).message), [])}`);
      }
    }
    // `server:` references are resolved only by the commands that serve; check them here too, so
    // "ok" means `iam serve` starts as well.
    const server = client.config.server?.unresolved;
    if (server) {
      bad += 1;
      io.err(`iam: error: ${cleanMessage(client.redactText(server.message), [])}`);
    }
    if (bad > 0) return 2;
    io.out(`${where}: ok (${names.length} instance${names.length === 1 ? '' : 's'}: ${names.join(', ')})`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      io.err(`iam: error: ${cleanMessage(e.message, [])}`);
      return 2;
    }
    throw e;
  } finally {
    await client?.close();
  }
}
