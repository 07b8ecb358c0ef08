// An app's error text made printable, for every connector (SCIM and REST alike): one line, no
// HTML, no control characters, no known secret, capped. Lives in http, not scim, so the REST kit
// does not depend on the SCIM client.
import { redactText } from '../core/redact.js';

export const MAX_MESSAGE = 300;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** One printable line: tags, entities and control characters removed, whitespace collapsed, capped. */
export function cleanText(text: string, secrets: readonly string[] = [], max = MAX_MESSAGE): string {
  const noTags = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|[a-z]+);/gi, (m, name: string) =>
      name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)) || 32)
        : (ENTITIES[name.toLowerCase()] ?? m),
    );
  const oneLine = noTags.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const safe = redactText(oneLine, secrets);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
