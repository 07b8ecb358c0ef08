// Every Active-Directory test, in this one file: the DC's ports are fixed (one per machine), so the
// file starts one real Samba AD DC (test/servers/samba-ad.ts) and every suite below shares it. Each
// suite works in its own fresh OU, so nothing depends on what another suite left behind.
import { after, describe } from 'node:test';
import type { Client } from 'ldapts';
import { runConformance } from '../conformance/suite.js';
import { type SambaAd, startSambaAd } from '../servers/samba-ad.js';
import { accountsOnTheDc } from './ad/accounts.js';
import { cliOnTheDc } from './ad/cli.js';
import { adEntry } from './ad/entry.js';
import { escapingOnTheDc } from './ad/escaping.js';
import { ldaps, piecesOnTheDc } from './ad/pieces.js';
import { refusalsOnTheDc } from './ad/refusals.js';
import { schemaOnTheDc } from './ad/schema.js';

let started: Promise<SambaAd> | undefined;
/** The DC, started on first use (so a DC that will not start fails the first test, saying why). */
const dc = (): Promise<SambaAd> => {
  started ??= startSambaAd();
  return started;
};
after(async () => {
  if (started) await (await started.catch(() => null))?.stop();
});

let ous = 0;
/** A fresh, empty OU under the domain. */
export async function freshOu(): Promise<string> {
  const ad = await dc();
  ous += 1;
  const dn = `OU=t${ous}-${process.pid},${ad.baseDn}`;
  const c: Client = await ldaps(ad);
  try {
    await c.add(dn, { objectClass: 'organizationalUnit' });
  } finally {
    await c.unbind();
  }
  return dn;
}

describe('Active-Directory on a real Samba AD DC', () => {
  piecesOnTheDc(dc, freshOu);
  describe('conformance: Active-Directory', () => runConformance(adEntry(dc, freshOu)));
  describe('conformance: Active-Directory with disabledOu', () =>
    runConformance(adEntry(dc, freshOu, { disabledOu: true })));
  accountsOnTheDc(dc, freshOu);
  refusalsOnTheDc(dc, freshOu);
  escapingOnTheDc(dc, freshOu);
  cliOnTheDc(dc, freshOu);
  schemaOnTheDc(dc, freshOu);
});
