// XSOAR mapper exports (test/fixtures/soar, written from the public content repository's format)
// imported, then applied by our engine: the payload must be the one XSOAR computes from the same
// profile. Each expected payload is worked out by hand from XSOAR's semantics, in the comments.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'yaml';
import { mapIncoming, mapOutgoing } from './engine.js';
import { importSoarMapper, NotAMapperError, type SoarImport, soarPath } from './import-soar.js';
import { type LoadedMappers, loadMappers } from './load.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures/soar', name), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'iam-soar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The import written as a mapping file and loaded as an instance's mappers.outgoing would be. */
function loaded(r: SoarImport): LoadedMappers {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify({ outgoing: r.outgoing, incoming: r.incoming }));
  const ctx = { where: 'test', source: 'test', instance: 'x', baseDir: dir, lineOf: undefined };
  return loadMappers(
    { outgoing: r.outgoing ? file : undefined, incoming: r.incoming ? file : undefined },
    ctx,
  );
}
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

test('Okta outgoing (create and update types): the same payload as XSOAR for the same profile', () => {
  const r = importSoarMapper(fixture('okta-outgoing.json'));
  const rules = loaded(r).outgoing!;
  const profile = {
    username: 'JDoe',
    email: 'j.doe@corp.example',
    givenname: 'Jane',
    surname: "O'Doe",
    employeetype: 'Employee',
    department: 'R&D / Platform ',
    costcentercode: 'CC-7',
    hiredate: '02/01/2024',
    title: 'Engineer',
    mobilephone: '+1 555 0100',
    manageremail: 'boss@corp.example',
  };
  // XSOAR, "User Profile - Create": login = toLowerCase("JDoe"); displayName = concat("Jane", suffix
  // " ${surname}"); userType = MapValues(Employee->FTE); department = splitAndTrim("/") then join
  // " > "; costCenter kept by the filter employeetype isEqualString Employee; hireDate =
  // FormattedDateToEpoch("02/01/2024", "%d/%m/%Y") = 2024-01-02T00:00:00Z = 1704153600 s;
  // nickName = If-Then-Else(value==rhs "Engineer") -> "eng"; mobilePhone = replace(" ", "").
  // manager (ParseJSON of an email) has no equivalent: listed, not in the payload.
  assert.deepEqual(mapOutgoing(rules, profile, 'create'), {
    login: 'jdoe',
    email: 'j.doe@corp.example',
    firstName: 'Jane',
    lastName: "O'Doe",
    displayName: "Jane O'Doe",
    userType: 'FTE',
    department: 'R&D > Platform',
    costCenter: 'CC-7',
    hireDate: 1704153600,
    nickName: 'eng',
    mobilePhone: '+15550100',
  });
  // "User Profile - Update": login, firstName, lastName, title only.
  assert.deepEqual(mapOutgoing(rules, profile, 'update'), {
    login: 'jdoe',
    firstName: 'Jane',
    lastName: "O'Doe",
    title: 'Engineer',
  });
  // A contractor: MapValues Contractor->CTR, the filter drops costCenter, If-Then-Else's else.
  const contractor = { ...profile, employeetype: 'Contractor', title: 'Manager' };
  const c = mapOutgoing(rules, contractor, 'create');
  assert.deepEqual([c.userType, 'costCenter' in c, c.nickName], ['CTR', false, 'staff']);
  assert.deepEqual(r.untranslated, [
    { field: 'outgoing "User Profile - Create" manager', why: 'ParseJSON: no equivalent transform' },
  ]);
});

