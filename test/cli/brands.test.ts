// `iam brands` prints each brand's settings from its zod schema (type, default, required, the
// `.describe()` text); connection settings are the connector's own, so a brand that composes none
// (Local) refuses them by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { z } from 'zod';
import { brandsOutput } from '../../src/cli/brands.js';
import { builtInConnectors } from '../../src/connectors/registry.js';
import type { ConnectorDefinition } from '../../src/core/connector.js';
import { describeSettings } from '../../src/core/settings-doc.js';
import { httpConnectionSettings } from '../../src/http/settings.js';
import { tempDir } from '../conformance/harness.js';

const BIN = resolve(import.meta.dirname, '../../dist/cli/main.js');
const dir = tempDir('iam-brands-');
after(() => dir.cleanup());

const iam = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', XDG_DATA_HOME: join(dir.path, 'xdg'), HOME: dir.path },
    cwd: dir.path,
  });

test('iam brands: every setting of every brand with its type, default, required flag and description', () => {
  const r = iam(['brands', '--output', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const brands = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { Brand: { brand: string; settings: Record<string, unknown>[] } }).Brand);
  assert.deepEqual(
    brands.map((b) => b.brand),
    builtInConnectors.map((d) => d.brand),
  );
  for (const b of brands) {
    for (const s of b.settings) assert.ok(s.description, `${b.brand} ${s.key} has a description`);
  }
  const scim = Object.fromEntries(brands[0]!.settings.map((s) => [s.key, s]));
  assert.deepEqual(scim.token, {
    key: 'token',
    type: 'secret',
    required: false,
    description: 'Bearer token (RFC 6750); or set auth',
  });
  // A union setting lists each variant's keys, named by its type.
  assert.equal(scim.auth?.type, 'object, type: bearer | basic | apiKey');
  assert.deepEqual(
    [scim['auth.password']?.type, scim['auth.password']?.description],
    ['secret', 'HTTP Basic password (type basic)'],
  );
  assert.equal(scim.timeoutMs?.default, 30_000);
  assert.equal(scim.insecure?.default, false);
  assert.equal(scim['retry.attempts']?.default, 5);
  assert.equal(scim['rateLimit.requestsPerSecond']?.required, true);
  const local = brands.find((b) => b.brand === 'Local');
  assert.deepEqual(
    local?.settings.map((s) => s.key),
    ['path'],
  );
  assert.equal(iam(['instances', '--brands', '--output', 'json']).stdout, r.stdout, 'iam instances --brands');
  const table = iam(['brands', '--output', 'table']);
  assert.match(table.stdout, /timeoutMs {2}\(integer 1\.\.600000; default 30000\)\n {6}ms to wait/);
});

test('the listing is read from the schema: a setting added to a schema is listed, described', () => {
  const settings = z.strictObject({
    ...httpConnectionSettings.shape,
    tenant: z.string().default('main').describe('which tenant'),
  });
  const def = { brand: 'Extra', description: 'x', settings } as unknown as ConnectorDefinition<unknown>;
  const docs = describeSettings(settings);
  assert.deepEqual(
    docs.find((d) => d.key === 'tenant'),
    { key: 'tenant', type: 'string', required: false, default: 'main', description: 'which tenant' },
  );
  assert.match(
    brandsOutput([def], 'table')[0] ?? '',
    /tenant {2}\(string; default "main"\)\n {6}which tenant/,
  );
});

test('a Local instance refuses connection settings by name (it composes none)', () => {
  const path = join(dir.path, 'local.yaml');
  writeFileSync(path, `instances:\n  l:\n    brand: Local\n    path: ':memory:'\n    timeoutMs: 5000\n`);
  const r = iam(['get-user', '--config', path, '--user-profile', '{"username":"x"}']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr.trim(),
    /^iam: error: .*instance "l": unknown key "timeoutMs" at line \d+; Local settings are: path$/,
  );
});

test('an HTTP brand still takes every connection setting, with the same keys and YAML as before', () => {
  const path = join(dir.path, 'scim.yaml');
  writeFileSync(
    path,
    [
      'instances:',
      '  app:',
      '    brand: SCIM',
      '    baseUrl: https://scim.example.com/v2',
      '    token: abcd1234',
      '    insecure: yes',
      '    proxy: false',
      '    timeoutMs: 5000',
      '    rateLimit: {requestsPerSecond: 5}',
      '    retry: {attempts: 2}',
      '',
    ].join('\n'),
  );
  const r = iam(['instances', '--config', path, '--output', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout.trim()) as { insecure: boolean }).insecure, true);
  const bad = iam(['instances', '--config', path.replace('scim', 'bad')]);
  assert.equal(bad.status, 2);
  writeFileSync(
    path,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: https://x.example\n    token: abcd1234\n    timeoutMs: 0\n`,
  );
  const range = iam(['instances', '--config', path]);
  assert.match(
    range.stderr,
    /instance "app" key "timeoutMs": expected a whole number from 1 to 600000 \(ms\)/,
  );
});
