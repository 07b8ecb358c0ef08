// Every transform step, through the engine (a one-rule mapping per case), outgoing and on an
// incoming-only rule, and the guarantees: re2js regexes run in linear time, dates are UTC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, UsageError } from '../errors.js';
import { compileMapping, mapIncoming, mapOutgoing } from './engine.js';
import type { MappingRule, TransformStep } from './types.js';

const out = (
  transform: TransformStep[],
  profile: Record<string, unknown>,
  extra: Partial<MappingRule> = {},
) => mapOutgoing([{ app: 'x', profile: 'f', transform, ...extra }], profile, 'create').x;

test('lowercase, uppercase, trim: on a text, and on each text of a list', () => {
  assert.equal(out(['lowercase'], { f: 'JDoe@Corp.EXAMPLE' }), 'jdoe@corp.example');
  assert.equal(out(['uppercase'], { f: 'ab-ç' }), 'AB-Ç');
  assert.equal(out(['trim'], { f: '  a b \n' }), 'a b');
  assert.deepEqual(out([{ split: ',' }, 'trim', 'uppercase'], { f: ' a, b ,c' }), ['A', 'B', 'C']);
  assert.equal(out(['lowercase'], { f: 42 }), 42, 'a number is left alone');
});

test('default: fills an absent or empty source, and only then', () => {
  assert.equal(out([{ default: 'Staff' }], {}), 'Staff');
  assert.equal(out([{ default: 'Staff' }], { f: '' }), 'Staff');
  assert.equal(out([{ default: 'Staff' }], { f: 'Engineer' }), 'Engineer');
  assert.deepEqual(out([{ default: { a: [1, 'x'] } }], {}), { a: [1, 'x'] }, 'a structured default');
  assert.equal('x' in mapOutgoing([{ app: 'x', profile: 'f', transform: ['trim'] }], {}, 'create'), false);
});

test('concat: prefix and suffix around the value; braces are literal text', () => {
  assert.equal(
    out([{ concat: { prefix: 'ext-', suffix: '@corp.example' } }], { f: 'jdoe' }),
    'ext-jdoe@corp.example',
  );
  assert.equal(out([{ concat: { suffix: '-{surname}' } }], { f: 'a', surname: 'Doe' }), 'a-{surname}');
  assert.equal(out([{ concat: { prefix: 'E' } }], { f: 7 }), 'E7');
  assert.equal(out([{ concat: { prefix: 'x' } }], {}), undefined, 'no value, nothing to concatenate');
});

test('split and join: text to list and back, empty entries of a list skipped by join', () => {
  assert.deepEqual(out([{ split: ';' }], { f: 'a;b;;c' }), ['a', 'b', '', 'c']);
  assert.equal(out([{ join: ', ' }], { f: ['a', '', null, 'b', 3] }), 'a, b, 3');
  assert.equal(out([{ split: '|' }, { join: '+' }], { f: 'x|y' }), 'x+y');
});

test('replace: a re2js regex with groups and flags', () => {
  assert.equal(out([{ replace: { pattern: '[^a-z0-9]', with: '' } }], { f: "o'brien-smith" }), 'obriensmith');
  assert.equal(
    out([{ replace: { pattern: '^(\\w+)\\.(\\w+)$', with: '$2.$1' } }], { f: 'jane.doe' }),
    'doe.jane',
  );
  assert.equal(out([{ replace: { pattern: 'CORP', with: 'corp', flags: 'i' } }], { f: 'a@Corp' }), 'a@corp');
  assert.equal(
    out([{ replace: { pattern: 'CORP', with: 'x' } }], { f: 'a@Corp' }),
    'a@Corp',
    'case kept without i',
  );
});

