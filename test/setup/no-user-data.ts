// Loaded before every test file (`npm test` passes `--import ./test/setup/no-user-data.ts`): tests
// never touch the user's own data. Each test process gets a fresh, empty HOME and XDG_DATA_HOME, so
// a default path (the audit log, a Local store) that a test forgot to set lands there instead of in
// the real `~/.local/share/iam-commands`; and the file FAILS if anything appeared there, naming it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** The data directories a default path of this project would use under `home`. */
export const dataDirsUnder = (home: string): string[] => [
  join(home, 'xdg', 'iam-commands'),
  join(home, '.local', 'share', 'iam-commands'),
  join(home, 'Library', 'Application Support', 'iam-commands'),
];

// Only in the processes that run test files (the runner itself runs none).
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  const home = mkdtempSync(join(tmpdir(), 'iam-test-home-'));
  Object.assign(process.env, { HOME: home, XDG_DATA_HOME: join(home, 'xdg') });
  after(() => {
    const written = dataDirsUnder(home).filter(existsSync);
    const listing = written.map((d) => `${d}: ${readdirSync(d).join(', ')}`).join('; ');
    rmSync(home, { recursive: true, force: true });
    assert.deepEqual(
      listing,
      '',
      `a test wrote under the user's data directory (would have been the real one): ${listing}`,
    );
  });
}
