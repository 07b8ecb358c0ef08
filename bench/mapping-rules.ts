// `npm run bench` part `mapping` (BENCH_ONLY=mapping): the compiled mapping engine on a 20-rule
// mapping of the extended format (templates, transforms, a condition, a constant, extension URNs),
// outgoing and incoming, in operations per second; and its share of a get-user's CPU, estimated as
// (one lookup-variant outgoing + one incoming mapping) / (the CLI's CPU seconds per get-user of
// `iam batch get-user` against the bench's SCIM server child, with this mapping as the instance's).
// Indicative only: the machine is shared. Nothing asserts a speed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileMapping, lookupVariant, mapIncoming, mapOutgoing } from '../src/core/mapping/engine.js';
import type { Mapping } from '../src/core/mapping/types.js';
import type { Profile } from '../src/core/profile.js';
import { seed } from './ceiling.js';
import { CLI, startScimChild, writeLines } from './tools.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const CALLS = Number(process.env.BENCH_MAPPING_CALLS ?? 200_000);
const GET_USERS = Number(process.env.BENCH_MAPPING_USERS ?? 3000);

/** 20 rules, as a company's mapping might be. */
export const RULES: Mapping = [
  { app: 'userName', profile: ['username', 'email'], transform: ['trim', 'lowercase'] },
  { app: 'emails[type eq "work"].value', profile: 'email', with: { primary: true } },
  { app: 'name.givenName', profile: 'givenname' },
  { app: 'name.familyName', profile: 'surname' },
  { app: 'displayName', profile: 'displayname', template: '{surname}, {givenname}' },
  { app: 'externalId', profile: 'employeeid' },
  { app: 'title', profile: 'title', transform: [{ default: 'Staff' }] },
  {
    app: 'userType',
    profile: 'employeetype',
    transform: [{ lookup: { table: { E: 'Employee', C: 'Contractor' } } }],
  },
  {
    app: 'phoneNumbers[type eq "mobile"].value',
    profile: 'mobilephone',
    transform: [{ replace: { pattern: '[^+0-9]', with: '' } }],
  },
  { app: `${ENT}:employeeNumber`, profile: 'employeenumber' },
  { app: `${ENT}:department`, profile: 'department', transform: ['trim'] },
  { app: `${ENT}:division`, profile: 'division' },
  { app: `${ENT}:costCenter`, profile: 'costcentercode', transform: ['uppercase'] },
  { app: `${ENT}:manager.value`, profile: 'manageremail' },
  { app: `${ACME}:site`, profile: 'location', transform: [{ concat: { prefix: 'site-' } }] },
  { app: `${ACME}:hireDate`, profile: 'hiredate', transform: [{ date: { from: 'iso', to: 'yyyy-MM-dd' } }] },
  { app: `${ACME}:groups`, profile: 'groups', transform: [{ split: ',' }, 'trim'] },
  { app: `${ACME}:contractor`, value: true, when: { field: 'employeetype', equals: 'C' } },
  { app: 'preferredLanguage', value: 'en-US' },
  { app: 'nickName', template: '{givenname}' },
];

const profiles: Profile[] = Array.from({ length: 1000 }, (_, i) => ({
  username: ` User${i} `,
  email: `user${i}@example.com`,
  givenname: 'Jane',
  surname: `Doe ${i}`,
  employeeid: `E${i}`,
  employeetype: i % 4 === 0 ? 'C' : 'E',
  mobilephone: `+1 (555) 01-${i}`,
  department: ' R&D ',
  costcentercode: `cc-${i % 50}`,
  location: 'Berlin',
  hiredate: '2024-03-01T09:00:00Z',
  groups: 'a, b, c',
}));

function opsPerSecond(fn: (i: number) => unknown): number {
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let n = 0; n < CALLS; n++) fn(n % 1000);
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, CALLS / s);
  }
  return best;
}

/** CPU seconds of the CLI per get-user, from `iam batch get-user` with this mapping. */
async function cpuPerGetUser(dir: string): Promise<number> {
  const server = await startScimChild();
  try {
    await seed(server, 'user', GET_USERS);
    const input = join(dir, 'map-get.jsonl');
    await writeLines(input, GET_USERS, (i) => JSON.stringify({ username: `user${i}` }));
    writeFileSync(join(dir, 'rules.yaml'), stringify([...RULES]));
    const config = join(dir, 'map-iam.yaml');
    writeFileSync(
      config,
      `instances:\n  bench:\n    brand: SCIM\n    baseUrl: ${server.url}\n    token: ${server.token}\n    mappers:\n      outgoing: ./rules.yaml\n`,
    );
    const args = [
      'batch',
      'get-user',
      '--input',
      input,
      '--instance',
      'bench',
      '--config',
      config,
      '--out',
      '/dev/null',
    ];
    const run = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_DATA_HOME: join(dir, 'data') },
      encoding: 'utf8',
    });
    const last = run.stderr.trim().split('\n').pop() ?? '';
    const [user, sys] = last.split(' ').map(Number);
    if (run.status !== 0 || user === undefined || sys === undefined || Number.isNaN(user + sys))
      throw new Error(`iam batch get-user: exit ${run.status}\n${run.stderr.slice(-1000)}`);
    return (user + sys) / GET_USERS;
  } finally {
    await server.stop();
  }
}

export async function mappingBenchmark(dir: string): Promise<string[]> {
  const compiled = compileMapping(RULES);
  const lookup = lookupVariant(compiled);
  const answers = profiles.map((p) => ({ id: 'x', ...mapOutgoing(compiled, p, 'create') }));
  process.stderr.write('mapping: engine...\n');
  const out = opsPerSecond((i) => mapOutgoing(compiled, profiles[i]!, 'create'));
  const look = opsPerSecond((i) => mapOutgoing(lookup, profiles[i]!, 'update'));
  const inc = opsPerSecond((i) => mapIncoming(compiled, answers[i]!));
  process.stderr.write(`mapping: iam batch get-user of ${GET_USERS} users for its CPU...\n`);
  const cpu = await cpuPerGetUser(dir);
  const perGet = 1 / look + 1 / inc;
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  return [
    `| 20-rule mapping (templates, transforms, extension URNs), best of 5 × ${fmt(CALLS)} calls | ops/s | µs per call |`,
    '|---|---|---|',
    `| mapOutgoing (create) | ${fmt(out)} | ${fmt(1e6 / out, 2)} |`,
    `| mapOutgoing, lookup variant (every get/update) | ${fmt(look)} | ${fmt(1e6 / look, 2)} |`,
    `| mapIncoming (an answer back to a profile) | ${fmt(inc)} | ${fmt(1e6 / inc, 2)} |`,
    `| share of a get-user's CPU (${fmt(cpu * 1e6)} µs CPU per get-user in \`iam batch get-user\`, ${fmt(GET_USERS)} users) | **${fmt((perGet / cpu) * 100, 2)}%** (target < 5%) | ${fmt(perGet * 1e6, 2)} µs |`,
  ];
}
