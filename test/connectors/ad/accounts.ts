// What only Active Directory does, checked on the live DC: a disabled account really cannot bind
// (AD's data 533) and can after enable; the other userAccountControl bits survive; disabledOu and
// disabledGroup; a rename keeps the id and the group memberships; a password only over TLS.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Attribute, Change } from 'ldapts';
import { createIamClient, type IamClient } from '../../../src/client.js';
import { bindSubCode } from '../../../src/connectors/active-directory/diagnostics.js';
import { UAC } from '../../../src/connectors/active-directory/user-account-control.js';
import type { VendorRecord } from '../../../src/core/record.js';
import type { SambaAd } from '../../servers/samba-ad.js';
import { adInstance } from './entry.js';
import { ldaps } from './pieces.js';

export const I = 'ad';
export function adClient(ad: SambaAd, ou: string, extra: Record<string, unknown> = {}): IamClient {
  return createIamClient({ config: { instances: { [I]: { ...adInstance(ad, ou), ...extra } } }, env: {} });
}

let n = 0;
/** A short unique sAMAccountName (AD allows 20 characters). */
export const sam = (tag: string) => `${tag}${++n}x${process.pid}`.slice(0, 20);
export const PASSWORD = 'Corr3ct-Horse-Battery!';

/** One attribute of an entry, read with ldapts directly. */
async function attr(ad: SambaAd, dn: string, name: string): Promise<string[]> {
  const c = await ldaps(ad);
  try {
    const r = await c.search(dn, { scope: 'base', attributes: [name] });
    const v = r.searchEntries[0]?.[name];
    return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
  } finally {
    await c.unbind();
  }
}

export const dnOf = (r: VendorRecord) => String((r.details as { dn?: unknown }).dn);

/** Binds as the account; the bind sub-code when AD refuses, else 'ok'. */
export async function bindAs(ad: SambaAd, dn: string, password: string): Promise<string> {
  try {
    (await ldaps(ad, dn, password)).unbind();
    return 'ok';
  } catch (e) {
    return bindSubCode((e as Error).message) ?? (e as Error).message;
  }
}

