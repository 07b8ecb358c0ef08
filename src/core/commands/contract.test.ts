// Contract v2 in the core: what an instance supports follows from the operations its connector
// implements; the core (not the connector) decides which lookup candidates match; delete-user's rows;
// a refused filter is told by its class. A small in-memory connector stands for the app.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Account, Connector, LookupKey } from '../connector.js';
import {
  AppError,
  FilterRefusedError,
  type IamError,
  InvalidResponseError,
  TransportError,
} from '../errors.js';
import { DEFAULT_FLAGS, type InstanceFlags, type InstanceRuntime } from '../instance.js';
import type { Mapping } from '../mapping/types.js';
import { supportedCommands } from '../supports.js';
import { deleteUser } from './delete-user.js';
import { getGroup, updateGroup } from './groups.js';
import { createUser, disableUser, getUser } from './users.js';

const mapping: Mapping = [
  { app: 'userName', profile: 'username' },
  { app: 'emails', profile: 'email' },
];

const acct = (id: string, userName: string, email = `${userName}@example.com`): Account => ({
  id,
  username: userName,
  email,
  active: true,
  raw: { id, userName, emails: [{ value: email }] },
});

function runtime(connector: Connector, flags: Partial<InstanceFlags> = {}) {
  const warnings: string[] = [];
  const rt: InstanceRuntime = {
    brand: 'Acme',
    instanceName: 'acme',
    secrets: [],
    flags: { ...DEFAULT_FLAGS, ...flags },
    capabilities: { lookup: ['id', 'userName', 'emails'], memberBatchSize: 10 },
    mapping: { outgoing: mapping, incoming: mapping },
    scimInputMapping: mapping,
    connector,
    warn: (m) => warnings.push(m),
  };
  return { rt, warnings };
}

describe('supported commands follow the implemented operations', () => {
  test('a read-only connector supports get-user and nothing that writes', () => {
    const c: Connector = { findUsers: async () => [], close: async () => {} };
    assert.deepEqual(supportedCommands(c, ['userName']), ['get-user', 'get-mapping-fields']);
    assert.deepEqual(supportedCommands(c), ['get-user']);
  });

  test('a missing operation is a record "<brand> does not support <command>", and no call', async () => {
    const calls: string[] = [];
    const c: Connector = {
      findUsers: async (k) => {
        calls.push(`find ${k.value}`);
        return [];
      },
      close: async () => {},
    };
    const { rt } = runtime(c);
    for (const run of [
      () => createUser(rt, { username: 'jdoe' }, { allowEnable: true }),
      () => disableUser(rt, { username: 'jdoe' }),
      () => deleteUser(runtime(c, { allowDelete: true }).rt, { username: 'jdoe' }),
    ]) {
      const { vendor } = await run();
      assert.equal(vendor.success, false);
      assert.match(vendor.errorMessage, /^Acme does not support (create|disable|delete)-user$/);
    }
    const g = await getGroup(rt, { displayName: 'Eng' }, false);
    assert.deepEqual([g.success, g.errorMessage], [false, 'Acme does not support get-group']);
    assert.deepEqual(calls, [], 'nothing reached the app');
  });
});

describe('the core decides which candidates match', () => {
  test('candidates without the value asked are dropped (with a warning); the match is used', async () => {
    const c: Connector = {
      // An app that ignores the filter and answers everyone.
      findUsers: async () => [acct('1', 'alice'), acct('2', 'Bob.Smith')],
      close: async () => {},
    };
    const { rt, warnings } = runtime(c);
    const { vendor } = await getUser(rt, { username: 'bob.smith' });
    assert.deepEqual([vendor.success, vendor.id], [true, '2']);
    assert.match(warnings.join('\n'), /ignored the filter/);
  });

  test('two candidates that hold the value are ambiguous: an error naming both ids', async () => {
    const c: Connector = {
      findUsers: async () => [acct('1', 'a', 'same@example.com'), acct('2', 'b', 'SAME@example.com')],
      close: async () => {},
    };
    const { vendor } = await getUser(runtime(c).rt, { email: 'same@example.com' });
    assert.equal(vendor.success, false);
    assert.match(vendor.errorMessage, /2 accounts match emails "same@example.com": 1, 2/);
  });

  test('an id lookup uses getUser when the connector has it, and checks the id it got back', async () => {
    const asked: string[] = [];
    const c: Connector = {
      getUser: async (id) => {
        asked.push(id);
        return acct('other', 'x');
      },
      findUsers: async () => [],
      close: async () => {},
    };
    const { rt, warnings } = runtime(c);
    const { vendor } = await getUser(rt, { id: 'abc' });
    assert.deepEqual([vendor.success, vendor.errorCode, asked], [false, 404, ['abc']]);
    assert.match(warnings.join('\n'), /ignored the id/);
  });

  test('a FilterRefusedError makes the core ask by the next lookup attribute', async () => {
    const asked: LookupKey[] = [];
    const c: Connector = {
      findUsers: async (k) => {
        asked.push(k);
        if (k.attribute === 'userName') throw new FilterRefusedError('bad filter', { status: 400 });
        return [acct('7', 'o"brien', 'ob@example.com')];
      },
      close: async () => {},
    };
    const { vendor } = await getUser(runtime(c).rt, { username: 'o"brien', email: 'ob@example.com' });
    assert.deepEqual([vendor.success, vendor.id], [true, '7']);
    assert.deepEqual(
      asked.map((k) => k.attribute),
      ['userName', 'emails'],
    );
  });
});

