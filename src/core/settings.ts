// Building blocks for connector settings schemas. `${env:NAME}`/`${file:PATH}` references are
// resolved by the instance loader before these schemas run, so here a secret is a plain string
// that becomes a Secret (which cannot print itself).
import { z } from 'zod';
import { CONTROL_CHAR, Secret } from './secrets.js';

export const secretSetting = () =>
  z
    .union(
      [
        z
          .string()
          .min(1, 'expected a non-empty secret')
          // It goes into a header: a line break there fails every request with a bare "network error".
          .refine(
            (s) => !CONTROL_CHAR.test(s),
            'holds a control character (a line break?): expected one line',
          ),
        z.instanceof(Secret),
      ],
      {
        error: `expected a secret: a string, \${env:NAME} or \${file:PATH}`,
      },
    )
    .transform((v) => (v instanceof Secret ? v : new Secret(v)))
    // `iam brands` shows it as a secret (and a ${env:}/${file:} reference is the way to give it).
    .meta({ secret: true });

export const urlSetting = () =>
  z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));
