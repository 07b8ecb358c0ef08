// What every `iam` start loads before it knows the command: `iam --version`, `--help` and a usage
// error must stay fast (start-up is benchmarked in `npm run bench`, part startup). This walks the
// static, value imports of src/cli/main.ts and fails when a package other than the CLI parser is
// among them: a heavy library (the HTTP server, the regex engine, date-fns, SQLite, undici, zod)
// belongs behind a dynamic import() where it is first used.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(import.meta.dirname, '../../src');
/** Packages an `iam` start may load before dispatching: node's own modules and the CLI parser. */
const ALLOWED = new Set(['commander']);

/** Value imports of a source file (type-only imports, and braces of only `type` names, are erased). */
export function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /^import\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm,
  )) {
    if (m[4]) {
      out.push(m[4]);
      continue;
    }
    if (m[1]) continue;
    const clause = m[2] ?? '';
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (braces?.[1]?.split(',').every((s) => s.trim() === '' || s.trim().startsWith('type '))) continue;
    out.push(m[3] as string);
  }
  return out;
}

/** Every package the static value-import graph from `entry` reaches, with the chain that brings it. */
function packagesFrom(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), [...chain, file]);
      else if (!spec.startsWith('node:') && !found.has(spec))
        found.set(
          spec,
          [...chain, file].map((f) => f.slice(SRC.length + 1)),
        );
    }
  };
  walk(entry, []);
  return found;
}

test('the walk sees value imports and skips type-only ones', () => {
  const text = [
    "import { a } from 'pkg-a';",
    "import type { B } from 'pkg-b';",
    "import { type C, type D } from 'pkg-c';",
    "import { type E, f } from 'pkg-e';",
    "import 'pkg-side-effect';",
    "import * as g from 'pkg-g';",
  ].join('\n');
  assert.deepEqual(valueImports(text), ['pkg-a', 'pkg-e', 'pkg-side-effect', 'pkg-g']);
});

test('an iam start loads no package but the CLI parser before the command is known', () => {
  const extra = [...packagesFrom(resolve(SRC, 'cli/main.ts'))].filter(([pkg]) => !ALLOWED.has(pkg));
  assert.deepEqual(
    extra.map(([pkg, chain]) => `${pkg} <- ${chain.reverse().join(' <- ')}`),
    [],
    'load these with a dynamic import() where they are first used',
  );
});

/**
 * Libraries only some commands need: each loads where it is first used (createRequire or a dynamic
 * import()), so a Local batch never loads the LDAP client, a SCIM get-user never loads the JWT
 * signer, and JSON output never loads the table printer (memory and start-up are benchmarked).
 */
const LOADED_WHERE_USED = [
  'ldapts',
  'undici',
  'jose',
  'cli-table3',
  're2js',
  'date-fns',
  'fastify',
  'better-sqlite3',
];

test('the command and batch chains load the LDAP client, HTTP client, JWT signer, SQLite and table printer only where used', () => {
  for (const entry of ['cli/run.ts', 'cli/batch.ts', 'client.ts', 'connectors/registry.ts']) {
    const eager = [...packagesFrom(resolve(SRC, entry))].filter(([pkg]) => LOADED_WHERE_USED.includes(pkg));
    assert.deepEqual(
      eager.map(([pkg, chain]) => `${pkg} <- ${chain.reverse().join(' <- ')}`),
      [],
      `${entry}: load these where they are first used`,
    );
  }
});
