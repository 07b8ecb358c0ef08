// A configured instance as the commands see it: flags (spec section 5), its mapping, its connector.
import type { Capabilities, Connector } from './connector.js';
import type { Mapping } from './mapping/types.js';
import type { RecordContext } from './record.js';

export interface InstanceFlags {
  allowCreate: boolean;
  allowUpdate: boolean;
  allowEnable: boolean;
  allowDisable: boolean;
  createIfNotExists: boolean;
}

export const DEFAULT_FLAGS: InstanceFlags = {
  allowCreate: true,
  allowUpdate: true,
  allowEnable: true,
  allowDisable: true,
  createIfNotExists: true,
};

export interface InstanceRuntime extends RecordContext {
  flags: InstanceFlags;
  capabilities: Capabilities;
  mapping: { outgoing: Mapping; incoming: Mapping };
  /** The spec's default SCIM mapping, used to read SCIM User input whatever the brand. */
  scimInputMapping: Mapping;
  connector: Connector;
}
