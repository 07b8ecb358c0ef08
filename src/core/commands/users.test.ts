// create-user when the app's answer is lost: the core looks before it sends again, within the
// runtime's retry budget. A fake connector stands for the app (no sockets): it records every call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account, AppObject, Connector, LookupKey } from '../connector.js';
import { AppError, ConflictError, TransportError } from '../errors.js';
import { DEFAULT_FLAGS, type InstanceRuntime } from '../instance.js';
import type { Mapping } from '../mapping/types.js';
import { createUser, updateUser } from './users.js';

/** What the app does with one create: land it or not, and answer or not. */
type Create = 'ok' | 'lost-after-landing' | 'lost' | '503' | '400' | '409' | 'raced' | 'tls' | 'lands-late';

const mapping: Mapping = [{ app: 'userName', profile: 'username' }];

function fakeApp(script: Create[], opts: { lookupFails?: number[] } = {}) {
  const accounts = new Map<string, Account>();
  const late: Account[] = [];
  const calls: string[] = [];
  let lookups = 0;
  const account = (fields: AppObject): Account => {
    const userName = String(fields.userName);
    return { id: `id-${userName}`, username: userName, email: null, active: true, raw: { ...fields } };
  };
  const connector: Connector = {
    async findUsers(key: LookupKey) {
      lookups += 1;
      calls.push(`find ${key.value}`);
      if (opts.lookupFails?.includes(lookups)) {
        throw new TransportError('cannot reach app: connection reset (ECONNRESET)', { retryable: true });
      }
      const found = accounts.get(key.value);
      return found ? [found] : [];
    },
    async createUser(fields) {
      calls.push('create');
      // A create that was delayed in flight lands just before the next one arrives.
      for (const a of late.splice(0)) accounts.set(String(a.username), a);
      const step = script.shift() ?? 'ok';
      const a = account(fields);
      // 'raced': someone else created the same account just before us.
      if (step === 'ok' || step === 'lost-after-landing' || step === 'raced')
        accounts.set(String(a.username), a);
      if (step === 'lands-late') late.push(a);
      if (step === 'ok') return a;
      if (step === '503') throw new AppError('Service Unavailable', { status: 503 });
      if (step === '400') throw new AppError('userName is required', { status: 400 });
      if (step === '409' || step === 'raced') throw new ConflictError('userName is already in use');
      if (step === 'tls') throw new TransportError('TLS certificate of app was not accepted');
      throw new TransportError('cannot reach app: connection reset (ECONNRESET)', { retryable: true });
    },
    async updateUser(a) {
      calls.push('update');
      return { account: a, changed: [] };
    },
    async setActive(a, active) {
      calls.push('setActive');
      return { ...a, active };
    },
    close: async () => {},
  };
  return { connector, accounts, calls };
}

function runtime(connector: Connector, attempts?: number) {
  const retries: string[] = [];
  const rt: InstanceRuntime = {
    brand: 'Fake',
    instanceName: 'fake',
    secrets: [],
    flags: DEFAULT_FLAGS,
    capabilities: { lookup: ['id', 'userName'], memberBatchSize: 100 },
    mapping: { outgoing: mapping, incoming: mapping },
    scimInputMapping: mapping,
    connector,
    ...(attempts === undefined
      ? {}
      : {
          retry: {
            attempts,
            beforeRetry: async (n: number, reason: string) => void retries.push(`${n}: ${reason}`),
          },
        }),
  };
  return { rt, retries };
}

const create = (rt: InstanceRuntime) => createUser(rt, { username: 'jdoe' }, { allowEnable: true });

test('a create whose answer was lost after it landed is found, not sent again: success, action create', async () => {
  const app = fakeApp(['lost-after-landing']);
  const { rt, retries } = runtime(app.connector, 5);
  const { vendor } = await create(rt);
  assert.deepEqual([vendor.success, vendor.action, vendor.id], [true, 'create', 'id-jdoe']);
  assert.deepEqual(app.calls, ['find jdoe', 'create', 'find jdoe']);
  assert.deepEqual(retries, []);
});

test('a create that did not land (503, lost answer) is sent again after a lookup, each counted', async () => {
  const app = fakeApp(['503', 'lost', 'ok']);
  const { rt, retries } = runtime(app.connector, 5);
  const { vendor } = await create(rt);
  assert.deepEqual([vendor.success, vendor.action], [true, 'create']);
  assert.deepEqual(app.calls, ['find jdoe', 'create', 'find jdoe', 'create', 'find jdoe', 'create']);
  assert.deepEqual(retries, ['1: Service Unavailable', '2: cannot reach app: connection reset (ECONNRESET)']);
  assert.equal(app.accounts.size, 1);
});