test('SCIM incoming: the same profile as XSOAR reads from the same SCIM user', () => {
  const r = importSoarMapper(fixture('scim-incoming.json'));
  assert.equal(r.outgoing, undefined);
  const user = {
    userName: 'jdoe',
    emails: [
      { value: 'j@corp.example', type: 'work', primary: true },
      { value: 'h@home.example', type: 'home' },
    ],
    name: { givenName: 'Jane', familyName: 'Doe' },
    [ENT]: { costCenter: 'CC-7', division: 'Cloud', department: 'r&d' },
    userType: 'Employee',
    externalId: 'E-1',
    phoneNumbers: [{ value: '1' }, { value: '2' }],
  };
  // XSOAR: Username = userName; Email = emails.[0].value (the first entry, here also the primary);
  // Cost Center Code = the URN key (its "2\.0" an escaped dot) .costCenter; Division = root URN +
  // accessor division; Department = toUpperCase(department); Employee Type = toLowerCase(userType).
  // Mobile Phone reads phoneNumbers.[1]: no equivalent path, listed.
  assert.deepEqual(mapIncoming(loaded(r).incoming!, user), {
    username: 'jdoe',
    email: 'j@corp.example',
    givenname: 'Jane',
    surname: 'Doe',
    costcentercode: 'CC-7',
    division: 'Cloud',
    department: 'R&D',
    employeetype: 'employee',
    employeeid: 'E-1',
  });
  assert.deepEqual(r.untranslated, [
    {
      field: 'incoming "User Profile" Mobile Phone',
      why: '"phoneNumbers.[1].value": entry [1] of a list has no equivalent path',
    },
  ]);
  assert.deepEqual(r.notes, [
    { field: 'incoming "User Profile" Email', why: '[0] read as the primary entry, else the first' },
  ]);
});

test('AD outgoing: a concat of two fields becomes a template, split + atIndex 0 a replace', () => {
  const r = importSoarMapper(fixture('ad-outgoing.json'));
  const rules = loaded(r).outgoing!;
  // XSOAR: cn = concat("Jane", suffix " ${surname}") = "Jane Doe"; samaccountname = split("@")
  // then atIndex 0 = "jane.doe"; title only when employeetype isEqualString Employee.
  const employee = {
    givenname: 'Jane',
    surname: 'Doe',
    email: 'jane.doe@corp.example',
    title: 'Engineer',
    employeetype: 'Employee',
  };
  assert.deepEqual(mapOutgoing(rules, employee, 'create'), {
    cn: 'Jane Doe',
    samaccountname: 'jane.doe',
    mail: 'jane.doe@corp.example',
    sn: 'Doe',
    title: 'Engineer',
  });
  // split("@") of a text without "@" is [text]; atIndex 0 is the text. No filter match: no title.
  const other = mapOutgoing(rules, { ...employee, email: 'nomail', employeetype: 'Contractor' }, 'update');
  assert.deepEqual([other.samaccountname, 'title' in other], ['nomail', false]);
  assert.deepEqual(r.untranslated, [
    { field: 'outgoing "User Profile" ou', why: 'no source (an empty simple and no complex)' },
  ]);
});

test('XSOAR paths: escaped dots, list indexes, URNs; expressions are not paths', () => {
  assert.deepEqual(soarPath('urn:scim:schemas:extension:enterprise:1\\.0.costCenter'), {
    path: 'urn:scim:schemas:extension:enterprise:1.0:costCenter',
    primary: false,
  });
  assert.deepEqual(soarPath('emails.[0].value'), { path: 'emails[primary eq true].value', primary: true });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: XSOAR's own ${field} syntax
  assert.deepEqual(soarPath('${name.givenName}'), { path: 'name.givenName', primary: false });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: XSOAR's own ${field} syntax
  assert.throws(() => soarPath('${a}-${b}'), /is an expression, not a path/);
});

test('not a mapper export: a NotAMapperError (the CLI exits 2)', () => {
  assert.throws(() => importSoarMapper({ type: 'classification', mapping: {} }), NotAMapperError);
  assert.throws(() => importSoarMapper([]), NotAMapperError);
  assert.throws(() => importSoarMapper({ type: 'mapping-incoming' }), NotAMapperError);
});