export function accountsOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('Active-Directory accounts', () => {
    test('a disabled account cannot bind (data 533) and can again after enable', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const p = { username: sam('bind'), givenname: 'Bea', surname: 'Bind', password: PASSWORD };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        assert.equal(made.success, true, String(made.errorMessage));
        assert.equal(await bindAs(ad, dnOf(made), PASSWORD), 'ok');
        const off = (await c.disableUser(I, { userProfile: { username: p.username } })).vendor;
        assert.deepEqual([off.success, off.active], [true, false], String(off.errorMessage));
        assert.equal(await bindAs(ad, dnOf(off), PASSWORD), '533');
        const on = (await c.enableUser(I, { userProfile: { username: p.username } })).vendor;
        assert.deepEqual([on.success, on.active], [true, true], String(on.errorMessage));
        assert.equal(await bindAs(ad, dnOf(on), PASSWORD), 'ok');
      } finally {
        await c.close();
      }
    });

    test('disable and enable keep DONT_EXPIRE_PASSWORD and PASSWD_NOTREQD', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const p = { username: sam('bits'), givenname: 'Bo', surname: 'Bits' };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        const dn = dnOf(made);
        const bits = UAC.NORMAL_ACCOUNT | UAC.DONT_EXPIRE_PASSWORD | UAC.PASSWD_NOTREQD;
        const admin = await ldaps(ad);
        await admin.modify(dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'userAccountControl', values: [String(bits)] }),
          }),
        ]);
        await admin.unbind();
        await c.disableUser(I, { userProfile: { username: p.username } });
        assert.deepEqual(await attr(ad, dn, 'userAccountControl'), [String(bits | UAC.ACCOUNTDISABLE)]);
        await c.enableUser(I, { userProfile: { username: p.username } });
        assert.deepEqual(await attr(ad, dn, 'userAccountControl'), [String(bits)]);
      } finally {
        await c.close();
      }
    });

    test('disabledOu: disable moves the account there, enable moves it back where it was', async () => {
      const ad = await dc();
      const home = await ou();
      const parking = await ou();
      const c = adClient(ad, home, { disabledOu: parking });
      try {
        const p = { username: sam('move'), givenname: 'Mo', surname: 'Move' };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        assert.ok(dnOf(made).endsWith(`,${home}`), dnOf(made));
        const off = (await c.disableUser(I, { userProfile: { username: p.username } })).vendor;
        assert.equal(off.success, true, String(off.errorMessage));
        assert.equal(dnOf(off), dnOf(made).replace(home, parking));
        // Still found while parked (outside userBase), by username and by id.
        const got = (await c.getUser(I, { userProfile: { username: p.username } })).vendor;
        assert.deepEqual([got.success, got.id, got.active], [true, made.id, false], String(got.errorMessage));
        const on = (await c.enableUser(I, { userProfile: { id: made.id } })).vendor;
        assert.equal(on.success, true, String(on.errorMessage));
        assert.equal(dnOf(on), dnOf(made));
        assert.equal(on.id, made.id);
        assert.deepEqual(await attr(ad, dnOf(on), 'adminDescription'), [], 'the origin note is removed');
      } finally {
        await c.close();
      }
    });

    test('disabledGroup: a disabled account is added to it, and removed on enable', async () => {
      const ad = await dc();
      const base = await ou();
      const c = adClient(ad, base, { disabledGroup: 'Disabled Accounts' });
      try {
        const g = await c.createGroup(I, { scim: { displayName: 'Disabled Accounts' } });
        assert.equal(g.success, true, String(g.errorMessage));
        const p = { username: sam('grp'), givenname: 'Gu', surname: 'Group' };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        await c.disableUser(I, { userProfile: { username: p.username } });
        const members = async () =>
          ((await c.getGroup(I, { scim: { id: g.id }, includeMembers: true })).members ?? []).map(
            (m) => m.value,
          );
        assert.deepEqual(await members(), [made.id]);
        await c.enableUser(I, { userProfile: { username: p.username } });
        assert.deepEqual(await members(), []);
      } finally {
        await c.close();
      }
    });

    test('a rename (cn and sAMAccountName) keeps the id and the group memberships', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const p = { username: sam('ren'), givenname: 'Ren', surname: 'Ame' };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        const g = await c.createGroup(I, { scim: { displayName: `Renamers ${n}` } });
        const add = await c.updateGroup(I, { scim: { id: g.id }, memberIdsToAdd: [made.id] });
        assert.equal(add.success, true, String(add.errorMessage));
        const now = sam('new');
        const r = (
          await c.updateUser(I, {
            userProfile: { ...p, username: now, cn: 'Ren Amed, Jr.', olduserdata: { username: p.username } },
          })
        ).vendor;
        assert.deepEqual([r.success, r.id, r.username], [true, made.id, now], String(r.errorMessage));
        assert.match(dnOf(r), /^CN=Ren Amed\\, Jr\.,/);
        const got = await c.getGroup(I, { scim: { id: g.id }, includeMembers: true });
        assert.deepEqual(
          got.members?.map((m) => [m.value, m.display]),
          [[made.id, now]],
        );
        assert.deepEqual(await attr(ad, dnOf(r), 'userPrincipalName'), [`${now}@example.test`]);
      } finally {
        await c.close();
      }
    });

    test('UPN: made from sAMAccountName@upnSuffix, found by, and the username with usernameAttribute', async () => {
      const ad = await dc();
      const base = await ou();
      const c = adClient(ad, base, { upnSuffix: 'corp.example', usernameAttribute: 'userPrincipalName' });
      try {
        const p = { username: sam('upn'), givenname: 'Up', surname: 'N' };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        const upn = `${p.username}@corp.example`;
        assert.deepEqual([made.success, made.username], [true, upn], String(made.errorMessage));
        const got = await c.getUser(I, { userProfile: { userprincipalname: upn } });
        assert.deepEqual([got.vendor.id, got.userProfile.username], [made.id, p.username]);
      } finally {
        await c.close();
      }
    });
  });
}
