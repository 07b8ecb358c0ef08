// Spec sections 3 and 7, and the connector contract, on every brand of brands.ts.
import { describe } from 'node:test';
import { BRANDS } from './brands.js';
import { runConformance } from './suite.js';

for (const entry of BRANDS) {
  describe(`conformance: ${entry.name}`, () => runConformance(entry));
}
