// The Active-Directory brand as the conformance harness sees it: the shared DC, and a fresh OU per
// test (users and groups created there), so each row starts from an empty directory as on other brands.
// The suite talks to the DC through a counting TCP proxy (plain LDAP, the LDAP tests' proxy with no
// fault), so its "no request reached the app" rows are checked on the wire; LDAPS is tested apart.
import type { BrandEntry, Started } from '../../conformance/harness.js';
import { startLdapFaultProxy } from '../../servers/ldap-fault-proxy.js';
import type { SambaAd } from '../../servers/samba-ad.js';

/** An instance config (brand and settings) on the DC, over LDAPS with its CA, in `ou`. */
export function adInstance(ad: SambaAd, ou: string): Record<string, unknown> {
  return {
    brand: 'Active-Directory',
    url: ad.ldapsUrl,
    caFile: ad.caFile,
    tlsServerName: ad.tlsServerName,
    bindDn: ad.adminDn,
    password: ad.adminPassword,
    userBase: ou,
    groupBase: ou,
  };
}

/**
 * `disabledOu`: the instance moves disabled accounts to a second fresh OU outside userBase, so
 * every row also runs on accounts that move (and are found where they were parked).
 */
export function adEntry(
  dc: () => Promise<SambaAd>,
  freshOu: () => Promise<string>,
  opts: { disabledOu?: boolean } = {},
): BrandEntry {
  return {
    name: `Active-Directory (Samba AD DC)${opts.disabledOu ? ' with disabledOu' : ''}`,
    start: async (): Promise<Started> => {
      const ad = await dc();
      const proxy = await startLdapFaultProxy({
        targetPort: Number(new URL(ad.url).port),
        decide: () => 'none',
      });
      const sent = () => proxy.log.filter((r) => r.op !== 'unbind');
      let ou = await freshOu();
      let parking = opts.disabledOu ? await freshOu() : undefined;
      return {
        instance: () => ({
          ...adInstance(ad, ou),
          url: proxy.url,
          caFile: undefined,
          tlsServerName: undefined,
          ...(parking ? { disabledOu: parking } : {}),
        }),
        requestCount: () => sent().length,
        // A member change is one modify of the group (users are not modified by those rows).
        groupWrites: () => sent().filter((r) => r.op === 'modify').length,
        reset: async () => {
          ou = await freshOu();
          if (opts.disabledOu) parking = await freshOu();
        },
        // The DC is stopped once, by the test file, after every suite.
        close: () => proxy.close(),
      };
    },
  };
}
