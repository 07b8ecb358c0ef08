// Active Directory (Windows Server AD DS, and Samba AD, the tested stand-in) over LDAP: the
// directory kit (src/ldap) on AD's schema. See README.md for the vendor facts.
import type { Capabilities, ConnectorDefinition } from '../../core/connector.js';
import { createAdConnector } from './connector.js';
import { adMappingFields, adUserMapping } from './mapping.js';
import { adProfile } from './profile.js';
import { type AdSettings, adSettings, resolveAdSettings } from './settings.js';

export const adCapabilities: Capabilities = {
  lookup: ['id', 'sAMAccountName', 'userPrincipalName', 'mail'],
  memberBatchSize: 500,
  // A DC answers many binds' worth of writes at once; the pool holds this many connections.
  concurrency: 8,
};

export const activeDirectoryConnector: ConnectorDefinition<AdSettings> = {
  brand: 'Active-Directory',
  description:
    'Active Directory over LDAP(S): user accounts (objectGUID id, sAMAccountName, userAccountControl) and groups',
  settings: adSettings,
  capabilities: adCapabilities,
  mapping: adUserMapping,
  mappingFields: adMappingFields,
  connectorFields: ['password'],
  nativeDryRun: true,
  create(raw, ctx) {
    const settings = resolveAdSettings(raw);
    return createAdConnector(settings, adProfile(settings), ctx, {
      poolSize: adCapabilities.concurrency ?? 8,
      lookup: adCapabilities.lookup.filter((a) => a !== 'id'),
      // Every user attribute ('*'), so a mapper's own attributes are read and compared too.
      userAttributes: ['*'],
      mappingFields: adMappingFields,
    });
  },
};
