import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import { refusedFilter } from './lookup.js';

const err = (status: number, vendorCode?: string) =>
  new AppError('x', { status, ...(vendorCode === undefined ? {} : { vendorCode }) });

test('a 500 counts as a refused filter only when the value carried an escaped character', () => {
  assert.ok(refusedFilter(err(500), { attribute: 'userName', value: 'o"brien' }));
  assert.ok(refusedFilter(err(500), { attribute: 'userName', value: 'dom\\ain' }));
  assert.ok(!refusedFilter(err(500), { attribute: 'userName', value: 'obrien' }), 'a real server error');
  assert.ok(!refusedFilter(err(500), { attribute: 'id', value: 'a"b' }), 'an id lookup sends no filter');
  assert.ok(!refusedFilter(err(502), { attribute: 'userName', value: 'o"brien' }));
  assert.ok(refusedFilter(err(400, 'invalidFilter'), { attribute: 'userName', value: 'plain' }));
});
