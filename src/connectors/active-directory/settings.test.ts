import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../core/errors.js';
import { adSettings, dnsNameOf, domainOf, resolveAdSettings } from './settings.js';

const base = {
  url: 'ldaps://dc1.corp.example',
  bindDn: 'CN=svc-iam,OU=Service Accounts,DC=corp,DC=example',
  password: 'x',
};

test('defaults come from the domain of bindDn: CN=Users for users and groups, its DNS name as UPN suffix', () => {
  const s = resolveAdSettings(adSettings.parse(base));
  assert.deepEqual(
    [s.baseDn, s.userBase, s.groupBase, s.upnSuffix, s.usernameAttribute],
    [
      'DC=corp,DC=example',
      'CN=Users,DC=corp,DC=example',
      'CN=Users,DC=corp,DC=example',
      'corp.example',
      'sAMAccountName',
    ],
  );
});

test('what is given wins over the defaults', () => {
  const s = resolveAdSettings(
    adSettings.parse({
      ...base,
      baseDn: 'DC=ad,DC=corp',
      userBase: 'OU=Staff,DC=ad,DC=corp',
      upnSuffix: 'corp.com',
    }),
  );
  assert.deepEqual(
    [s.userBase, s.groupBase, s.upnSuffix],
    ['OU=Staff,DC=ad,DC=corp', 'CN=Users,DC=ad,DC=corp', 'corp.com'],
  );
});

test('a bindDn without DC= and no baseDn: a config error that says to set baseDn', () => {
  assert.throws(
    () => resolveAdSettings(adSettings.parse({ ...base, bindDn: 'CN=svc,O=corp' })),
    (e: unknown) => e instanceof ConfigError && /set baseDn, e.g. DC=corp,DC=example/.test(e.message),
  );
});

test('domain helpers keep an escaped comma inside a value', () => {
  assert.equal(domainOf('CN=Doe\\, Jane,OU=x,DC=a,DC=b'), 'DC=a,DC=b');
  assert.equal(dnsNameOf('DC=a, dc = b'), 'a.b');
});

test('bad values name the key and what was expected', () => {
  const r = adSettings.safeParse({ ...base, upnSuffix: '@corp.example', disabledOu: 'Disabled' });
  assert.equal(r.success, false);
  const issues = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  assert.ok(
    issues.includes('upnSuffix: expected a DNS suffix without @, e.g. corp.example'),
    issues.join('; '),
  );
  assert.ok(
    issues.some((i) => i.startsWith('disabledOu: expected the DN of')),
    issues.join('; '),
  );
});
