// Loads an instance's `mappers` (config.ts calls it): `outgoing` is a file, a list, or
// `{ create, update }` (each a list or a file; `update` falls back to `create`); `incoming` a file or
// a list. A file holds a list, `{ create, update }`, or `{ outgoing, incoming }`. Every rule is
// checked and compiled here, so a problem is one ConfigError line naming the file, the line and the
// rule (1-based): `mappings/hr-out.yaml:12: rule 3: unknown transform "lowercas" (did you mean "lowercase"?)`.
// The result is plain Mapping lists: variants become `on: create|update`, incoming rules `direction: in`.
import { isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type LineOf, yamlKeyLines, yamlProblem } from '../config-errors.js';
import { ConfigError } from '../errors.js';
import { unsafeJson } from '../profile.js';
import { CappedReadError, FILE_CAPS, readCappedFile } from '../read-capped.js';
import { checkRuleShape, RuleProblem } from './rule-check.js';
import type { Mapping, MappingRule } from './types.js';

export interface LoadedMappers {
  outgoing?: Mapping;
  incoming?: Mapping;
}

/** Where a YAML value came from: a label for messages and the key path of its lines. */
interface Origin {
  /** `mappings/hr-out.yaml`, or `iam.yaml` plus the instance and key for inline rules. */
  file: string;
  /** After `file:line: `: `` for a mapping file, `instance "hr" mappers.outgoing ` inline. */
  context: string;
  lineOf: LineOf | undefined;
  path: readonly PropertyKey[];
}

