// Passwords and refusals on the live DC: a password only over LDAPS or StartTLS, one the domain's
// policy refuses, a name in use, a container that does not exist, a computer account asked for as a
// user. Each says what happened and what to do; no password in any output; nothing left half made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SambaAd } from '../../servers/samba-ad.js';
import { adClient, bindAs, dnOf, I, PASSWORD, sam } from './accounts.js';

export function refusalsOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('Active-Directory: passwords and refusals', () => {
    test('a password over plain LDAP is refused before anything is written, never shown', async () => {
      const ad = await dc();
      const base = await ou();
      const c = adClient(ad, base, { url: ad.url, caFile: undefined, tlsServerName: undefined });
      try {
        const p = { username: sam('plain'), givenname: 'Pl', surname: 'Ain', password: PASSWORD };
        const r = await c.createUser(I, { userProfile: p });
        assert.equal(r.vendor.success, false);
        assert.match(r.vendor.errorMessage, /only over an encrypted connection: set url to ldaps/);
        assert.equal(JSON.stringify(r).includes(PASSWORD), false, 'the password is in no output');
        const got = (await c.getUser(I, { userProfile: { username: p.username } })).vendor;
        assert.equal(got.errorCode, 404, 'nothing was created');
      } finally {
        await c.close();
      }
    });

    test("a rename onto a sAMAccountName in use: 409 with AD's code explained", async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const a = { username: sam('ina'), givenname: 'In', surname: 'A' };
        const b = { username: sam('inb'), givenname: 'In', surname: 'B' };
        await c.createUser(I, { userProfile: a });
        await c.createUser(I, { userProfile: b });
        const r = (
          await c.updateUser(I, {
            userProfile: { ...b, username: a.username, olduserdata: { username: b.username } },
          })
        ).vendor;
        assert.deepEqual([r.success, r.errorCode], [false, 409]);
        assert.match(r.errorMessage, /00002071.*already exists .*sAMAccountName and cn must be unique/);
      } finally {
        await c.close();
      }
    });

    test('with userBase at the domain, a computer account (the DC, DC1$) is never found as a user', async () => {
      const ad = await dc();
      const c = adClient(ad, ad.baseDn, { allowDelete: true });
      try {
        const admin = (await c.getUser(I, { userProfile: { username: 'Administrator' } })).vendor;
        assert.equal(admin.success, true, 'people are found from the domain root');
        for (const command of ['getUser', 'disableUser', 'deleteUser'] as const) {
          const r = (await c[command](I, { userProfile: { username: 'DC1$' } })).vendor;
          assert.equal(
            r.errorCode === 404 || r.reason === 'User does not exist',
            true,
            `${command}: ${JSON.stringify(r)}`,
          );
        }
        const conn = c.runtime(I).connector;
        const listed = await conn.listUsers?.({ limit: 1000 });
        assert.equal(
          listed?.items.some((a) => a.username === 'DC1$'),
          false,
        );
      } finally {
        await c.close();
      }
    });

    test('a userBase that does not exist: the record names the setting, never "User does not exist"', async () => {
      const ad = await dc();
      const missing = `OU=No Such OU ${process.pid},${ad.baseDn}`;
      const c = adClient(ad, missing);
      try {
        const r = (await c.getUser(I, { userProfile: { username: sam('nobase') } })).vendor;
        assert.equal(r.success, false);
        assert.ok(
          r.errorMessage.startsWith(`userBase ${missing} does not exist on the directory`),
          r.errorMessage,
        );
      } finally {
        await c.close();
      }
    });

    test('a password over StartTLS on ldap:// is set: the user binds with it', async () => {
      const ad = await dc();
      const c = adClient(ad, await ou(), { url: ad.url, startTls: true });
      try {
        const p = { username: sam('stls'), givenname: 'St', surname: 'Tls', password: PASSWORD };
        const made = (await c.createUser(I, { userProfile: p })).vendor;
        assert.equal(made.success, true, made.errorMessage);
        assert.equal(await bindAs(ad, dnOf(made), PASSWORD), 'ok');
      } finally {
        await c.close();
      }
    });

    test("a password AD's policy refuses: the message says so, the password is in no output", async () => {
      const ad = await dc();
      const c = adClient(ad, await ou());
      try {
        const weak = 'ab';
        const p = { username: sam('weak'), givenname: 'We', surname: 'Ak', password: weak };
        const r = await c.createUser(I, { userProfile: p });
        assert.equal(r.vendor.success, false);
        assert.match(r.vendor.errorMessage, /0000052D.*password does not meet the domain's password policy/);
        assert.match(r.vendor.errorMessage, /the new account .* was deleted again/);
        assert.equal(JSON.stringify(r).includes(`"${weak}"`), false, 'the password is in no output');
        const got = (await c.getUser(I, { userProfile: { username: p.username } })).vendor;
        assert.equal(got.errorCode, 404, 'no account is left half made');
      } finally {
        await c.close();
      }
    });
  });
}
