// The directory connector, shared by every directory brand: `createDirectoryConnector(profile,
// settings, ctx)` builds a contract Connector from a DirectoryProfile (how the directory's schema
// holds users and groups) and the brand's settings. The brand's folder only builds the profile and
// declares settings, mapping and capabilities. Nothing is opened here: the pool connects on first use.

import type { Connector, ConnectorContext } from '../core/connector.js';
import { readCaFile } from '../http/tls.js';
import { DirectoryClient } from './client.js';
import { directoryGroupOperations } from './groups.js';
import { presenceFilter } from './lib.js';
import { PagedLister } from './paged.js';
import type { DirectoryProfile } from './profile.js';
import type { DirectorySettings } from './settings.js';
import { readSubschema } from './subschema.js';
import { directoryUserOperations } from './users.js';

export interface DirectoryOptions {
  /** Connections at most: the brand's `capabilities.concurrency`. */
  poolSize: number;
  /** App attributes users may be looked up by, besides `id` (the brand's lookup order). */
  lookup: readonly string[];
  /** Attributes read for a user (the mapped ones and those the profile needs). */
  userAttributes: readonly string[];
  /** The brand's declared attributes: get-mapping-fields' answer when the subschema cannot be read. */
  mappingFields?: readonly string[];
}

export function createDirectoryConnector(
  profile: DirectoryProfile,
  settings: DirectorySettings,
  ctx: ConnectorContext,
  opts: DirectoryOptions,
): Connector {
  const secrets = ctx.secretValues ?? [settings.password.reveal()];
  const caPath = ctx.caFile ?? settings.caFile;
  // Read lazily: create() does no I/O (a missing file is a ConfigError on first use).
  let ca: string | undefined;
  const client = new DirectoryClient({
    url: settings.url,
    startTls: settings.startTls,
    bindDn: settings.bindDn,
    password: settings.password,
    get ca() {
      if (caPath && ca === undefined) ca = readCaFile(caPath);
      return ca;
    },
    insecure: settings.insecure,
    tlsServerName: settings.tlsServerName,
    timeoutMs: settings.timeoutMs,
    poolSize: opts.poolSize,
    secrets,
  });
  const lister = new PagedLister(client);
  const attributes = [
    ...new Set([
      profile.idAttribute,
      ...profile.userAttributes,
      ...opts.userAttributes,
      ...profile.binaryAttributes,
    ]),
  ];
  const users = directoryUserOperations({
    client,
    profile,
    lister,
    userBase: settings.userBase,
    attributes,
    lookup: opts.lookup,
    ctx,
  });
  const groups = directoryGroupOperations({
    client,
    profile,
    lister,
    userBase: settings.userBase,
    groupBase: settings.groupBase,
    memberChunkSize: settings.memberChunkSize,
    ctx,
  });
  return {
    ...users,
    ...groups,
    async test() {
      const found = await client.search({
        base: settings.userBase,
        scope: 'base',
        filter: presenceFilter('objectClass'),
        attributes: ['objectClass'],
      });
      const tls = /^ldaps:/i.test(settings.url) ? 'LDAPS' : settings.startTls ? 'StartTLS' : 'no TLS';
      return `${settings.url} (${tls}): bound as ${settings.bindDn}, userBase ${settings.userBase} ${found.length ? 'found' : 'not found'}`;
    },
    schema: () => readSubschema(client, profile.userObjectClasses, opts.mappingFields ?? []),
    async close() {
      await lister.close();
      await client.close();
    },
  };
}
