// `iam mappings show|test` through the built CLI, and the committed default mapping files
// (mappings/<brand>.yaml) checked against what each connector really uses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { defaultMappingFile, mappingFileName } from '../../src/cli/mapping-doc.js';
import { builtInConnectors } from '../../src/connectors/registry.js';
import { tempDir } from '../conformance/harness.js';
import { runIam } from '../support/run-iam.js';

const MAPPINGS = resolve(import.meta.dirname, '../../mappings');
const dir = tempDir('iam-mappings-');
const iam = (args: string[]) => runIam(args, { cwd: dir.path });

/** A loopback app that only counts what reaches it: `mappings show/test` must send nothing. */
let hits = 0;
const app = createServer((_req, res) => {
  hits += 1;
  res.writeHead(500).end();
});
let baseUrl = '';
before(async () => {
  await new Promise<void>((ok) => app.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/scim/v2`;
});
after(async () => {
  await new Promise((ok) => app.close(ok));
  dir.cleanup();
});

function write(name: string, body: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, body, { mode: 0o600 });
  return path;
}

const scimConfig = (name: string, mappers = '') =>
  write(
    name,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${baseUrl}\n    token: t0ken-${name}\n${mappers}`,
  );

// Quotes, backslashes, unicode: values are data, never JSON text.
const PROFILE = {
  username: 'zoë.o"brien',
  email: 'zoe@example.com',
  givenname: 'Zoë',
  surname: 'O\'Brien \\ "Jr"',
  employeeid: 'E-7',
  title: 'Engineer',
  mobilephone: '+33 6 12',
  department: 'R&D',
  costcentercode: 'CC-1',
  olduserdata: { username: 'zoe.old' },
};

describe('default mapping files (mappings/<brand>.yaml)', () => {
  test('each connector has its file, identical to what `npm run mappings:defaults` writes from it', () => {
    const files = readdirSync(MAPPINGS).sort();
    const expected = builtInConnectors.map((d) => mappingFileName(d.brand)).sort();
    assert.deepEqual(files, expected, 'one file per brand, no stale file');
    for (const def of builtInConnectors) {
      const committed = readFileSync(join(MAPPINGS, mappingFileName(def.brand)), 'utf8');
      assert.equal(committed, defaultMappingFile(def), `${def.brand}: run npm run mappings:defaults`);
      assert.deepEqual(parse(committed), JSON.parse(JSON.stringify(def.mapping)), def.brand);
    }
  });

  test('shipped in the package', () => {
    const pkg = JSON.parse(readFileSync(resolve(MAPPINGS, '../package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('mappings'));
  });

  test('a default file named as mappers gives the same payload as the default itself', async () => {
    const plain = scimConfig('plain.yaml');
    const file = join(MAPPINGS, 'scim.yaml');
    const fromFile = scimConfig('from-file.yaml', `    mappers: { outgoing: ${file}, incoming: ${file} }\n`);
    const args = ['mappings', 'test', '--instance', 'app', '--user-profile', JSON.stringify(PROFILE)];
    const a = await iam([...args, '--config', plain]);
    const b = await iam([...args, '--config', fromFile]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.stdout, a.stdout);
  });
});

describe('iam mappings show', () => {
  test('--brand prints the committed default file; an unknown brand is one line, exit 2', async () => {
    const r = await iam(['mappings', 'show', '--brand', 'okta']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(`${r.stdout}`, readFileSync(join(MAPPINGS, 'okta.yaml'), 'utf8'));
    const bad = await iam(['mappings', 'show', '--brand', 'Octa']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^iam: error: --brand: unknown brand "Octa" \(expected one of: SCIM, /);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  test('prints the instance mappers; shown, written and loaded back, they give the same payload', async () => {
    const custom = write(
      'custom-out.yaml',
      [
        '- { app: userName, profile: [employeeid, username] }',
        '- { app: displayName, profile: displayname, template: "{surname}, {givenname}" }',
        '- { app: \'emails[type eq "work"].value\', profile: email, with: { primary: true } }',
        '- { app: "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter", profile: costcentercode }',
        '- { app: title, profile: title, on: create }',
        '- { app: nickName, profile: username, direction: out }',
        '',
      ].join('\n'),
    );
    const original = scimConfig('custom.yaml', `    mappers: { outgoing: ${custom} }\n`);
    const shown = await iam(['mappings', 'show', '--config', original, '--instance', 'app']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^# Effective mapping of instance "app"/);
    const both = parse(shown.stdout) as { outgoing: unknown; incoming: unknown };
    assert.deepEqual(both.outgoing, parse(readFileSync(custom, 'utf8')));
    assert.deepEqual(both.incoming, both.outgoing, 'incoming falls back to the outgoing list');
    const sides: string[] = [];
    for (const side of ['outgoing', 'incoming']) {
      const r = await iam([
        'mappings',
        'show',
        '--config',
        original,
        '--instance',
        'app',
        '--direction',
        side,
      ]);
      assert.equal(r.code, 0, r.stderr);
      sides.push(write(`shown-${side}.yaml`, r.stdout));
    }
    const reloaded = scimConfig(
      'reloaded.yaml',
      `    mappers: { outgoing: ${sides[0]}, incoming: ${sides[1]} }\n`,
    );
    for (const variant of ['create', 'update']) {
      const args = ['mappings', 'test', '--instance', 'app', '--variant', variant];
      const profile = ['--user-profile', JSON.stringify(PROFILE)];
      const a = await iam([...args, ...profile, '--config', original]);
      const b = await iam([...args, ...profile, '--config', reloaded]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.stdout, a.stdout, variant);
      const account = {
        userName: 'E-9',
        displayName: 'Lee, Ann',
        emails: [{ value: 'a@x.io', primary: true }],
      };
      const c = await iam([...args.slice(0, 4), '--account', JSON.stringify(account), '--config', original]);
      const d = await iam([...args.slice(0, 4), '--account', JSON.stringify(account), '--config', reloaded]);
      assert.deepEqual(JSON.parse(c.stdout), { employeeid: 'E-9', displayname: 'Lee, Ann', email: 'a@x.io' });
      assert.equal(d.stdout, c.stdout);
    }
    assert.equal(hits, 0, 'nothing reached the app');
  });

  test('no mappers: the connector default, both sides', async () => {
    const r = await iam(['mappings', 'show', '--config', scimConfig('d.yaml'), '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const scim = JSON.parse(JSON.stringify(builtInConnectors[0]?.mapping));
    assert.deepEqual(JSON.parse(r.stdout), { outgoing: scim, incoming: scim });
  });
});

describe('iam mappings test', () => {
  test('prints the payload of each variant, never olduserdata, with no call to the app', async () => {
    const config = scimConfig('t.yaml');
    const args = ['mappings', 'test', '--config', config, '--instance', 'app', '--user-profile'];
    const r = await iam([...args, JSON.stringify(PROFILE)]);
    assert.equal(r.code, 0, r.stderr);
    const payload = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(payload, {
      userName: PROFILE.username,
      emails: [{ type: 'work', primary: true, value: PROFILE.email }],
      name: { givenName: PROFILE.givenname, familyName: PROFILE.surname },
      displayName: `${PROFILE.givenname} ${PROFILE.surname}`,
      externalId: 'E-7',
      title: 'Engineer',
      phoneNumbers: [{ type: 'mobile', value: '+33 6 12' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', costCenter: 'CC-1' },
    });
    assert.equal(r.stdout.includes('olduserdata') || r.stdout.includes('zoe.old'), false);
    const y = await iam([...args, JSON.stringify({ username: 'ann' }), '--output', 'yaml']);
    assert.equal(y.stdout.trim(), 'userName: ann');
    assert.equal(hits, 0, 'nothing reached the app');
  });

  test('--account prints the profile the incoming mapping reads', async () => {
    const account = {
      id: '42',
      userName: 'ann',
      emails: [
        { value: 'other@x.io', type: 'home' },
        { value: 'ann@x.io', type: 'work', primary: true },
      ],
      name: { givenName: 'Ann' },
    };
    const r = await iam([
      'mappings',
      'test',
      '--config',
      scimConfig('a.yaml'),
      '--account',
      JSON.stringify(account),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { username: 'ann', email: 'ann@x.io', givenname: 'Ann' });
    assert.equal(hits, 0);
  });

  test('bad input: one line naming the field, exit 2', async () => {
    const config = scimConfig('b.yaml');
    const none = await iam(['mappings', 'test', '--config', config]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give --user-profile \(outgoing\) or --account \(incoming\)/);
    const bad = await iam(['mappings', 'test', '--config', config, '--account', '[1]']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^iam: error: account: expected a JSON object, got an array\n$/);
    const variant = await iam([
      'mappings',
      'test',
      '--config',
      config,
      '--user-profile',
      '{}',
      '--variant',
      'x',
    ]);
    assert.equal(variant.code, 2);
    assert.equal(variant.stderr.trim().split('\n').length, 1);
  });
});

describe('rule targets checked at load (brands whose schema is closed)', () => {
  const zoom = (name: string, rules: string) =>
    write(
      name,
      'instances:\n  z:\n    brand: Zoom\n    baseUrl: http://127.0.0.1:9/v2\n    accountId: a\n    clientId: c\n' +
        `    clientSecret: \${env:ZOOM_SECRET}\n    mappers:\n      outgoing:\n${rules}`,
    );
  const env = { ZOOM_SECRET: 's3cret-zoom' };

  test("every closed-schema brand's default mapping targets only its own fields", async () => {
    const { staticVerdict } = await import('../../src/core/mapping-targets.js');
    const { fieldOf } = await import('../../src/core/app-schema.js');
    for (const def of builtInConnectors.filter((d) => d.closedSchema)) {
      const fields = def.mappingFields.map(fieldOf);
      for (const rule of def.mapping)
        assert.equal(staticVerdict(fields, rule.app), undefined, `${def.brand} ${rule.app}`);
    }
  });

  test('an unknown attribute is a warning naming the file, rule and attribute; --strict refuses it', async () => {
    const config = zoom(
      'zoom.yaml',
      '        - { app: email, profile: email }\n        - { app: dept_name, profile: department }\n',
    );
    const r = await runIam(
      ['mappings', 'test', '--config', config, '--user-profile', '{"email":"a@b.c","department":"R&D"}'],
      {
        cwd: dir.path,
        env,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `iam: warning: ${config}: instance "z" mappers.outgoing rule 2: attribute "dept_name" is not a Zoom field (iam get-mapping-fields lists them)\n`,
    );
    assert.deepEqual(JSON.parse(r.stdout), { email: 'a@b.c', dept_name: 'R&D' });
    const strict = await runIam(
      ['get-user', '--config', config, '--strict', '--user-profile', '{"email":"a@b.c"}'],
      {
        cwd: dir.path,
        env,
      },
    );
    assert.equal(strict.code, 2);
    assert.match(
      strict.stderr,
      /^iam: error: .*rule 2: attribute "dept_name" is not a Zoom field .*; not loaded \(--strict\)\n$/,
    );
  });

  test('known attributes, including a sub-path of a declared one, load silently', async () => {
    const config = zoom(
      'zoom-ok.yaml',
      '        - { app: email, profile: email }\n        - { app: \'custom_attributes[key eq "cc"].value\', profile: costcentercode }\n',
    );
    const r = await runIam(['mappings', 'test', '--config', config, '--user-profile', '{"email":"a@b.c"}'], {
      cwd: dir.path,
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });
});
