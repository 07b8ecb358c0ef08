// `--output yaml`: the records of `--output json`, each printed as one YAML document (`---` first),
// the same keys in the same order. The printers write JSON; this turns each JSON line into YAML.
import type { CliIo } from './app.js';

function yamlIo(io: CliIo, stringify: typeof import('yaml').stringify): CliIo {
  return {
    ...io,
    out: (line) => {
      if (!line.startsWith('{')) return io.out(line);
      try {
        io.out(`---\n${stringify(JSON.parse(line), { lineWidth: 0 }).replace(/\n$/, '')}`);
      } catch {
        io.out(line);
      }
    },
  };
}

/**
 * Options of a command run with `--output yaml`: the printers are asked for JSON, the io makes YAML.
 * The YAML library loads only then (start-up time is benchmarked).
 */
export async function withYaml<O extends { output?: string }>(opts: O, io: CliIo): Promise<[O, CliIo]> {
  if (opts.output !== 'yaml') return [opts, io];
  const { stringify } = await import('yaml');
  return [{ ...opts, output: 'json' }, yamlIo(io, stringify)];
}
