// The README's Output section shows one record of each kind (issue 13): these must be what the CLI
// prints. Each JSON line there is matched with the CLI's record for the same case (run on a Local
// instance) and must have exactly its keys, in its order, so the README cannot drift.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

type Json = Record<string, unknown>;
const dir = tempDir('iam-readme-records-');
after(() => dir.cleanup());
const config = join(dir.path, 'iam.yaml');
writeFileSync(config, `instances:\n  aws:\n    brand: Local\n    path: ${join(dir.path, 'l.db')}\n`);

/** The JSON lines of the README's "Output and `IAM.Vendor`" section. */
function readmeRecords(): Json[] {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('### Output and `IAM.Vendor`');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((b) =>
    b
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Json),
  );
}

/** Which case a record shows: its top key, and for user records whether it succeeded or skipped. */
function kindOf(r: Json): string {
  const [key] = Object.keys(r);
  const body = r[key as string] as Json;
  const v = (key === 'IAM' ? body.Vendor : body) as Json;
  if (key === 'Test' || key?.endsWith('Group')) return key as string;
  const skipped = v.skipped === true || (key !== 'IAM' && v.success === true && v.errorMessage !== '');
  return `${key}:${v.success === false ? 'failed' : skipped ? 'skipped' : 'ok'}`;
}

/** Every key path in order; inside `details` nothing (it is the app's own answer). */
function shape(v: unknown, path = ''): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => [
    `${path}${k}`,
    ...(k === 'details' ? [] : shape(x, `${path}${k}.`)),
  ]);
}

test("the README's records have exactly the keys, in order, the CLI prints for the same case", async () => {
  const iam = async (args: string[]) => {
    const r = await runIam([...args, '--config', config, '-o', 'json'], { cwd: dir.path });
    return JSON.parse(r.stdout.trim().split('\n')[0] ?? '{}') as Json;
  };
  const jdoe = '{"username":"jdoe","email":"jdoe@example.com"}';
  const nobody = '{"username":"nobody"}';
  const group = await iam(['create-group', '--scim', '{"displayName":"Engineering"}']);
  const id = (group.CreateGroup as Json).id;
  const cli = [
    await iam(['create-user', '--user-profile', jdoe]),
    await iam(['disable-user', '--user-profile', nobody]),
    await iam(['get-user', '--user-profile', nobody]),
    group,
    await iam(['delete-group', '--scim', JSON.stringify({ id })]),
    await iam(['test']),
    await iam(['create-user', '--format', 'first-generation', '--user-profile', '{"username":"amy"}']),
    await iam(['disable-user', '--format', 'first-generation', '--user-profile', nobody]),
  ];
  const byKind = new Map(cli.map((r) => [kindOf(r), r]));
  const shown = readmeRecords();
  const kinds = shown.map(kindOf);
  for (const k of ['IAM:ok', 'IAM:skipped', 'IAM:failed', 'CreateGroup', 'Test', 'CreateUser:ok']) {
    assert.ok(kinds.includes(k), `the README shows a ${k} record`);
  }
  for (const r of shown) {
    const printed = byKind.get(kindOf(r));
    assert.ok(printed, `the test runs the case of the README's ${kindOf(r)} record`);
    assert.deepEqual(shape(r), shape(printed), `README ${kindOf(r)} record`);
  }
});
