// Schema discovery through the CLI: `get-mapping-fields` reads a SCIM app's /Schemas and
// /ResourceTypes (types, multi-valuedness, mutability, extensions), falls back to the static list
// when the app has none, and `iam mappings check` reports rules whose target is unknown or read-only.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RequestHandler } from 'express';
import { scimMappingFields } from '../../src/scim/mapping.js';
import { tempDir } from '../conformance/harness.js';
import { type ScimPeer, startScimPeer } from '../servers/scim-peer.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { sendScimError } from '../servers/scim-support.js';
import { runIam } from '../support/run-iam.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const dir = tempDir('iam-schema-');

/** An app without discovery: /Schemas and /ResourceTypes answer `status` (a SCIM error body). */
const noSchemas =
  (status: number): RequestHandler =>
  (req, res, next) => {
    if (/^\/(Schemas|ResourceTypes)/.test(req.path)) sendScimError(res, status, 'Not supported');
    else next();
  };

/** An app with a custom extension of its own (acme costCenter), declared as RFC 7643 7 says. */
const acmeSchemas: RequestHandler = (req, res, next) => {
  const list = (Resources: unknown[]) => ({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: Resources.length,
    Resources,
  });
  const attr = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    type: 'string',
    multiValued: false,
    required: false,
    mutability: 'readWrite',
    ...extra,
  });
  if (req.path === '/ResourceTypes') {
    res.json(
      list([
        {
          id: 'User',
          name: 'User',
          endpoint: '/Users',
          schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
          schemaExtensions: [{ schema: ACME, required: false }],
        },
      ]),
    );
  } else if (req.path === '/Schemas') {
    res.json(
      list([
        {
          id: 'urn:ietf:params:scim:schemas:core:2.0:User',
          name: 'User',
          attributes: [
            attr('userName', { required: true }),
            attr('emails', {
              type: 'complex',
              multiValued: true,
              subAttributes: [attr('value'), attr('type'), attr('primary', { type: 'boolean' })],
            }),
            attr('groups', { type: 'complex', multiValued: true, mutability: 'readOnly' }),
          ],
        },
        {
          id: ACME,
          name: 'Acme',
          attributes: [attr('costCenter'), attr('badgeNumber', { type: 'integer', mutability: 'immutable' })],
        },
        { id: 'urn:example:unrelated:Device', name: 'Device', attributes: [attr('serial')] },
      ]),
    );
  } else next();
};

let scimmy: ScimTestServer;
let missing: ScimPeer;
let notImplemented: ScimPeer;
let acme: ScimPeer;
before(async () => {
  scimmy = await startScimServer({ patch: true });
  missing = await startScimPeer({ before: [noSchemas(404)] });
  notImplemented = await startScimPeer({ before: [noSchemas(501)] });
  acme = await startScimPeer({ before: [acmeSchemas] });
});
after(async () => {
  await Promise.all([scimmy, missing, notImplemented, acme].map((s) => s.close()));
  dir.cleanup();
});

function configFor(server: ScimTestServer, mappers = ''): string {
  const path = join(dir.path, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `instances:\n  app:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:TOKEN}\n${mappers}`,
  );
  return path;
}

const iam = (server: ScimTestServer, args: string[], mappers = '') =>
  runIam([...args, '--config', configFor(server, mappers)], { cwd: dir.path, env: { TOKEN: server.token } });

interface Fields {
  fields: string[];
  attributes: { path: string; type: string; multiValued: boolean; mutability: string; required?: boolean }[];
  source: string;
  details?: string;
}

