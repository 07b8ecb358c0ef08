// get-mapping-fields and `iam mappings check` on the DC: the user class's attributes from the
// subschema, with the ones its DIT content rule adds (securityPrincipal: sAMAccountName), AD's
// quoted syntaxes as types, and its system attributes read-only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkMapping } from '../../../src/cli/mappings-check.js';
import type { SambaAd } from '../../servers/samba-ad.js';
import { adClient, I } from './accounts.js';

export function schemaOnTheDc(dc: () => Promise<SambaAd>, ou: () => Promise<string>): void {
  describe('schema discovery on the DC', () => {
    test('the subschema: sAMAccountName required, types from the syntaxes, system attributes read-only', async () => {
      const c = adClient(await dc(), await ou());
      try {
        const r = await c.mappingFields(I);
        assert.equal(r.source, 'app', r.details);
        const at = (p: string) => r.attributes.find((a) => a.path === p);
        assert.deepEqual(at('sAMAccountName'), {
          path: 'sAMAccountName',
          type: 'string',
          multiValued: false,
          mutability: 'readWrite',
          required: true,
        });
        assert.deepEqual([at('objectGUID')?.type, at('objectGUID')?.mutability], ['binary', 'readOnly']);
        assert.deepEqual([at('memberOf')?.multiValued, at('memberOf')?.mutability], [true, 'readOnly']);
        assert.equal(at('userAccountControl')?.type, 'integer');
        // The default mapping is clean (its `password` is the connector's own, written as unicodePwd).
        const clean = await checkMapping(c, I);
        assert.deepEqual(
          clean.rules.filter((x) => x.verdict !== 'ok'),
          [],
        );
      } finally {
        await c.close();
      }
    });

    test('mappings check: a read-only and an unknown target are named', async () => {
      const mappers = {
        outgoing: [
          { app: 'sAMAccountName', profile: 'username' },
          { app: 'whenCreated', profile: 'title' },
          { app: 'costCentre', profile: 'department' },
        ],
      };
      const c = adClient(await dc(), await ou(), { mappers });
      try {
        const r = await checkMapping(c, I);
        assert.deepEqual(
          r.rules.map((x) => [x.app, x.verdict]),
          [
            ['sAMAccountName', 'ok'],
            ['whenCreated', 'readOnly'],
            ['costCentre', 'unknown'],
          ],
        );
      } finally {
        await c.close();
      }
    });
  });
}