describe('delete-user (spec section 3)', () => {
  const app = () => {
    const users = new Map([['9', acct('9', 'leaver')]]);
    const calls: string[] = [];
    const c: Connector = {
      findUsers: async (k) => {
        calls.push('find');
        return [...users.values()].filter((u) => u.username === k.value);
      },
      deleteUser: async (a) => {
        calls.push(`delete ${a.id}`);
        users.delete(a.id);
        return { details: { deactivated: true } };
      },
      close: async () => {},
    };
    return { c, calls, users };
  };

  test('allowDelete off (the default): skipped, "Command is disabled.", no call', async () => {
    const { c, calls } = app();
    const { vendor } = await deleteUser(runtime(c).rt, { username: 'leaver' });
    assert.deepEqual(
      [vendor.action, vendor.success, vendor.skipped, vendor.reason, vendor.active],
      ['delete', true, true, 'Command is disabled.', null],
    );
    assert.deepEqual(calls, []);
  });

  test('found: deleted; action delete, active null, what the app did in details', async () => {
    const { c, calls, users } = app();
    const { vendor } = await deleteUser(runtime(c, { allowDelete: true }).rt, { username: 'leaver' });
    assert.deepEqual(
      [vendor.action, vendor.success, vendor.skipped, vendor.id, vendor.active],
      ['delete', true, false, '9', null],
    );
    assert.equal((vendor.details as Record<string, unknown>).deactivated, true);
    assert.deepEqual(calls, ['find', 'delete 9']);
    assert.equal(users.size, 0);
  });

  test('not found: skipped, "User does not exist"', async () => {
    const { c, calls } = app();
    const { vendor } = await deleteUser(runtime(c, { allowDelete: true }).rt, { username: 'nobody' });
    assert.deepEqual(
      [vendor.action, vendor.success, vendor.skipped, vendor.reason],
      ['delete', true, true, 'User does not exist'],
    );
    assert.deepEqual(calls, ['find']);
  });
});

test('every IamError carries retryable and mayHaveLanded, with defaults that follow what the thrower knows', () => {
  const flags = (e: IamError) => [e.retryable, e.mayHaveLanded];
  assert.deepEqual(flags(new AppError('x', { status: 503 })), [true, true]);
  assert.deepEqual(flags(new AppError('x', { status: 500 })), [false, true]);
  assert.deepEqual(flags(new AppError('x', { status: 501 })), [false, false]);
  assert.deepEqual(flags(new AppError('x', { status: 400 })), [false, false]);
  assert.deepEqual(flags(new AppError('x', { status: 500, mayHaveLanded: false })), [false, false]);
  assert.deepEqual(flags(new TransportError('reset', { retryable: true })), [true, true]);
  assert.deepEqual(flags(new TransportError('bad cert')), [false, false]);
  const unreadable = new InvalidResponseError('no id', { status: 201 });
  assert.deepEqual([...flags(unreadable), unreadable.landed], [false, true, true]);
});

test('a member add whose answer was lost is checked against the group asked, never another group the app answers with', async () => {
  let sent = false;
  const c: Connector = {
    getGroup: async (id) =>
      // Before the change, the group asked; the read back after it answers with another group,
      // one that does hold the member.
      sent
        ? { id: 'other', displayName: 'Ops', members: [{ value: 'u1', display: null }], raw: {} }
        : { id, displayName: 'Eng', members: [], raw: {} },
    changeMembers: async () => {
      sent = true;
      throw new AppError('no answer', { status: 502 });
    },
    close: async () => {},
  };
  const { rt } = runtime(c);
  const g = await updateGroup(rt, { id: 'g1' }, ['u1'], []);
  assert.equal(g.success, false, JSON.stringify(g));
  assert.match(JSON.stringify(g), /another group/);
  assert.doesNotMatch(JSON.stringify(g), /"added":\["u1"\]/);
});
