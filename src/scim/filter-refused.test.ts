import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, FilterRefusedError } from '../core/errors.js';
import { asFilterRefusal, refusedFilter } from './filter.js';

const err = (status: number, vendorCode?: string) =>
  new AppError('x', { status, ...(vendorCode === undefined ? {} : { vendorCode }) });

test('a 500 counts as a refused filter only when the value carried an escaped character', () => {
  assert.ok(refusedFilter(err(500), 'o"brien'));
  assert.ok(refusedFilter(err(500), 'dom\\ain'));
  assert.ok(!refusedFilter(err(500), 'obrien'), 'a real server error');
  assert.ok(!refusedFilter(err(502), 'o"brien'));
  assert.ok(refusedFilter(err(400, 'invalidFilter'), 'plain'));
});

test('a refused filter reaches the core as FilterRefusedError, keeping status and scimType', () => {
  const e = asFilterRefusal(err(400, 'invalidFilter'), 'plain');
  assert.ok(e instanceof FilterRefusedError);
  assert.deepEqual(
    [e.status, e.vendorCode, e.retryable, e.mayHaveLanded],
    [400, 'invalidFilter', false, false],
  );
  const real = err(500);
  assert.equal(asFilterRefusal(real, 'plain'), real, 'a real server error stays what it is');
});
