// Where the two public SCIM conformance suites live: `../shared/suites/` relative to the repo root
// (pinned copies, never copied into the repository). A test skips, saying why, when they are absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUITES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'suites',
);

export const SUITE_FILES = {
  microsoft: 'microsoft-scim-postman-collection.json',
  okta: 'okta-scim-2.0-spec-test.json',
  oktaScript: 'okta-scim-2.0-spec-initial-script.txt',
} as const;

/** Why the suites cannot run here, or false when every file is present. */
export function suitesMissing(...files: string[]): string | false {
  const missing = files.filter((f) => !existsSync(join(SUITES_DIR, f)));
  return missing.length
    ? `public SCIM suite file(s) absent from ${SUITES_DIR}: ${missing.join(', ')}`
    : false;
}

export const readSuite = (file: string): string => readFileSync(join(SUITES_DIR, file), 'utf8');
