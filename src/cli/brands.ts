// `iam brands`: every brand this build knows, with each setting's type, default, whether it is
// required and its description, read from the brand's settings schema (core/settings-doc.ts).
import { builtInConnectors } from '../connectors/registry.js';
import type { ConnectorRegistry } from '../core/config.js';
import { describeSettings } from '../core/settings-doc.js';
import type { CliIo } from './app.js';
import type { OutputFormat } from './output.js';

export function brandsOutput(registry: ConnectorRegistry, format: OutputFormat): string[] {
  const brands = registry.map((d) => ({
    brand: d.brand,
    description: d.description,
    settings: describeSettings(d.settings),
  }));
  if (format === 'json') return brands.map((b) => JSON.stringify({ Brand: b }));
  return brands.map((b) => {
    const lines = b.settings.map((s) => {
      const need = s.required
        ? 'required'
        : s.default !== undefined
          ? `default ${JSON.stringify(s.default)}`
          : 'optional';
      return `  ${s.key}  (${s.type}; ${need})${s.description ? `\n      ${s.description}` : ''}`;
    });
    return `${b.brand}: ${b.description}\n${lines.join('\n') || '  (no settings)'}`;
  });
}

/** `brand`: only that one (any case); an unknown name is one line listing the brands, exit 2. */
export async function runBrands(opts: { output?: OutputFormat }, io: CliIo, brand?: string): Promise<number> {
  const format = opts.output ?? (io.isTTY ? 'table' : 'json');
  const chosen =
    brand === undefined
      ? builtInConnectors
      : builtInConnectors.filter((d) => d.brand.toLowerCase() === brand.toLowerCase());
  if (chosen.length === 0) {
    const names = builtInConnectors.map((d) => d.brand).join(', ');
    io.err(`iam: error: brands: unknown brand ${JSON.stringify(brand)} (one of ${names})`);
    return 2;
  }
  for (const block of brandsOutput(chosen, format)) io.out(block);
  return 0;
}
