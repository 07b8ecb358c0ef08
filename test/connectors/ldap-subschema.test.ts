// get-mapping-fields on a real slapd: the user object classes' attributes read from the subschema
// entry (MUST/MAY through superclasses, SINGLE-VALUE, NO-USER-MODIFICATION), and `iam mappings
// check`'s verdicts against it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkMapping } from '../../src/cli/mappings-check.js';
import { allowed, byName, parseDefinition } from '../../src/ldap/subschema.js';
import { type LdapHarness, startLdap } from './ldap-support.js';

let h: LdapHarness;
before(async () => {
  h = await startLdap();
});
after(() => h.close());

test('the subschema: inetOrgPerson and its superclasses, types, single-valued and read-only', async () => {
  const r = await h.client().mappingFields('l');
  assert.equal(r.source, 'app', r.details);
  const at = (p: string) => r.attributes.find((a) => a.path === p);
  // person MUSTs: sn, cn (through organizationalPerson -> person).
  assert.deepEqual(at('sn'), {
    path: 'sn',
    type: 'string',
    multiValued: true,
    mutability: 'readWrite',
    required: true,
  });
  assert.equal(at('cn')?.required, true);
  // inetOrgPerson: displayName and preferredLanguage are SINGLE-VALUE, mail multi-valued.
  assert.deepEqual([at('displayName')?.multiValued, at('mail')?.multiValued], [false, true]);
  assert.equal(at('manager')?.type, 'reference', 'a DN');
  assert.equal(at('jpegPhoto')?.type, 'binary');
  assert.ok(at('uid') && at('telephoneNumber') && at('employeeNumber'));
  assert.equal(at('gidNumber'), undefined, 'not an attribute of the user classes');
});

test('mappings check against slapd: the default mapping is clean; an unknown attribute is named', async () => {
  const clean = await checkMapping(h.client(), 'l');
  assert.deepEqual(
    clean.rules.filter((c) => c.verdict !== 'ok'),
    [],
  );
  const c = h.client({
    mappers: {
      outgoing: [
        { app: 'uid', profile: 'username' },
        { app: 'costCentre', profile: 'department' },
      ],
    },
  });
  const bad = await checkMapping(c, 'l');
  assert.deepEqual(
    bad.rules.map((x) => [x.app, x.verdict]),
    [
      ['uid', 'ok'],
      ['costCentre', 'unknown'],
    ],
  );
});

test('RFC 4512 descriptions: NAME lists, SUP, MUST/MAY lists, flags, syntax lengths', () => {
  const d = parseDefinition(
    "( 2.5.18.1 NAME ( 'createTimestamp' 'ct' ) DESC 'RFC4512: (a) $ b' EQUALITY generalizedTimeMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24{64} SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
  );
  assert.deepEqual(
    [d.names, d.syntax, d.singleValue, d.noUserModification],
    [['createTimestamp', 'ct'], '1.3.6.1.4.1.1466.115.121.1.24', true, true],
  );
  const c = parseDefinition(
    "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ seeAlso ) )",
  );
  assert.deepEqual([c.sup, c.must, c.may], [['top'], ['sn', 'cn'], ['userPassword', 'seeAlso']]);
  // Active Directory quotes the syntax OID.
  const q = parseDefinition(
    "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
  );
  assert.equal(q.syntax, '1.3.6.1.4.1.1466.115.121.1.15');
});

test("Active Directory's form: a DIT content rule's AUX classes (securityPrincipal) add sAMAccountName", () => {
  const classes = byName([
    "( 2.5.6.0 NAME 'top' ABSTRACT MUST ( objectClass ) MAY ( description ) )",
    "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( cn ) MAY ( sn ) )",
    "( 1.2.840.113556.1.5.9 NAME 'user' SUP person STRUCTURAL MAY ( userAccountControl ) )",
    "( 1.2.840.113556.1.5.6 NAME 'securityPrincipal' SUP top AUXILIARY MUST ( objectSid $ sAMAccountName ) MAY ( sIDHistory ) )",
  ]);
  const rules = byName(["( 1.2.840.113556.1.5.9 NAME 'user' AUX ( securityPrincipal ) MAY ( msDS-Extra ) )"]);
  const got = allowed(classes, ['user'], rules);
  assert.deepEqual(
    [got.get('sAMAccountName'), got.get('sIDHistory'), got.get('msDS-Extra'), got.get('cn'), got.get('sn')],
    [true, false, false, true, false],
  );
  assert.equal(
    allowed(classes, ['user']).has('sAMAccountName'),
    false,
    'without the content rule it is not there',
  );
});
