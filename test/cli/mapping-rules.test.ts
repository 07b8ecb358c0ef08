// The extended mapping format through the built CLI against the repo's SCIM server, asserted on the
// wire: { create, update } variants, constants, templates, transforms, a condition, a custom SCIM
// extension (declared on the server as an app declares its own schema) going out under its URN and
// coming back through the incoming mapping on get-user, and values with quotes, backslashes,
// newlines and unicode arriving unchanged. A load error is one line naming file, line and rule.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import SCIMMY from 'scimmy';
import { tempDir } from '../conformance/harness.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { runIam } from '../support/run-iam.js';

const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TRICKY = 'O\'Brien "q" \\ x\nline 2 — 名前 👩‍💻';

// The app's own extension schema (what its /Schemas would list): without it the server drops it.
SCIMMY.Schemas.User.definition.extend(
  new SCIMMY.Types.SchemaDefinition('AcmeUser', ACME, 'Acme Corp user extension', [
    new SCIMMY.Types.Attribute('string', 'costCenter'),
    new SCIMMY.Types.Attribute('string', 'badge'),
  ]),
  false,
);

const MAPPING = `outgoing:
  create:
    - { app: userName, profile: username, transform: [trim, lowercase] }
    - { app: 'emails[type eq "work"].value', profile: email, with: { primary: true } }
    - { app: name.givenName, profile: givenname }
    - { app: name.familyName, profile: surname }
    - { app: displayName, template: '{surname}, {givenname}' }
    - { app: title, profile: title, transform: [{ default: New hire }] }
    - { app: userType, value: Employee }
    - app: '${ACME}:costCenter'
      profile: costcenter
      transform: [{ lookup: { table: { '42': CC-042 } } }]
    - { app: '${ACME}:badge', profile: note }
    - app: '${ENT}:department'
      value: Contractors
      when: { field: email, matches: '@contractor\\.example$' }
  update:
    - { app: userName, profile: username, transform: [trim, lowercase] }
    - { app: title, profile: title }
    - { app: '${ACME}:badge', profile: note }
incoming:
  - { app: userName, profile: username }
  - { app: 'emails[type eq "work"].value', profile: email, with: { primary: true } }
  - { app: displayName, profile: displayname }
  - { app: title, profile: title }
  - { app: '${ACME}:costCenter', profile: costcenter }
  - { app: '${ACME}:badge', profile: note }
  - { app: userType, profile: employeetype, transform: [lowercase] }
  - { app: '${ENT}:department', profile: department }
`;

const dir = tempDir('iam-mapping-rules-');
let server: ScimTestServer;
let config: string;
before(async () => {
  server = await startScimServer();
  mkdirSync(join(dir.path, 'mappings'));
  writeFileSync(join(dir.path, 'mappings', 'acme.yaml'), MAPPING);
  config = join(dir.path, 'iam.yaml');
  writeFileSync(
    config,
    `instances:\n  acme:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: \${env:TOKEN}\n    mappers:\n      outgoing: ./mappings/acme.yaml\n`,
    { mode: 0o600 },
  );
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const iam = (args: string[], cfg = config) =>
  runIam([...args, '--config', cfg, '--instance', 'acme', '--output', 'json'], {
    cwd: dir.path,
    env: { TOKEN: server.token, IAM_AUDIT_LOG: join(dir.path, 'audit.log') },
  });
const profileOf = (stdout: string) =>
  (
    JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"IAM"')) ?? '{}') as {
      IAM: { UserProfile: unknown };
    }
  ).IAM.UserProfile as Record<string, unknown>;

test('create sends the create variant; get-user reads the custom extension back through the incoming mapping', async () => {
  const profile = {
    username: '  J.Doe ',
    email: 'j.doe@contractor.example',
    givenname: 'Jane',
    surname: 'Doe',
    costcenter: '42',
    note: TRICKY,
  };
  const made = await iam(['create-user', '--user-profile', JSON.stringify(profile)]);
  assert.equal(made.code, 0, made.stderr);
  const post = server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Users'));
  assert.deepEqual(post?.body, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME, ENT],
    userName: 'j.doe',
    emails: [{ type: 'work', primary: true, value: 'j.doe@contractor.example' }],
    name: { givenName: 'Jane', familyName: 'Doe' },
    displayName: 'Doe, Jane',
    title: 'New hire',
    userType: 'Employee',
    [ACME]: { costCenter: 'CC-042', badge: TRICKY },
    [ENT]: { department: 'Contractors' },
    active: true,
  });

  const got = await iam(['get-user', '--user-profile', '{"username":"j.doe"}']);
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(profileOf(got.stdout), {
    username: 'j.doe',
    email: 'j.doe@contractor.example',
    displayname: 'Doe, Jane',
    title: 'New hire',
    costcenter: 'CC-042',
    note: TRICKY,
    employeetype: 'employee',
    department: 'Contractors',
  });
});

test('update sends only the update variant, the extension attribute by its URN path', async () => {
  const before = server.requests.length;
  const changed = `${TRICKY} (2)`;
  const r = await iam([
    'update-user',
    '--user-profile',
    JSON.stringify({ username: 'J.DOE', title: 'Lead', note: changed, costcenter: '42', givenname: 'X' }),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const writes = server.requests.slice(before).filter((q) => q.method !== 'GET');
  assert.equal(writes.length, 1, JSON.stringify(writes));
  const sent = JSON.stringify(writes[0]?.body ?? null);
  assert.ok(!sent.includes('CC-042') && !sent.includes('givenName'), `create-only rules left out: ${sent}`);
  const stored = server.users().find((u) => u.userName === 'j.doe');
  assert.ok(stored, 'the user is still there');
  assert.equal(stored.title, 'Lead');
  assert.deepEqual(stored[ACME], { costCenter: 'CC-042', badge: changed });
  assert.deepEqual((stored.name as Record<string, unknown>).givenName, 'Jane');
});

test('a mapping file with an unknown transform: exit 2, one line naming file, line and rule', async () => {
  writeFileSync(
    join(dir.path, 'mappings', 'bad.yaml'),
    '- { app: userName, profile: username }\n- app: title\n  profile: title\n  transform: [lowercas]\n',
  );
  const bad = join(dir.path, 'bad.yaml');
  writeFileSync(
    bad,
    `instances:\n  acme:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: x\n    mappers:\n      outgoing: ./mappings/bad.yaml\n`,
    { mode: 0o600 },
  );
  const r = await iam(['get-user', '--user-profile', '{"username":"j.doe"}'], bad);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'iam: error: mappings/bad.yaml:4: rule 2: unknown transform "lowercas" (did you mean "lowercase"?)\n',
  );
});
