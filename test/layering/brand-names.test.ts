// Nothing outside src/connectors/ branches on a brand (the contract: the core derives what an
// instance supports from the operations its connector implements). This scans the shipped source
// for any registered brand written as a string literal, outside the connectors and the registry.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { builtInConnectors } from '../../src/connectors/registry.js';

const SRC = resolve(import.meta.dirname, '../../src');
const ALLOWED = [join(SRC, 'connectors')];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (ALLOWED.includes(path)) return [];
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every place `brand` is written as a string literal ('X', "X" or `X`) in `text`, as line numbers. */
export function brandLiterals(text: string, brand: string): number[] {
  const quoted = new RegExp(`(['"\`])${brand.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\1`);
  return text.split('\n').flatMap((line, i) => (quoted.test(line) ? [i + 1] : []));
}

test('the scan finds a brand literal where one is written', () => {
  assert.deepEqual(brandLiterals("const a = 1;\nif (i.brand === 'AWS-ILM') x();", 'AWS-ILM'), [2]);
  assert.deepEqual(brandLiterals('// the Local brand', 'Local'), [], 'prose is not a literal');
});

test('no brand name is written in src/ outside src/connectors/ (and its registry)', () => {
  const brands = builtInConnectors.map((d) => d.brand);
  assert.ok(brands.length >= 3, 'the registry lists the built-in brands');
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const brand of brands) {
      for (const line of brandLiterals(text, brand)) found.push(`${relative(SRC, file)}:${line} ${brand}`);
    }
  }
  assert.deepEqual(found, [], `brand names outside src/connectors/: ${found.join('; ')}`);
});