test('replace: a pathological pattern on 50k characters finishes fast (linear time)', () => {
  const mapping = compileMapping([
    { app: 'x', profile: 'f', transform: [{ replace: { pattern: '(a+)+$', with: 'Z' } }] },
  ]);
  const evil = `${'a'.repeat(50_000)}!`;
  const start = process.hrtime.bigint();
  const value = mapOutgoing(mapping, { f: evil }, 'create').x;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.equal(value, evil, 'no match: unchanged');
  // A backtracking engine takes longer than the age of the universe here; re2js well under 1 s
  // even on a loaded machine. The bound is generous on purpose: it fails only on exponential time.
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('date: iso, epoch seconds/milliseconds and date-fns patterns, in UTC', () => {
  assert.equal(out([{ date: { to: 'yyyy-MM-dd' } }], { f: '2024-03-31T23:30:00-05:00' }), '2024-04-01');
  assert.equal(out([{ date: { to: 'iso', from: 'epoch-s' } }], { f: 86_400 }), '1970-01-02T00:00:00.000Z');
  assert.equal(out([{ date: { to: 'epoch-ms' } }], { f: '1970-01-01T00:00:01Z' }), 1000);
  assert.equal(out([{ date: { to: 'epoch-s', from: 'epoch-ms' } }], { f: '1500' }), 1);
  assert.equal(
    out([{ date: { from: 'dd/MM/yyyy HH:mm', to: "yyyy-MM-dd'T'HH:mm:ssXXX" } }], { f: '31/12/2025 23:59' }),
    '2025-12-31T23:59:00Z',
  );
  assert.throws(
    () => out([{ date: { to: 'yyyy-MM-dd' } }], { f: 'next tuesday' }),
    (e) =>
      e instanceof UsageError &&
      e.message === 'mapping to "x": the value is not a date in the form iso (the rule\'s date transform)',
  );
});

test('lookup: a table, its default, and the value unchanged when neither applies', () => {
  const table = { table: { '1': 'Engineering', HR: 'People' }, default: 'Other' };
  assert.equal(out([{ lookup: table }], { f: 1 }), 'Engineering');
  assert.equal(out([{ lookup: table }], { f: 'HR' }), 'People');
  assert.equal(out([{ lookup: table }], { f: 'Sales' }), 'Other');
  assert.equal(out([{ lookup: { table: { a: 'b' } } }], { f: 'Sales' }), 'Sales');
  assert.equal(
    out([{ lookup: { table: { a: 'b' } } }], { f: 'constructor' }),
    'constructor',
    'no prototype keys',
  );
});

test('steps run in order', () => {
  const steps: TransformStep[] = [
    'trim',
    { replace: { pattern: '\\s+', with: '.' } },
    'lowercase',
    { concat: { suffix: '@corp.example' } },
  ];
  assert.equal(out(steps, { f: '  Jane  Doe ' }), 'jane.doe@corp.example');
});

test('on an incoming-only rule, the transform applies to the value read from the app', () => {
  const p = mapIncoming(
    [
      { app: 'userName', profile: 'username', direction: 'in', transform: ['lowercase'] },
      { app: 'groups', profile: 'groups', direction: 'in', transform: [{ join: ',' }] },
    ],
    { userName: 'JDOE', groups: ['a', 'b'] },
  );
  assert.deepEqual(p, { username: 'jdoe', groups: 'a,b' });
});

test('a two-way rule with a transform is outgoing only (its reverse is not known)', () => {
  const m: MappingRule[] = [{ app: 'userName', profile: 'username', transform: ['lowercase'] }];
  assert.equal(mapOutgoing(m, { username: 'JDoe' }, 'create').userName, 'jdoe');
  assert.deepEqual(mapIncoming(m, { userName: 'jdoe' }), {});
});

test('a wrong step is a ConfigError when the mapping is compiled, before any call', () => {
  const bad = (transform: unknown[], message: string) =>
    assert.throws(
      () => compileMapping([{ app: 'x', profile: 'f', transform: transform as TransformStep[] }]),
      (e) => e instanceof ConfigError && e.message === message,
    );
  bad(['lowercas'], 'unknown transform "lowercas" (did you mean "lowercase"?)');
  bad(
    [{ replace: { pattern: '(a', with: '' } }],
    'transform "replace" pattern: bad regex (error parsing regexp: missing closing ): `(a`)',
  );
  bad(['split'], 'transform "split" needs an argument: write { split: ... }');
  bad(
    [{ date: { to: 'yyyy-MM-dd', fron: 'iso' } }],
    'transform "date": unknown key "fron" (did you mean "from"?)',
  );
});
