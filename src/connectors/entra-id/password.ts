// A password for "Create user" when the profile gives none: Entra ID requires one that meets its
// complexity rule (8 to 256 characters, 3 of the 4 classes lower, upper, digit, symbol). 24 random
// characters with every class present. It is sent only under `passwordProfile` (redacted by key in
// logs, audit lines and records) and never returned: nobody learns it (a reset sets a new one).
import { randomInt } from 'node:crypto';

const CLASSES = [
  'abcdefghijkmnopqrstuvwxyz',
  'ABCDEFGHJKLMNPQRSTUVWXYZ',
  '23456789',
  '!#%+-.:=?@_~',
] as const;
const ALL = CLASSES.join('');

export function generatePassword(length = 24): string {
  const chars = CLASSES.map((c) => c[randomInt(c.length)] as string);
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
