// The bodies of `iam mappings show|test` (mappings-cmd.ts registers them). Neither calls the app:
// they read the instance's runtime mapping, the very one its commands use, and apply it locally.
import { stringify } from 'yaml';
import type { IamClient } from '../client.js';
import { builtInConnectors } from '../connectors/registry.js';
import { mapped } from '../core/commands/users.js';
import { UsageError } from '../core/errors.js';
import { mapIncoming } from '../core/mapping/engine.js';
import { parseJsonObject, parseUserProfile } from '../core/profile.js';
import { unknownProfileKeys } from '../core/profile-fields.js';
import type { CliIo } from './app.js';
import { defaultMappingFile, mappingData, mappingYaml } from './mapping-doc.js';
import { type Opts, selectInstances, withClient } from './run.js';

const text = (v: unknown, opts: Opts): string =>
  (opts.output as string) === 'yaml' ? stringify(v, { lineWidth: 0 }).replace(/\n$/, '') : JSON.stringify(v);

/** The one instance named by --instance (a string here), else the only one configured. */
export function oneInstance(client: IamClient, opts: Opts): string {
  const given = opts.instance as unknown;
  const [name] = selectInstances(client, { ...opts, instance: typeof given === 'string' ? [given] : [] });
  return name as string;
}

const brandDefinition = (brand: string) =>
  builtInConnectors.find((d) => d.brand.toLowerCase() === brand.trim().toLowerCase());

function usage(io: CliIo, message: string): Promise<number> {
  io.err(`iam: error: ${message.replace(/\s+/g, ' ')}`);
  return Promise.resolve(2);
}

/** Which mapping each side of an instance uses, said in the header of `show`. */
function sourceOf(client: IamClient, name: string): string[] {
  const inst = client.config.instances.get(name);
  const { outgoing, incoming } = inst?.mappers ?? {};
  const dflt = `the ${inst?.definition.brand} connector's default`;
  const out = outgoing !== undefined ? "the instance's mappers.outgoing" : dflt;
  const back = outgoing !== undefined ? "the instance's mappers.outgoing, read backwards" : dflt;
  return [
    `Effective mapping of instance "${name}" (${client.config.source}).`,
    `outgoing: ${out}; incoming: ${incoming !== undefined ? "the instance's mappers.incoming" : back}.`,
  ];
}

export function runShow(opts: Opts, io: CliIo): Promise<number> {
  const side = typeof opts.direction === 'string' ? opts.direction : undefined;
  if (typeof opts.brand === 'string') {
    // A brand's default needs no config: nothing is loaded.
    if (typeof opts.instance === 'string') return usage(io, 'give --brand or --instance, not both');
    const def = brandDefinition(opts.brand);
    if (!def) {
      const known = builtInConnectors.map((d) => d.brand).join(', ');
      return usage(io, `--brand: unknown brand ${JSON.stringify(opts.brand)} (expected one of: ${known})`);
    }
    if (opts.output === 'json') io.out(JSON.stringify(mappingData(def.mapping)));
    else io.out(defaultMappingFile(def).replace(/\n$/, ''));
    return Promise.resolve(0);
  }
  return withClient(opts, io, async (client) => {
    const name = oneInstance(client, opts);
    const all = client.runtime(name).mapping as unknown as Record<string, unknown>;
    const value = side ? all[side] : all;
    if (opts.output === 'json') io.out(JSON.stringify(mappingData(value)));
    else io.out(mappingYaml(value, sourceOf(client, name)).replace(/\n$/, ''));
    return 0;
  });
}

export function runMappingTest(opts: Opts, io: CliIo): Promise<number> {
  return withClient(opts, io, async (client) => {
    const { userProfile, account } = opts;
    if ((userProfile === undefined) === (account === undefined)) {
      throw new UsageError(
        'mappings test: give --user-profile (outgoing) or --account (incoming)',
        'user-profile',
      );
    }
    const rt = client.runtime(oneInstance(client, opts));
    if (account !== undefined) {
      io.out(text(mapIncoming(rt.mapping.incoming, parseJsonObject(account, 'account')), opts));
      return 0;
    }
    const profile = parseUserProfile(userProfile, rt.scimInputMapping);
    for (const m of unknownProfileKeys(profile, rt.mapping.outgoing))
      io.err(`iam: warning: ${m}; it is not sent`);
    const variant = opts.variant === 'update' ? 'update' : 'create';
    io.out(text(mapped(rt, profile, variant), opts));
    return 0;
  });
}
