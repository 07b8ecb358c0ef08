// Shared by the LDAP connector tests: one slapd per test file, clients on it, direct admin reads.
import { Client } from 'ldapts';
import { createIamClient, type IamClient } from '../../src/client.js';
import type { VendorRecord } from '../../src/core/record.js';
import { type Slapd, startSlapd } from '../servers/slapd.js';

export interface LdapHarness {
  slapd: Slapd;
  /** A client on an instance `l` of this slapd (extra settings or flags merged in). */
  client(extra?: Record<string, unknown>, opts?: { dryRun?: boolean }): IamClient;
  close(): Promise<void>;
}

export async function startLdap(): Promise<LdapHarness> {
  const slapd = await startSlapd();
  const clients: IamClient[] = [];
  return {
    slapd,
    client(extra = {}, opts = {}) {
      const c = createIamClient({ config: { instances: { l: slapd.instance(extra) } }, env: {}, ...opts });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await slapd.stop();
    },
  };
}

export const vendorOf = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;

/** Binds as `dn` with `password` on a fresh connection: true when the bind succeeds. */
export async function canBind(url: string, dn: string, password: string): Promise<boolean> {
  const c = new Client({ url, timeout: 10_000 });
  try {
    await c.bind(dn, password);
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 49) return false;
    throw e;
  } finally {
    await c.unbind();
  }
}
