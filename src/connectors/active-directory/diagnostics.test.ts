import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindSubCode, explainAdDiagnostic } from './diagnostics.js';

// Diagnostic messages as a Samba 4.17 DC returned them (see test/connectors/active-directory.test.ts
// for the same codes read back from a live DC).
test('a weak password: 0000052D names the password policy', () => {
  const d = explainAdDiagnostic(
    '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 7 characters!',
  );
  assert.equal(d?.code, '0000052D');
  assert.match(d?.meaning ?? '', /password does not meet the domain's password policy/);
});

test('a name in use: 00002071 says sAMAccountName and cn must be unique', () => {
  const d = explainAdDiagnostic("00002071: samldb: samAccountName 'u1' already in use!");
  assert.match(d?.meaning ?? '', /already exists.*sAMAccountName and cn must be unique/);
});

test('a missing parent OU: 00002030 points at the base DN settings', () => {
  const d = explainAdDiagnostic(
    '00002030: objectclass: Cannot add CN=u4,OU=nope,DC=x, parent does not exist!',
  );
  assert.match(d?.meaning ?? '', /check userBase, groupBase and disabledOu/);
});

test('bind sub-codes: 52e wrong password, 533 disabled, 775 locked out', () => {
  const msg = (code: string) =>
    `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${code}, v1db1`;
  assert.equal(bindSubCode(msg('533')), '533');
  assert.deepEqual(explainAdDiagnostic(msg('533')), { code: '533', meaning: 'the account is disabled' });
  assert.equal(explainAdDiagnostic(msg('52e'))?.meaning, 'wrong password');
  assert.equal(explainAdDiagnostic(msg('775'))?.meaning, 'the account is locked out');
});

test('the code is found after a prefix that names the operation', () => {
  const d = explainAdDiagnostic(
    "LDAP add CN=Jane,CN=Users,DC=example,DC=test: 00002071: samldb: samAccountName 'jd' already in use! (68)",
  );
  assert.equal(d?.code, '00002071');
});

test('an unknown code or plain text explains nothing', () => {
  assert.equal(explainAdDiagnostic('0000FFFF: something'), null);
  assert.equal(explainAdDiagnostic('Entry CN=u1,CN=Users,DC=x already exists'), null);
  assert.equal(bindSubCode('no data here'), null);
});