test('when the budget runs out the record says the account was not created, and it is not there', async () => {
  const app = fakeApp(['lost', '503', 'lost']);
  const { rt, retries } = runtime(app.connector, 3);
  const { vendor } = await create(rt);
  assert.equal(vendor.success, false);
  assert.equal(vendor.errorCode, null);
  assert.equal(
    vendor.errorMessage,
    'cannot reach app: connection reset (ECONNRESET); not created (3 attempts; the lookup after each found no account)',
  );
  assert.equal(app.calls.filter((c) => c === 'create').length, 3);
  assert.equal(retries.length, 2);
  assert.equal(app.accounts.size, 0);
});

test('without a retry budget an uncertain create is still checked, never re-sent', async () => {
  const app = fakeApp(['503']);
  const { rt } = runtime(app.connector);
  const { vendor } = await create(rt);
  assert.equal(vendor.success, false);
  assert.equal(vendor.errorCode, 503);
  assert.equal(
    vendor.errorMessage,
    'Service Unavailable; not created (the lookup after it found no account)',
  );
  assert.deepEqual(app.calls, ['find jdoe', 'create', 'find jdoe']);
});

test('a 409 on the re-sent create after an uncertain one is ours: adopted as create, not turned into an update', async () => {
  const app = fakeApp(['lands-late', '409']);
  const { rt, retries } = runtime(app.connector, 5);
  const { vendor } = await create(rt);
  assert.deepEqual([vendor.success, vendor.action, vendor.id], [true, 'create', 'id-jdoe']);
  assert.deepEqual(app.calls, ['find jdoe', 'create', 'find jdoe', 'create', 'find jdoe']);
  assert.equal(retries.length, 1);
});

test('a plain 409 (someone else created it first) still becomes an update, once', async () => {
  const raced = fakeApp(['raced']);
  const { vendor } = await create(runtime(raced.connector, 5).rt);
  assert.deepEqual([vendor.success, vendor.action], [true, 'update']);
  assert.deepEqual(raced.calls, ['find jdoe', 'create', 'find jdoe', 'update']);
  // Nobody is found on the second lookup: the 409 is reported as it came.
  const app = fakeApp(['409']);
  const failed = (await create(runtime(app.connector, 5).rt)).vendor;
  assert.deepEqual([failed.success, failed.errorCode], [false, 409]);
  assert.deepEqual(app.calls, ['find jdoe', 'create', 'find jdoe']);
});

test('definite failures are not looked up or retried: a 400, a TLS error', async () => {
  for (const step of ['400', 'tls'] as const) {
    const app = fakeApp([step]);
    const { rt, retries } = runtime(app.connector, 5);
    const { vendor } = await create(rt);
    assert.equal(vendor.success, false, step);
    assert.deepEqual(app.calls, ['find jdoe', 'create'], step);
    assert.deepEqual(retries, [], step);
  }
});

test('when the lookup that would tell fails, the record says the create may have landed', async () => {
  const app = fakeApp(['lost-after-landing'], { lookupFails: [2] });
  const { rt } = runtime(app.connector, 5);
  const { vendor } = await create(rt);
  assert.equal(vendor.success, false);
  assert.match(
    vendor.errorMessage,
    /the create may have landed and the lookup to check failed .*run get-user/,
  );
  assert.equal(app.calls.filter((c) => c === 'create').length, 1);
});

test('update-user of a missing account creates it with the same care', async () => {
  const app = fakeApp(['lost', 'ok']);
  const { rt, retries } = runtime(app.connector, 5);
  const { vendor } = await updateUser(rt, { username: 'jdoe' }, { allowEnable: true });
  assert.deepEqual([vendor.success, vendor.action], [true, 'create']);
  assert.equal(retries.length, 1);
  assert.equal(app.accounts.size, 1);
});

test('update-user (createIfNotExists) that loses a create race updates the account the winner made', async () => {
  const raced = fakeApp(['raced']);
  const { rt } = runtime(raced.connector, 5);
  rt.flags = { ...DEFAULT_FLAGS, createIfNotExists: true };
  const { vendor } = await updateUser(rt, { username: 'jdoe' }, { allowEnable: true });
  assert.deepEqual([vendor.success, vendor.action, vendor.id], [true, 'update', 'id-jdoe']);
  // update looks, create looks again, sends (409), looks, updates what it found: no second create.
  assert.deepEqual(raced.calls, ['find jdoe', 'find jdoe', 'create', 'find jdoe', 'update']);
});
