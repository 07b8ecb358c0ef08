// Building blocks for connector settings schemas. `${env:NAME}`/`${file:PATH}` references are
// resolved by the instance loader before these schemas run, so here a secret is a plain string
// that becomes a Secret (which cannot print itself).
import { z } from 'zod';
import { Secret } from './secrets.js';

export const secretSetting = () =>
  z
    .union([z.string().min(1, 'expected a non-empty secret'), z.instanceof(Secret)], {
      error: `expected a secret: a string, \${env:NAME} or \${file:PATH}`,
    })
    .transform((v) => (v instanceof Secret ? v : new Secret(v)));

export const urlSetting = () =>
  z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));