async function fields(server: ScimTestServer): Promise<Fields> {
  const r = await iam(server, ['get-mapping-fields', '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { MappingFields: Fields }).MappingFields;
}

describe('get-mapping-fields: schema discovery', () => {
  test("scimmy's /Schemas: sub-attributes, the enterprise extension, types and mutability", async () => {
    const f = await fields(scimmy);
    assert.equal(f.source, 'app');
    const at = (path: string) => f.attributes.find((a) => a.path === path);
    assert.deepEqual(at('userName'), {
      path: 'userName',
      type: 'string',
      multiValued: false,
      mutability: 'readWrite',
      required: true,
    });
    assert.deepEqual([at('emails')?.type, at('emails')?.multiValued], ['complex', true]);
    assert.deepEqual([at('emails.value')?.type, at('name.givenName')?.type], ['string', 'string']);
    assert.equal(at('groups')?.mutability, 'readOnly');
    assert.equal(at('password')?.mutability, 'writeOnly');
    assert.equal(at('id')?.mutability, 'readOnly', 'common attributes (RFC 7643 3.1) are listed');
    assert.equal(at(`${ENT}:department`)?.type, 'string');
    assert.equal(at(`${ENT}:manager.displayName`)?.mutability, 'readOnly');
    assert.deepEqual(
      f.fields,
      f.attributes.map((a) => a.path),
      'the plain name list is kept',
    );
  });

  test('a custom extension from /ResourceTypes; schemas of other resources are left out', async () => {
    const f = await fields(acme);
    assert.equal(f.source, 'app');
    const at = (path: string) => f.attributes.find((a) => a.path === path);
    assert.equal(at(`${ACME}:costCenter`)?.mutability, 'readWrite');
    assert.deepEqual(
      [at(`${ACME}:badgeNumber`)?.type, at(`${ACME}:badgeNumber`)?.mutability],
      ['integer', 'immutable'],
    );
    assert.equal(at('emails.primary')?.type, 'boolean');
    assert.equal(at('serial') ?? at('urn:example:unrelated:Device:serial'), undefined);
  });

  for (const [status, server] of [
    [404, () => missing],
    [501, () => notImplemented],
  ] as const) {
    test(`an app whose /Schemas answers ${status}: the static list, and details say so`, async () => {
      const f = await fields(server());
      assert.equal(f.source, 'static');
      assert.match(f.details ?? '', /the app has no \/Schemas: the connector's static list/);
      assert.deepEqual(f.fields, [...scimMappingFields]);
    });
  }

  test('a token the app refuses: one line naming the instance and the reason, exit 1, no secret', async () => {
    for (const args of [['get-mapping-fields'], ['mappings', 'check']]) {
      const r = await runIam([...args, '--config', configFor(scimmy)], {
        cwd: dir.path,
        env: { TOKEN: 'wrong-t0ken' },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^iam: error: instance "app": .*the app's schema could not be read: .*\n$/);
      assert.equal(r.stderr.includes('wrong-t0ken'), false);
    }
  });

  test('table output: one line a field with type, multi/single and mutability', async () => {
    const r = await iam(scimmy, ['get-mapping-fields', '--output', 'table']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Mapping Fields \(SCIM, app; read from the app\)\n/);
    assert.match(r.stdout, /\n {2}emails +complex +multi +readWrite\n/);
    assert.match(r.stdout, /\n {2}userName +string +single +readWrite +required\n/);
  });
});

describe('iam mappings check', () => {
  test('the SCIM default mapping: every target exists and is writable in scimmy (exit 0)', async () => {
    const r = await iam(scimmy, ['mappings', 'check']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /outgoing rule 10: urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:employeeNumber {2}ok/,
    );
  });

  test('an unknown and a read-only target are reported by rule and attribute (exit 1)', async () => {
    const mappers = [
      '    mappers:',
      '      outgoing:',
      '        - { app: userName, profile: username }',
      `        - { app: "${ACME}:costCenter", profile: costcentercode }`,
      `        - { app: "${ACME}:costCentre", profile: department }`,
      '        - { app: groups, profile: title }',
      '        - { app: nickName, profile: username }',
      '',
    ].join('\n');
    const r = await iam(acme, ['mappings', 'check', '--output', 'json'], mappers);
    assert.equal(r.code, 1, r.stderr);
    const check = (JSON.parse(r.stdout) as { MappingCheck: { rules: { rule: number; verdict: string }[] } })
      .MappingCheck;
    assert.deepEqual(
      check.rules.map((c) => [c.rule, c.verdict]),
      [
        [1, 'ok'],
        [2, 'ok'],
        [3, 'unknown'],
        [4, 'readOnly'],
        [5, 'unknown'],
      ],
    );
    assert.match(
      r.stderr,
      new RegExp(`outgoing rule 3: attribute "${ACME}:costCentre" is not in the app's schema`),
    );
    assert.match(r.stderr, /outgoing rule 4: attribute "groups" is read-only in the app's schema/);
  });

  test('no /Schemas: checked against the static list, and said so', async () => {
    const mappers = '    mappers: { outgoing: [ { app: nickname2, profile: username } ] }\n';
    const r = await iam(missing, ['mappings', 'check'], mappers);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /against the connector's list \(the app has no \/Schemas/);
    assert.match(r.stderr, /outgoing rule 1: attribute "nickname2" is not in the connector's list/);
  });
});
