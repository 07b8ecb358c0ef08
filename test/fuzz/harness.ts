// Shared by the fuzz tests: run the CLI in-process with captured streams (or spawned, as a user
// runs it), and the one property every run must keep, whatever the input: exit 2 with one clear
// line on stderr, or records (exit 0/1) that are well-formed JSON with every IAM.Vendor field.
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/app.js';
import { runIam } from '../support/run-iam.js';

export { BIN } from '../support/run-iam.js';

export interface Outcome {
  code: number | null;
  out: string[];
  err: string[];
}

/** `iam ARGS` in this process: runCli with captured lines, a non-TTY (so JSON output). */
export async function iamInProcess(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    // A batch hands stdout several records at once (one write per event-loop turn): one per line here.
    out: (text) => out.push(...text.split('\n')),
    err: (l) => err.push(l),
    isTTY: false,
    // Its own data directory: a default audit log or Local store never lands in the user's.
    env: { HOME: opts.cwd, XDG_DATA_HOME: opts.cwd, ...opts.env },
    cwd: opts.cwd,
  });
  return { code, out, err };
}

/** `node dist/cli/main.js ARGS` as a process (async, so loopback peers in this process keep answering). */
export function iamSpawned(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; killAfterMs?: number },
): Promise<Outcome> {
  const lines = (s: string) => s.split('\n').filter((l) => l !== '');
  return runIam(args, {
    cwd: opts.cwd,
    env: { XDG_DATA_HOME: opts.cwd, ...opts.env },
    killAfterMs: opts.killAfterMs ?? 30_000,
  }).then((r) => ({ code: r.code, out: lines(r.stdout), err: lines(r.stderr) }));
}

const JS_ERROR =
  /Maximum call stack size exceeded|is not a function|is not iterable|Cannot read propert|Cannot convert|undefined is not|Invalid array length|Invalid string length/;
const STACK = /\n\s+at |^\s*at .+:\d+:\d+\)?$|Error: .*\n/m;
const VENDOR_FIELDS = [
  'action',
  'brand',
  'instanceName',
  'success',
  'active',
  'id',
  'username',
  'email',
  'errorCode',
  'errorMessage',
  'details',
  'skipped',
  'reason',
] as const;
const GROUP_KEYS = ['GetGroup', 'CreateGroup', 'UpdateGroup', 'DeleteGroup'];

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

/** A one-line message a user can read: no newline, no stack frame, no "internal error". */
export function assertOneLineMessage(msg: unknown, label: string): void {
  assert.equal(typeof msg, 'string', `${label}: message is a string`);
  const m = msg as string;
  assert.doesNotMatch(m, /[\r\n]/, `${label}: one line: ${m}`);
  assert.doesNotMatch(m, STACK, `${label}: no stack trace: ${m}`);
  // Our own markers of an unexpected exception (record.ts, run.ts, main.ts), and JavaScript's own
  // words for a bug, which say nothing to a user even when some layer wrapped them in a record.
  assert.doesNotMatch(m, /^(iam: )?internal error/i, `${label}: not an internal error: ${m}`);
  assert.doesNotMatch(m, JS_ERROR, `${label}: not a JavaScript error: ${m}`);
}

/** IAM.Vendor: every field of spec section 2, with its type; a failure carries a clear message. */
export function assertVendorRecord(v: unknown, label: string): asserts v is Record<string, unknown> {
  assert.ok(isObj(v), `${label}: IAM.Vendor is an object`);
  assert.deepEqual(Object.keys(v), [...VENDOR_FIELDS], `${label}: IAM.Vendor fields in the spec's order`);
  assert.ok(['get', 'create', 'update', 'enable', 'disable'].includes(v.action as string), label);
  assert.equal(typeof v.brand, 'string', label);
  assert.equal(typeof v.instanceName, 'string', label);
  assert.equal(typeof v.success, 'boolean', label);
  assert.ok(v.active === null || typeof v.active === 'boolean', `${label}: active`);
  assert.ok(strOrNull(v.id) && strOrNull(v.username) && strOrNull(v.email), `${label}: id/username/email`);
  assert.ok(v.errorCode === null || ['number', 'string'].includes(typeof v.errorCode), `${label}: errorCode`);
  assert.equal(typeof v.skipped, 'boolean', label);
  assert.equal(typeof v.reason, 'string', label);
  assertOneLineMessage(v.errorMessage, `${label}: errorMessage`);
  if (v.success) {
    assert.equal(v.errorMessage, '', `${label}: no errorMessage on success`);
    if (!v.skipped) assert.ok(typeof v.id === 'string' && v.id !== '', `${label}: a success names the id`);
  } else assert.notEqual(v.errorMessage, '', `${label}: a failure says why`);
}

