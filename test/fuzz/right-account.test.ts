// Property: never the wrong account. For any set of usernames made of the characters that mean
// something to SQL, SCIM filters, LDAP filters and DNs (`* ( ) \ " , = + < > # ; % _` and spaces),
// each created on a real store, a lookup by a username finds exactly the account made for it (a
// name equal to an earlier one under the app's own matching rule updates that account, or is
// refused), and a name nobody has finds nothing. Whatever a lookup finds is never another name's. Run on Local (SQLite), the repo's SCIM 2.0 server and
// OpenLDAP's slapd, each with its own equality: case-insensitive (Local: ASCII letters only), and
// for LDAP's caseIgnoreMatch also insignificant spaces (RFC 4518 2.6.1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { createIamClient, type IamClient } from '../../src/client.js';
import { type ScimTestServer, startScimServer } from '../servers/scim-server.js';
import { type Slapd, startSlapd } from '../servers/slapd.js';
import './report.js';

const RUNS = 25;
const CHARS = [
  'a',
  'b',
  'A',
  'é',
  'É',
  ' ',
  '*',
  '(',
  ')',
  '\\',
  '"',
  ',',
  '=',
  '+',
  '<',
  '>',
  '#',
  ';',
  '%',
  '_',
  '.',
  '@',
];
const username = fc
  .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 7 })
  .map((cs) => cs.join(''))
  // A name of spaces only is no name (the core refuses a blank username).
  .filter((n) => n.trim() !== '');

const folded = (s: string) => s.toLowerCase();
/** Local compares usernames as SQLite's NOCASE does: ASCII letters only (its README: É is not é). */
const asciiFolded = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const ldapFolded = (s: string) => s.toLowerCase().trim().replace(/ +/g, ' ');

interface Brand {
  name: string;
  equal: (s: string) => string;
  client(): IamClient;
  reset(): Promise<void>;
}

let scim: ScimTestServer;
let slapd: Slapd;
let brands: Brand[] = [];
const clients: IamClient[] = [];

before(async () => {
  scim = await startScimServer();
  slapd = await startSlapd();
  const make = (instance: Record<string, unknown>) => {
    const c = createIamClient({ config: { instances: { app: instance } }, env: {}, auditLog: false });
    clients.push(c);
    return c;
  };
  let local: IamClient | undefined;
  const ldap = make(slapd.instance());
  const scimClient = make({ brand: 'SCIM', baseUrl: scim.url, token: scim.token });
  brands = [
    {
      name: 'Local',
      equal: asciiFolded,
      client: () => local as IamClient,
      reset: async () => {
        await local?.close();
        local = make({ brand: 'Local', path: ':memory:' });
      },
    },
    { name: 'SCIM', equal: folded, client: () => scimClient, reset: async () => scim.reset() },
    { name: 'LDAP', equal: ldapFolded, client: () => ldap, reset: () => slapd.reset() },
  ];
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await scim?.close();
  await slapd?.stop();
});

describe('fuzz: lookups never reach the wrong account', () => {
  for (const brandName of ['Local', 'SCIM', 'LDAP']) {
    test(`${brandName}: each username finds its own account, an unknown one finds none`, async () => {
      const brand = brands.find((b) => b.name === brandName) as Brand;
      await fc.assert(
        fc.asyncProperty(
          fc.array(username, { minLength: 1, maxLength: 5 }),
          fc.array(username, { maxLength: 3 }),
          async (names, probes) => {
            await brand.reset();
            const iam = brand.client();
            const ids = new Map<string, string>(); // brand-equal name -> the account made for it
            const made = new Set<string>(); // names whose create succeeded
            for (const [i, name] of names.entries()) {
              const profile = { username: name, email: `u${i}@example.com`, surname: 'X' };
              const { vendor } = await iam.createUser('app', { userProfile: profile });
              const label = `${brandName} create ${JSON.stringify(name)} (${JSON.stringify(names)})`;
              const known = ids.get(brand.equal(name));
              if (!vendor.success) {
                // Refused is safe (a directory may hold a name equal to this one in its DN rules
                // but not its search rules: 68, entryAlreadyExists); touching another account is not.
                assert.notEqual(known, undefined, `${label}: a new name refused: ${vendor.errorMessage}`);
                continue;
              }
              made.add(name);
              if (known === undefined) {
                assert.equal(vendor.action, 'create', label);
                assert.ok(![...ids.values()].includes(String(vendor.id)), `${label}: another name's account`);
                ids.set(brand.equal(name), String(vendor.id));
              } else {
                // The same name under the app's rule: that account, updated, never a second one.
                assert.deepEqual([vendor.action, vendor.id], ['update', known], label);
              }
            }
            for (const name of [...names, ...probes]) {
              const label = `${brandName} get ${JSON.stringify(name)} (made ${JSON.stringify(names)})`;
              const { vendor } = await iam.getUser('app', { userProfile: { username: name } });
              const want = ids.get(brand.equal(name));
              if (made.has(name)) {
                assert.deepEqual(
                  [vendor.success, vendor.id],
                  [true, want],
                  `${label}: ${vendor.errorMessage}`,
                );
              } else if (want === undefined) {
                assert.deepEqual(
                  [vendor.success, vendor.errorCode],
                  [false, 404],
                  `${label}: ${vendor.errorMessage}`,
                );
              }
              // Whatever is found is the account of a name equal to this one, never another.
              if (vendor.success) {
                assert.equal(vendor.id, want, label);
                assert.equal(brand.equal(String(vendor.username)), brand.equal(name), label);
              }
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});
