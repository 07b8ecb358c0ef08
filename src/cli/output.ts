// Printing of records: `--output json` is exactly the context object of spec section 2, one per
// line per instance; `table` is the human-readable form with a title per record.
import Table from 'cli-table3';
import type { TestResult } from '../client.js';
import { GROUP_COMMANDS, USER_COMMANDS } from '../commands/registry.js';
import { withDisplayKeys } from '../core/profile-fields.js';
import type { GroupRecord, UserResult } from '../core/record.js';

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

function kvTable(rows: [string, unknown][]): string {
  const t = new Table({ style: { head: [], border: [] }, wordWrap: true, colWidths: [16, 80] });
  for (const [k, v] of rows) t.push({ [k]: cell(v) });
  return t.toString();
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function userTable(result: UserResult): string {
  const v = result.vendor;
  const head = `${title(v.action)} User Results (${v.brand})`;
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
  return `${head}\n${kvTable(rows)}`;
}

const GROUP_TITLE: Readonly<Record<string, string>> = Object.fromEntries(
  GROUP_COMMANDS.map((c) => [c.recordKey, c.title]),
);

export function groupTable(key: GroupKey, rec: GroupRecord): string {
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
  return `${GROUP_TITLE[key] ?? key} Results (${rec.brand})\n${kvTable(rows)}`;
}

export function testOutput(r: TestResult, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify({ Test: r });
  return `Test Results (${r.brand})\n${kvTable([
    ['instanceName', r.instanceName],
    ['success', r.success],
    ['message', r.message],
  ])}`;
}