export function assertGroupRecord(g: unknown, label: string): asserts g is Record<string, unknown> {
  assert.ok(isObj(g), `${label}: group record is an object`);
  // The original design's group record: these keys, in this order.
  assert.deepEqual(
    Object.keys(g).filter((k) => k !== 'skipped' && k !== 'reason'),
    GROUP_RECORD_KEYS,
    `${label}: group record keys`,
  );
  assert.equal(typeof g.success, 'boolean', label);
  assert.ok(strOrNull(g.id) && strOrNull(g.displayName), `${label}: id/displayName`);
  if (g.success) assert.equal(g.errorMessage, null, `${label}: ${JSON.stringify(g)}`);
  else {
    assertOneLineMessage(g.errorMessage, `${label}: errorMessage`);
    assert.notEqual(g.errorMessage, '', `${label}: a failure says why`);
  }
}

const GROUP_RECORD_KEYS = [
  'active',
  'brand',
  'details',
  'displayName',
  'email',
  'errorCode',
  'errorMessage',
  'id',
  'instanceName',
  'members',
  'success',
  'username',
];

/** One printed line: a user record, a group record or a Test result. Returns its success. */
export function assertRecordLine(line: string, label: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    assert.fail(`${label}: stdout line is not JSON: ${line.slice(0, 200)}`);
  }
  assert.ok(isObj(value), `${label}: a JSON object`);
  const parsed: Record<string, unknown> = value;
  if (isObj(parsed.IAM)) {
    assertVendorRecord(parsed.IAM.Vendor, label);
    assert.ok(isObj(parsed.IAM.UserProfile), `${label}: IAM.UserProfile is an object`);
    return parsed.IAM.Vendor.success === true;
  }
  const key = GROUP_KEYS.find((k) => k in parsed);
  if (key) {
    const g = parsed[key];
    assertGroupRecord(g, label);
    return g.success === true;
  }
  if (isObj(parsed.Test)) {
    assertOneLineMessage(parsed.Test.message, `${label}: Test.message`);
    return parsed.Test.success === true;
  }
  if (isObj(parsed.MappingFields) || 'name' in parsed) return true;
  assert.fail(`${label}: unknown record shape: ${line.slice(0, 200)}`);
}

/**
 * The property: exit 2 with exactly one `iam: error:` line naming what was wrong and nothing on
 * stdout; or exit 0/1 with well-formed records (1 exactly when one failed) and at most warnings.
 */
export function assertCleanOutcome(o: Outcome, label: string): void {
  const errors = o.err.filter((l) => !l.startsWith('iam: warning: '));
  if (o.code === 2) {
    assert.deepEqual(o.out, [], `${label}: nothing on stdout with exit 2`);
    assert.equal(errors.length, 1, `${label}: one line on stderr, got: ${JSON.stringify(o.err)}`);
    const line = errors[0] as string;
    assert.match(line, /^iam: error: \S/, `${label}: an "iam: error:" line: ${line}`);
    assertOneLineMessage(line, label);
    return;
  }
  assert.ok(
    o.code === 0 || o.code === 1,
    `${label}: exit 0, 1 or 2, got ${o.code}: ${JSON.stringify(o.err)}`,
  );
  assert.deepEqual(errors, [], `${label}: no error lines with exit ${o.code}`);
  assert.ok(o.out.length > 0, `${label}: a record is printed`);
  const results = o.out.map((l, i) => assertRecordLine(l, `${label} [line ${i + 1}]`));
  assert.equal(o.code, results.every(Boolean) ? 0 : 1, `${label}: exit code matches the records`);
}