export interface MappersContext {
  /** `config.yaml: instance "hr"`, for file read errors (as before). */
  where: string;
  /** The config file (or `config` for a config given as an object). */
  source: string;
  instance: string;
  baseDir: string;
  lineOf: LineOf | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function fail(o: Origin, sub: readonly PropertyKey[], message: string): never {
  const line = o.lineOf?.([...o.path, ...sub]) ?? (sub.length ? o.lineOf?.(o.path) : undefined);
  throw new ConfigError(`${o.file}${line === undefined ? '' : `:${line}`}: ${o.context}${message}`);
}

function rules(raw: unknown, o: Origin, incoming: boolean, on?: 'create' | 'update'): MappingRule[] {
  if (!Array.isArray(raw)) fail(o, [], 'expected a list of rules');
  return raw.map((item, i) => {
    try {
      const rule = checkRuleShape(item, incoming);
      if (!on) return rule;
      if (rule.on && rule.on !== on) throw new RuleProblem(`"on: ${rule.on}" in the ${on} list`, 'on');
      return { ...rule, on };
    } catch (e) {
      if (!(e instanceof RuleProblem)) throw e;
      const line = o.lineOf?.([...o.path, i, ...(e.key ? [e.key] : [])]) ?? o.lineOf?.([...o.path, i]);
      throw new ConfigError(
        `${o.file}${line === undefined ? '' : `:${line}`}: ${o.context}rule ${i + 1}: ${e.message}`,
      );
    }
  });
}

function readFile(ref: string, ctx: MappersContext, key: string): { raw: unknown; origin: Origin } {
  const path = resolve(ctx.baseDir, ref);
  let text: string;
  try {
    text = readCappedFile(path, FILE_CAPS.mapping);
  } catch (e) {
    const reason = e instanceof CappedReadError ? e.code : ((e as Error).message.split('\n')[0] ?? 'error');
    const why = reason.startsWith('larger than') ? `${reason}, the limit for a mapping file` : reason;
    throw new ConfigError(`${ctx.where} key "${key}": cannot read mapping file ${path} (${why})`);
  }
  const origin: Origin = { file: shown(path), context: '', lineOf: yamlKeyLines(text), path: [] };
  let raw: unknown;
  try {
    const doc = parseDocument(text, { logLevel: 'silent', lineCounter: new LineCounter() });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw problem;
    raw = doc.toJS();
  } catch (e) {
    fail({ ...origin, lineOf: undefined }, [], `not valid YAML (${yamlProblem(e, text)})`);
  }
  const unsafe = unsafeJson(raw);
  if (unsafe) fail({ ...origin, lineOf: undefined }, [], `not accepted: ${unsafe}`);
  return { raw, origin };
}

/** `{ create, update }` (or a list): the outgoing list, variants tagged with `on`. */
function outgoingSide(raw: unknown, o: Origin, ctx: MappersContext | undefined): MappingRule[] {
  if (Array.isArray(raw)) return rules(raw, o, false);
  if (!isObj(raw) || !('create' in raw || 'update' in raw))
    fail(o, [], 'expected a list of rules or { create, update }');
  const extra = Object.keys(raw).find((k) => k !== 'create' && k !== 'update');
  if (extra !== undefined) fail(o, [extra], 'expected only "create" and "update" here');
  if (raw.create === undefined)
    fail(o, [], '"create" is missing (update falls back to it, not the other way)');
  const side = (key: 'create' | 'update'): unknown => raw[key];
  const list = (key: 'create' | 'update', on: 'create' | 'update' | undefined) => {
    const v = side(key);
    if (typeof v === 'string' && ctx) {
      const f = readFile(v, ctx, `mappers.outgoing.${key}`);
      return rules(f.raw, f.origin, false, on);
    }
    return rules(v, { ...o, path: [...o.path, key] }, false, on);
  };
  if (raw.update === undefined) return list('create', undefined);
  return [...list('create', 'create'), ...list('update', 'update')];
}

function fileMappers(ref: string, ctx: MappersContext, key: 'outgoing' | 'incoming'): LoadedMappers {
  const { raw, origin } = readFile(ref, ctx, `mappers.${key}`);
  const sides = isObj(raw) && ('outgoing' in raw || 'incoming' in raw);
  if (!sides) {
    if (key === 'incoming') return { incoming: rules(raw, origin, true) };
    return { outgoing: outgoingSide(raw, origin, undefined) };
  }
  const obj = raw as Record<string, unknown>;
  const extra = Object.keys(obj).find((k) => k !== 'outgoing' && k !== 'incoming');
  if (extra !== undefined) fail(origin, [extra], 'expected only "outgoing" and "incoming" here');
  const out: LoadedMappers = {};
  if (obj.outgoing !== undefined)
    out.outgoing = outgoingSide(obj.outgoing, { ...origin, path: ['outgoing'] }, undefined);
  if (obj.incoming !== undefined) out.incoming = rules(obj.incoming, { ...origin, path: ['incoming'] }, true);
  if (out[key] === undefined) fail(origin, [], `no "${key}" side in this file`);
  return out;
}

/** The instance's mappings, checked and compiled; a ConfigError line for the first problem. */
export function loadMappers(
  mappers: { outgoing?: unknown; incoming?: unknown } | undefined,
  ctx: MappersContext,
): LoadedMappers {
  const inline = (key: string): Origin => ({
    file: ctx.source,
    context: `instance "${ctx.instance}" mappers.${key} `,
    lineOf: ctx.lineOf,
    path: ['instances', ctx.instance, 'mappers', key],
  });
  const result: LoadedMappers = {};
  let fromOutgoingFile: Mapping | undefined;
  const out = mappers?.outgoing;
  if (typeof out === 'string') {
    const f = fileMappers(out, ctx, 'outgoing');
    result.outgoing = f.outgoing;
    fromOutgoingFile = f.incoming;
  } else if (out !== undefined) result.outgoing = outgoingSide(out, inline('outgoing'), ctx);
  const inc = mappers?.incoming;
  if (typeof inc === 'string') result.incoming = fileMappers(inc, ctx, 'incoming').incoming;
  else if (inc !== undefined) result.incoming = rules(inc, inline('incoming'), true);
  else if (fromOutgoingFile) result.incoming = fromOutgoingFile;
  return result;
}
