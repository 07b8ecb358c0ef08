// Interprets Okta's SCIM 2.0 SPEC test (a Runscope export) against a gateway: its initial script
// sets the random variables, each request step is sent with `{{variables}}` substituted, its
// assertions are checked as Runscope defines them and its variables extracted; a step's script runs
// with `response`, `assert` and `log`. Pause steps are not waited for (a loopback server needs none).
import nodeAssert from 'node:assert';
import { runInNewContext } from 'node:vm';
import { readSuite, SUITE_FILES } from './suites.js';

interface RunscopeAssertion {
  comparison: string;
  source: string;
  property?: string;
  value: string | null;
}
interface Step {
  step_type: string;
  note?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string[]>;
  body?: string;
  assertions?: RunscopeAssertion[];
  variables?: { source: string; name: string; property: string }[];
  scripts?: string[];
}

export interface OktaResult {
  name: string;
  passed: boolean;
  message?: string;
}

/** `Resources[0].name.familyName` read from a JSON value. */
export function readProperty(json: unknown, property: string): unknown {
  let at: unknown = json;
  for (const part of property.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[m[1]] : undefined;
    for (const index of m[2]?.match(/\d+/g) ?? []) at = Array.isArray(at) ? at[Number(index)] : undefined;
  }
  return at;
}

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function check(a: RunscopeAssertion, actual: unknown, expected: string): boolean {
  switch (a.comparison) {
    case 'equal_number':
      return Number(actual) === Number(expected);
    case 'equal':
      return actual !== undefined && actual !== null && String(actual) === expected;
    case 'not_empty':
      return !empty(actual);
    case 'is_a_number':
      return typeof actual === 'number';
    case 'has_value':
    case 'contains':
      return Array.isArray(actual)
        ? actual.map(String).includes(expected)
        : String(actual ?? '').includes(expected);
    case 'is_less_than':
      return Number(actual) < Number(expected);
    default:
      throw new Error(`unknown Runscope comparison ${a.comparison}`);
  }
}

export async function runOktaSuite(baseUrl: string, token: string): Promise<OktaResult[]> {
  const suite = JSON.parse(readSuite(SUITE_FILES.okta)) as { steps: Step[] };
  const vars = new Map<string, string>([
    ['SCIMBaseURL', baseUrl],
    ['auth', `Bearer ${token}`],
  ]);
  const variables = {
    set: (k: string, v: unknown) => vars.set(k, String(v)),
    get: (k: string) => vars.get(k),
  };
  runInNewContext(readSuite(SUITE_FILES.oktaScript), { variables, Math });
  const sub = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (all, k: string) => vars.get(k) ?? all);

  const results: OktaResult[] = [];
  for (const step of suite.steps) {
    if (step.step_type !== 'request') continue;
    const url = new URL(sub(step.url ?? ''));
    const headers = Object.fromEntries(
      Object.entries(step.headers ?? {}).map(([k, v]) => [k, sub(v.join(', '))]),
    );
    const started = performance.now();
    const res = await fetch(url, {
      method: step.method ?? 'GET',
      headers,
      ...(step.body ? { body: sub(step.body) } : {}),
    });
    const text = await res.text();
    const time = performance.now() - started;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const note = step.note ?? `${step.method} ${step.url}`;
    for (const a of step.assertions ?? []) {
      const actual =
        a.source === 'response_status'
          ? res.status
          : a.source === 'response_time'
            ? time
            : readProperty(json, a.property ?? '');
      const expected = sub(a.value ?? '');
      const passed = check(a, actual, expected);
      const name =
        `${note} / ${a.source}${a.property ? ` ${a.property}` : ''} ${a.comparison} ${a.value ?? ''}`.trim();
      results.push({ name, passed, ...(passed ? {} : { message: `got ${JSON.stringify(actual)}` }) });
    }
    for (const v of step.variables ?? []) vars.set(v.name, String(readProperty(json, v.property) ?? ''));
    for (const script of (step.scripts ?? []).filter((s) => s.trim())) {
      try {
        runInNewContext(script, {
          response: { body: text, status: res.status },
          assert: nodeAssert,
          log: () => {},
        });
        results.push({ name: `${note} / script`, passed: true });
      } catch (e) {
        results.push({ name: `${note} / script`, passed: false, message: String(e) });
      }
    }
  }
  return results;
}
