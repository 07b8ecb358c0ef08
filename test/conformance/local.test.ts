// Spec sections 3 and 7 against the embedded local directory (brand Local), a real SQLite file.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { tempDir } from './harness.js';
import { runConformance } from './suite.js';

describe('conformance: Local', () => {
  runConformance({ emailLookup: true }, async () => {
    const dir = tempDir('iam-local-');
    let n = 0;
    let path = join(dir.path, 'db0.sqlite');
    return {
      brand: 'Local',
      settings: () => ({ brand: 'Local', path }),
      reset: () => {
        n += 1;
        path = join(dir.path, `db${n}.sqlite`);
      },
      lookupFields: 'id, username, email',
      close: () => rmSync(dir.path, { recursive: true, force: true }),
    };
  });
});
