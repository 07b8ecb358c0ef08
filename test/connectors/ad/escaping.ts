// RFC 4514 DN escaping and RFC 4515 filter safety on a live AD: account names (cn, the RDN) with a
// comma, a plus, quotes, a leading '#', a leading or trailing space, a backslash and non-ASCII
// characters are created, found, renamed and read back exactly; a lookup value holding filter
// syntax finds only the account that holds that exact value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SambaAd } from '../../servers/samba-ad.js';
import { adClient, I, sam } from './accounts.js';

const NAMES = [
  'Doe, Jane',
  'A+B Team',
  'Say "hi"',
  '#hash first',
  ' leading space',
  'trailing space ',
  'back\\slash',
  'Zoë Ñandú 日本',
  'semi;colon <angle> =eq',
];

export function escapingOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('Active-Directory: escaping', () => {
    for (const cn of NAMES) {
      test(`cn ${JSON.stringify(cn)}: create, get, rename and read back exactly`, async () => {
        const ad = await dc();
        const c = adClient(ad, await ou());
        try {
          const p = { username: sam('esc'), givenname: 'Es', surname: 'Cape', cn };
          const made = (await c.createUser(I, { userProfile: p })).vendor;
          assert.equal(made.success, true, String(made.errorMessage));
          const got = await c.getUser(I, { userProfile: { username: p.username } });
          assert.deepEqual([got.vendor.id, got.userProfile.cn], [made.id, cn]);
          const renamed = `${cn} (2)`;
          const r = (await c.updateUser(I, { userProfile: { username: p.username, cn: renamed } })).vendor;
          assert.deepEqual([r.success, r.id], [true, made.id], String(r.errorMessage));
          const again = await c.getUser(I, { userProfile: { id: made.id } });
          assert.equal(again.userProfile.cn, renamed);
        } finally {
          await c.close();
        }
      });
    }

    test('a lookup value with filter syntax (*, parentheses, backslash) matches only itself', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const odd = `st*r(x)\\y.${process.pid}@example.test`;
        const a = (await c.createUser(I, { userProfile: { username: sam('fa'), email: odd, surname: 'A' } }))
          .vendor;
        const b = (
          await c.createUser(I, {
            userProfile: { username: sam('fb'), email: `plain.${process.pid}@example.test`, surname: 'B' },
          })
        ).vendor;
        assert.equal(a.success && b.success, true, a.errorMessage + b.errorMessage);
        const got = (await c.getUser(I, { userProfile: { email: odd } })).vendor;
        assert.deepEqual([got.success, got.id], [true, a.id]);
        for (const probe of ['*', `*@example.test`, `st*`, `*)(mail=*`]) {
          const r = (await c.getUser(I, { userProfile: { email: probe } })).vendor;
          assert.deepEqual([r.success, r.errorCode], [false, 404], probe);
        }
      } finally {
        await c.close();
      }
    });

    test('a group named with a comma, plus, quotes and a leading # is created and found by name', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const name = '#R&D, "Ops" + Ünïcode';
        const g = await c.createGroup(I, { scim: { displayName: name } });
        assert.equal(g.success, true, String(g.errorMessage));
        const byName = await c.getGroup(I, { scim: { displayName: name } });
        assert.deepEqual([byName.success, byName.id, byName.displayName], [true, g.id, name]);
      } finally {
        await c.close();
      }
    });
  });
}
