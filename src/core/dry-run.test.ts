import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { changedFieldNames, DRY_RUN_REASON, dryRunVendor, fieldChanges } from './dry-run.js';
import { AppError } from './errors.js';
import { errorRecord, transientFailure, type VendorRecord } from './record.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const vendor = (over: Partial<VendorRecord>): VendorRecord => ({
  action: 'create',
  brand: 'SCIM',
  instanceName: 'app',
  success: true,
  active: true,
  id: 'dry-run',
  username: 'jdoe',
  email: null,
  errorCode: null,
  errorMessage: '',
  details: { id: 'dry-run' },
  skipped: false,
  reason: '',
  ...over,
});

describe('changedFieldNames', () => {
  test('body keys (extension attributes by full name), the field names the writer gave, never values', () => {
    const names = changedFieldNames([
      { method: 'POST', path: 'Users', body: { schemas: ['x'], userName: 'a', [ENT]: { department: 'D' } } },
      {
        method: 'PATCH',
        path: 'Users/1',
        body: { Operations: [{ op: 'replace', value: { secret: 'S' } }] },
        fields: ['emails', 'title', 'active'],
      },
      { method: 'DELETE', path: 'Groups/1' },
    ]);
    assert.deepEqual(names, ['userName', `${ENT}:department`, 'emails', 'title', 'active']);
  });
});

describe('fieldChanges', () => {
  test('only what differs; null removes a present value; nothing changed is null', () => {
    const current = { title: 'CTO', dept: 'R&D', tags: ['a'] };
    assert.deepEqual(fieldChanges(current, { title: 'CTO', dept: null, tags: ['a', 'b'], gone: null }), {
      dept: null,
      tags: ['a', 'b'],
    });
    assert.equal(fieldChanges(current, { title: 'CTO', id: 'x' }, new Set(['id'])), null);
  });
});

describe('dryRunVendor', () => {
  const writes = [{ method: 'POST', path: 'Users', body: { userName: 'jdoe', password: 'pw-123456' } }];

  test('a would-be success is a skip with the reason, no id for a create, the writes redacted', () => {
    const v = dryRunVendor(vendor({}), writes, []);
    assert.equal(v.success, true);
    assert.equal(v.skipped, true);
    assert.equal(v.reason, DRY_RUN_REASON);
    assert.equal(v.action, 'create');
    assert.equal(v.id, null);
    assert.equal(v.active, null);
    assert.deepEqual(v.details, {
      dryRun: [{ method: 'POST', path: 'Users', body: { userName: 'jdoe', password: '[REDACTED]' } }],
    });
  });

  test('an update keeps the account id; an error or a skip stays what it is, with the writes added', () => {
    assert.equal(dryRunVendor(vendor({ action: 'update', id: 'u1' }), [], []).id, 'u1');
    const failed = dryRunVendor(
      vendor({ success: false, errorCode: 400, details: { userName: 'x' } }),
      [],
      [],
    );
    assert.equal(failed.success, false);
    assert.equal(failed.skipped, false);
    assert.deepEqual(failed.details, { userName: 'x', dryRun: [] });
    const skipped = dryRunVendor(vendor({ skipped: true, reason: 'User is already enabled.' }), [], []);
    assert.equal(skipped.reason, 'User is already enabled.');
  });
});

describe('dryRunVendor and the batch escrow', () => {
  test('a failure with a transient cause stays marked as such (the escrow runs it again)', () => {
    const ctx = { brand: 'SCIM', instanceName: 'app', secrets: [] };
    const failed = errorRecord(ctx, 'create', { username: 'a' }, new AppError('busy', { status: 503 }), {});
    const dry = dryRunVendor(failed, [], []);
    assert.deepEqual([dry.success, dry.errorCode], [false, 503]);
    assert.deepEqual(transientFailure(dry), { retryAfterMs: undefined });
  });
});
