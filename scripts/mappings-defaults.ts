// `npm run mappings:defaults`: writes mappings/<brand>.yaml, each connector's default mapping as a
// file a user can copy and edit, from the connector registry. test/cli/mappings-defaults.test.ts
// fails when a committed file differs from what its connector really uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultMappingFile, mappingFileName } from '../src/cli/mapping-doc.js';
import { builtInConnectors } from '../src/connectors/registry.js';

const dir = resolve(import.meta.dirname, '../mappings');
mkdirSync(dir, { recursive: true });
for (const def of builtInConnectors) {
  const file = join(dir, mappingFileName(def.brand));
  writeFileSync(file, defaultMappingFile(def));
  process.stdout.write(`${file}\n`);
}
