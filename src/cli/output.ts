// Printing of records: `--output json` is exactly the context object of spec section 2, one per
// line per instance; `table` is the human-readable form with a title per record.
import { createRequire } from 'node:module';
import type TableClass from 'cli-table3';
import type { TestResult } from '../client.js';
import { GROUP_COMMANDS, USER_COMMANDS } from '../commands/registry.js';
import { withDisplayKeys } from '../core/profile-fields.js';
import type { GroupRecord, UserResult } from '../core/record.js';
import { type Outcome, outcomeOf, PLAIN, paint, type Style, wrap } from './style.js';

export type OutputFormat = 'table' | 'json';
/** The JSON key of a group record (`GetGroup`...): a group command's `recordKey` in the registry. */
export type GroupKey = string;

/** First-generation JSON keys by the record's action (a create that updated prints as UpdateUser). */
const FIRST_GEN_KEY: Readonly<Record<string, string>> = Object.fromEntries(
  USER_COMMANDS.map((c) => [c.action, c.firstGenKey]),
);

export function userJson(result: UserResult, firstGeneration: boolean, displayKeys = false): string {
  if (firstGeneration) {
    const { action, skipped, reason, ...rest } = result.vendor;
    // The original form has no `skipped` key: a skip says why in errorMessage, as the
    // first-generation integrations did, so it cannot pass for a change that was made.
    const said = skipped && reason && !rest.errorMessage ? { ...rest, errorMessage: reason } : rest;
    return JSON.stringify({ [FIRST_GEN_KEY[action] ?? action]: said });
  }
  const profile = displayKeys ? withDisplayKeys(result.userProfile) : result.userProfile;
  return JSON.stringify({ IAM: { Vendor: result.vendor, UserProfile: profile } });
}

export const groupJson = (key: GroupKey, rec: GroupRecord): string => JSON.stringify({ [key]: rec });

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ');
  return String(v);
};

/** The key column's width (with its padding); the value column takes the rest of the terminal. */
const KEY_WIDTH = 16;

/**
 * Two columns as wide as the style's width (borders included); values wrapped (cut past a few
 * lines; the whole value is in --output json). `colored`: the row whose value takes the outcome's colour.
 */
// cli-table3 loads with the first table printed: JSON output and batches never need it.
const load = createRequire(import.meta.url);
const Table = (): typeof TableClass => load('cli-table3') as typeof TableClass;

function kvTable(rows: [string, unknown][], style: Style, colored?: [string, Outcome]): string {
  const valueWidth = style.width - KEY_WIDTH - 3; // three borders
  const t = new (Table())({ style: { head: [], border: [] }, colWidths: [KEY_WIDTH, valueWidth] });
  for (const [k, v] of rows) {
    const text = wrap(cell(v), valueWidth - 2); // its padding
    t.push({ [k]: colored?.[0] === k ? paint(style, colored[1], text) : text });
  }
  return t.toString();
}

/** A record's title line, in its outcome's colour, cut to the width. */
const heading = (text: string, style: Style, outcome: Outcome) =>
  paint(style, outcome, text.length > style.width ? `${text.slice(0, style.width - 1)}…` : text);

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function userTable(result: UserResult, style: Style = PLAIN): string {
  const v = result.vendor;
  const outcome = outcomeOf(v);
  const head = heading(`${title(v.action)} User Results (${v.brand})`, style, outcome);
  const rows: [string, unknown][] = v.skipped
    ? [
        ['brand', v.brand],
        ['instanceName', v.instanceName],
        ['skipped', v.skipped],
        ['reason', v.reason],
      ]
    : [
        ['brand', v.brand],
        ['instanceName', v.instanceName],
        ['success', v.success],
        ['active', v.active],
        ['id', v.id],
        ['username', v.username],
        ['email', v.email],
        ['errorCode', v.errorCode],
        ['errorMessage', v.errorMessage],
        ['details', v.details],
      ];
  return `${head}\n${kvTable(rows, style, [v.skipped ? 'skipped' : 'success', outcome])}`;
}

const GROUP_TITLE: Readonly<Record<string, string>> = Object.fromEntries(
  GROUP_COMMANDS.map((c) => [c.recordKey, c.title]),
);

export function groupTable(key: GroupKey, rec: GroupRecord, style: Style = PLAIN): string {
  const rows: [string, unknown][] = [
    ['brand', rec.brand],
    ['instanceName', rec.instanceName],
    ['success', rec.success],
    ['id', rec.id],
    ['displayName', rec.displayName],
    ['errorCode', rec.errorCode],
    ['errorMessage', rec.errorMessage],
  ];
  if (rec.members !== undefined) rows.push(['members', rec.members]);
  rows.push(['details', rec.details]);
  const outcome = outcomeOf(rec);
  const head = heading(`${GROUP_TITLE[key] ?? key} Results (${rec.brand})`, style, outcome);
  return `${head}\n${kvTable(rows, style, ['success', outcome])}`;
}

export function testOutput(r: TestResult, format: OutputFormat, style: Style = PLAIN): string {
  if (format === 'json') return JSON.stringify({ Test: r });
  const outcome = outcomeOf(r);
  const rows: [string, unknown][] = [
    ['instanceName', r.instanceName],
    ['success', r.success],
    ['message', r.message],
  ];
  return `${heading(`Test Results (${r.brand})`, style, outcome)}\n${kvTable(rows, style, ['success', outcome])}`;
}
