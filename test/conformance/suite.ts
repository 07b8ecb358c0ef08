import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, type TestContext, test } from 'node:test';
import type { IamClient } from '../../src/client.js';
import type { Connector } from '../../src/core/connector.js';
import { profileFieldsFor } from '../../src/core/mapping/engine.js';
import type { VendorRecord } from '../../src/core/record.js';
import { type SupportedCommand, supportedCommands } from '../../src/core/supports.js';
import { type BrandEntry, clientFor, INSTANCE, person, type Started } from './harness.js';
import { deleteRows } from './rows-delete.js';
import { groupRows } from './rows-groups.js';
import { userStateRows } from './rows-user-state.js';
import { usersRows } from './rows-users.js';
import type { SuiteContext } from './suite-context.js';

/** The commands a connector may or may not implement (get-mapping-fields always answers). */
const COMMANDS = [
  'get-user',
  'create-user',
  'update-user',
  'enable-user',
  'disable-user',
  'delete-user',
  'get-group',
  'create-group',
  'update-group',
  'delete-group',
  'test',
] as const satisfies readonly SupportedCommand[];

/** Runs `command` with made-up arguments: what it answers when the connector cannot do it. */
async function runAny(c: IamClient, command: (typeof COMMANDS)[number]) {
  switch (command) {
    case 'get-group':
      return c.getGroup(INSTANCE, { scim: { id: 'g-1' } });
    case 'create-group':
      return c.createGroup(INSTANCE, { scim: { displayName: 'Eng' } });
    case 'update-group':
      return c.updateGroup(INSTANCE, { scim: { id: 'g-1' }, memberIdsToAdd: ['u-1'] });
    case 'delete-group':
      return c.deleteGroup(INSTANCE, { scim: { id: 'g-1' } });
    case 'test': {
      const r = await c.test(INSTANCE);
      return { success: r.success, errorMessage: r.message };
    }
    default:
      return (await c.user(command, INSTANCE, { userProfile: person() })).vendor;
  }
}

/**
 * Defines every spec row of sections 3 and 7 against one brand. Which rows apply is read from the
 * connector: a command it implements runs its rows; one it does not is checked to answer
 * "<brand> does not support <command>" with no request on the wire.
 */
export function runConformance(entry: BrandEntry): void {
  let t: Started | undefined;
  let brand = '';
  let ops = new Set<SupportedCommand>();
  /**
   * The profile field the app's login (its first lookup attribute after `id`) comes from, read from
   * the connector's declared lookup order and default outgoing mapping (spec section 6: each
   * connector has its own): `username` for SCIM (`userName`), AWS-ILM and Local, `email` for Zoom.
   */
  let login = 'username';
  /** A new value for the login field (a rename), still of the field's kind (an email stays an email). */
  const renamed = (value: unknown) => {
    const s = String(value);
    return s.includes('@') ? s.replace('@', '.new@') : `${s}.new`;
  };
  const app = (): Started => {
    if (!t) throw new Error('the app is not started yet');
    return t;
  };
  const clients: IamClient[] = [];
  const client = (flags: Record<string, unknown> = {}) => {
    const c = clientFor(entry, app(), flags);
    clients.push(c);
    return c;
  };
  /** The connector of a fresh client, as the core sees it (for the contract's list operations). */
  const connector = (): Connector => client().runtime(INSTANCE).connector;
  const v = async (p: Promise<{ vendor: VendorRecord }>) => (await p).vendor;
  /** A row that needs `needs` implemented; skipped (saying why) when the connector lacks one. */
  const row = (name: string, needs: readonly SupportedCommand[], fn: (tc: TestContext) => Promise<void>) =>
    test(name, async (tc) => {
      const missing = needs.filter((c) => !ops.has(c));
      if (missing.length) return tc.skip(`the connector does not implement ${missing.join(', ')}`);
      await fn(tc);
    });

  before(async () => {
    t = await entry.start();
    const probe = client();
    const rt = probe.runtime(INSTANCE);
    brand = rt.brand;
    ops = new Set(supportedCommands(rt.connector, probe.declaredMappingFields(INSTANCE)));
    const loginAttribute = rt.capabilities.lookup.find((a) => a !== 'id');
    const field = loginAttribute && profileFieldsFor(rt.mapping.outgoing, loginAttribute)[0];
    if (field) login = field;
  });
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await app().reset();
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t?.close();
  });

  describe('contract: what the connector does not implement', () => {
    for (const command of COMMANDS) {
      test(`${command}, not implemented: "<brand> does not support ${command}", no request`, async (tc) => {
        if (ops.has(command)) return tc.skip('implemented');
        const c = client({ allowDelete: true });
        const before = app().requestCount?.();
        const r = await runAny(c, command);
        assert.deepEqual([r.success, r.errorMessage], [false, `${brand} does not support ${command}`]);
        if (before !== undefined) assert.equal(app().requestCount?.(), before, 'no request reached the app');
      });
    }
  });

  const s: SuiteContext = {
    get app() {
      return app();
    },
    get brand() {
      return brand;
    },
    get ops() {
      return ops;
    },
    get login() {
      return login;
    },
    renamed,
    client,
    connector,
    v,
    row,
  };
  usersRows(s);
  userStateRows(s);
  deleteRows(s);
  groupRows(s);
}
