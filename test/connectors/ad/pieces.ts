// The pure AD pieces (src/connectors/active-directory/) checked against a live DC with ldapts
// directly, so the byte orders and codes in them are the DC's, not only what the unit tests assume.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { explainAdDiagnostic } from '../../../src/connectors/active-directory/diagnostics.js';
import { guidFilter, guidFilterValue, guidFromBytes } from '../../../src/connectors/active-directory/guid.js';
import { encodeUnicodePwd } from '../../../src/connectors/active-directory/unicode-pwd.js';
import {
  parseAccountControl,
  UAC,
  withAccountDisabled,
} from '../../../src/connectors/active-directory/user-account-control.js';
import type { SambaAd } from '../../servers/samba-ad.js';

export async function ldaps(ad: SambaAd, dn = ad.adminDn, password = ad.adminPassword): Promise<Client> {
  const c = new Client({
    url: ad.ldapsUrl,
    tlsOptions: { ca: readFileSync(ad.caFile), servername: ad.tlsServerName },
  });
  try {
    await c.bind(dn, password);
  } catch (e) {
    await c.unbind().catch(() => undefined);
    throw e;
  }
  return c;
}

/** The error a call throws, as its message (fails the test when it does not throw). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('expected the DC to refuse');
}

const replace = (type: string, value: string | Buffer) =>
  new Change({ operation: 'replace', modification: new Attribute({ type, values: [value as string] }) });

export function piecesOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('AD pieces against the live DC (ldapts directly)', () => {
    test('objectGUID read back as bytes is found again by its escaped filter form', async () => {
      const ad = await dc();
      const c = await ldaps(ad);
      try {
        const base = await ou();
        const dn = `CN=guid-probe,${base}`;
        await c.add(dn, { objectClass: 'user', sAMAccountName: `guidprobe${process.pid}` });
        const { searchEntries } = await c.search(dn, {
          scope: 'base',
          attributes: ['objectGUID'],
          explicitBufferAttributes: ['objectGUID'],
        });
        const guid = guidFromBytes(searchEntries[0]?.objectGUID as Buffer);
        const found = await c.search(base, { filter: guidFilter(guid) ?? assert.fail('a GUID') });
        assert.deepEqual(
          found.searchEntries.map((e) => e.dn),
          [dn],
        );
        // The escaped string form, as an admin pastes it into ldapsearch (ldap-utils, installed with slapd).
        const cli = execFileSync(
          'ldapsearch',
          [
            '-x',
            '-LLL',
            '-H',
            ad.url,
            '-D',
            ad.adminDn,
            '-w',
            ad.adminPassword,
            '-b',
            base,
            `(objectGUID=${guidFilterValue(guid)})`,
            'cn',
          ],
          { encoding: 'utf8' },
        );
        assert.match(cli, /^dn: CN=guid-probe,OU=/m);
        // The DC's own string form of the same object (its <GUID=...> extended DN) is the same string.
        const byGuid = await c.search(`<GUID=${guid}>`, { scope: 'base', attributes: ['cn'] });
        assert.equal(byGuid.searchEntries[0]?.dn, dn);
      } finally {
        await c.unbind();
      }
    });

    test('ACCOUNTDISABLE flip keeps DONT_EXPIRE_PASSWORD and PASSWD_NOTREQD on the DC', async () => {
      const ad = await dc();
      const c = await ldaps(ad);
      try {
        const dn = `CN=uac-probe,${await ou()}`;
        const start = UAC.NORMAL_ACCOUNT | UAC.DONT_EXPIRE_PASSWORD | UAC.PASSWD_NOTREQD;
        await c.add(dn, {
          objectClass: 'user',
          sAMAccountName: `uacprobe${process.pid}`,
          userAccountControl: String(start),
        });
        const read = async () => {
          const r = await c.search(dn, { scope: 'base', attributes: ['userAccountControl'] });
          return parseAccountControl(r.searchEntries[0]?.userAccountControl);
        };
        await c.modify(dn, [replace('userAccountControl', String(withAccountDisabled(start, true)))]);
        assert.equal(await read(), start | UAC.ACCOUNTDISABLE);
        await c.modify(dn, [replace('userAccountControl', String(withAccountDisabled(start | 2, false)))]);
        assert.equal(await read(), start);
      } finally {
        await c.unbind();
      }
    });

    test('unicodePwd as encoded is the password the user then binds with', async () => {
      const ad = await dc();
      const c = await ldaps(ad);
      try {
        const dn = `CN=pwd-probe,${await ou()}`;
        const password = 'Pä$$w0rd-"quoted"';
        await c.add(dn, { objectClass: 'user', sAMAccountName: `pwdprobe${process.pid}` });
        await c.modify(dn, [replace('unicodePwd', encodeUnicodePwd(password, { url: ad.ldapsUrl }))]);
        await c.modify(dn, [replace('userAccountControl', '512')]);
        const user = await ldaps(ad, dn, password);
        await user.unbind();
      } finally {
        await c.unbind();
      }
    });

    test("the DC's diagnostics carry the codes the table explains (52D, 2071, 2030, 52e)", async () => {
      const ad = await dc();
      const c = await ldaps(ad);
      try {
        const base = await ou();
        const sam = `diagprobe${process.pid}`;
        await c.add(`CN=diag-probe,${base}`, { objectClass: 'user', sAMAccountName: sam });
        const weak = await refusal(
          c.modify(`CN=diag-probe,${base}`, [
            replace('unicodePwd', encodeUnicodePwd('a', { url: ad.ldapsUrl })),
          ]),
        );
        assert.equal(explainAdDiagnostic(weak)?.code, '0000052D', weak);
        const dup = await refusal(
          c.add(`CN=diag-probe2,${base}`, { objectClass: 'user', sAMAccountName: sam }),
        );
        assert.equal(explainAdDiagnostic(dup)?.code, '00002071', dup);
        const parent = await refusal(c.add(`CN=x,OU=no-such-ou,${base}`, { objectClass: 'user' }));
        assert.equal(explainAdDiagnostic(parent)?.code, '00002030', parent);
        const bind = await refusal(ldaps(ad, ad.adminDn, 'wrong-password'));
        assert.equal(explainAdDiagnostic(bind)?.meaning, 'wrong password', bind);
      } finally {
        await c.unbind();
      }
    });
  });
}
