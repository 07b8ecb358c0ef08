// Micro-benchmark of the mapping engine on the get-user and create-user hot paths, with the
// spec's default SCIM mapping: mapOutgoing (create, update), mapIncoming (an app's answer back to
// a profile) and lookupKeys (the lookup mapping of every get/create/update).
//
//   node --import tsx bench/mapping.ts              this tree's src/ alone
//   node --import tsx bench/mapping.ts BASE_SRC     BASE_SRC (a copy of another commit's src/, e.g.
//       `mkdir /tmp/base && git archive HEAD~1 src | tar -x -C /tmp/base`, then /tmp/base/src)
//       against this tree, rounds interleaved, best of each kept, and the ratio base / ours.
// Nothing here asserts a speed; it prints ns per call.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstanceRuntime } from '../src/core/instance.js';
import type { Profile } from '../src/core/profile.js';

type EngineModule = typeof import('../src/core/mapping/engine.js');
type LookupModule = typeof import('../src/core/commands/lookup.js');
type ScimMappingModule = typeof import('../src/scim/mapping.js');

interface Side {
  name: string;
  cases: Record<string, () => unknown>;
}

const PROFILES = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CALLS_PER_ROUND = Number(process.env.BENCH_CALLS ?? 200_000);

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const profiles: Profile[] = Array.from({ length: PROFILES }, (_, i) => ({
  username: `user${i}`,
  email: `user${i}@example.com`,
  givenname: 'Jane',
  surname: `Doe ${i}`,
  ...(i % 3 === 0 ? { department: 'R&D', mobilephone: `+1 555 ${i}` } : {}),
  ...(i % 5 === 0 ? { displayname: `J. Doe ${i}` } : {}),
}));
/** What a SCIM server answers for each profile (the object mapIncoming reads back). */
const answers = profiles.map((p, i) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: `id-${i}`,
  userName: p.username,
  emails: [{ type: 'work', primary: true, value: p.email }],
  name: { givenName: p.givenname, familyName: p.surname },
  displayName: p.displayname ?? `Jane ${p.surname}`,
  active: true,
  ...(p.department ? { [ENT]: { department: p.department } } : {}),
  meta: { resourceType: 'User', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-01T00:00:00Z' },
}));

async function load(name: string, src: string): Promise<Side> {
  const url = (p: string) => pathToFileURL(join(src, p)).href;
  const engine = (await import(url('core/mapping/engine.ts'))) as EngineModule;
  const lookup = (await import(url('core/commands/lookup.ts'))) as LookupModule;
  const { scimUserMapping: mapping } = (await import(url('scim/mapping.ts'))) as ScimMappingModule;
  const rt = {
    capabilities: { lookup: ['id', 'userName', 'emails'] },
    mapping: { outgoing: mapping, incoming: mapping },
  } as unknown as InstanceRuntime;
  let i = 0;
  const next = () => {
    i = (i + 1) % PROFILES;
    return i;
  };
  return {
    name,
    cases: {
      'mapOutgoing create': () => engine.mapOutgoing(mapping, profiles[next()]!, 'create'),
      'mapOutgoing update': () => engine.mapOutgoing(mapping, profiles[next()]!, 'update'),
      mapIncoming: () => engine.mapIncoming(mapping, answers[next()]!),
      'lookupKeys (get-user)': () => lookup.lookupKeys(rt, profiles[next()]!, 'update'),
    },
  };
}

/** ns per call over one round of CALLS_PER_ROUND calls. */
function round(fn: () => unknown): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let n = 0; n < CALLS_PER_ROUND; n++) if (fn()) sink++;
  const ns = Number(process.hrtime.bigint() - start);
  if (sink !== CALLS_PER_ROUND) throw new Error('a call returned nothing');
  return ns / CALLS_PER_ROUND;
}

async function main(): Promise<void> {
  const sides = [await load('ours', resolve(import.meta.dirname, '../src'))];
  const base = process.argv[2];
  if (base) sides.unshift(await load('base', resolve(base)));
  const names = Object.keys(sides[0]!.cases);
  const best = new Map<string, number>();
  // Warm-up: every case of every side, so the JIT has seen them all before timing starts.
  for (const side of sides) for (const c of names) round(side.cases[c]!);
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of names) {
      for (const side of sides) {
        const ns = round(side.cases[c]!);
        const key = `${side.name}\u0000${c}`;
        best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ns));
      }
    }
  }
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const lines = [`best of ${ROUNDS} rounds of ${fmt(CALLS_PER_ROUND)} calls, ns per call`];
  for (const c of names) {
    const ours = best.get(`ours\u0000${c}`)!;
    if (!base) {
      lines.push(`| ${c} | ${fmt(ours)} |`);
      continue;
    }
    const before = best.get(`base\u0000${c}`)!;
    lines.push(`| ${c} | ${fmt(before)} | ${fmt(ours)} | ${(before / ours).toFixed(2)}× |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
