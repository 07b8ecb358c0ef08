// A configured instance as the commands see it: flags (spec section 5), its mapping, its connector.
import type { Capabilities, Connector } from './connector.js';
import type { Mapping } from './mapping/types.js';
import type { RecordContext } from './record.js';

export interface InstanceFlags {
  allowCreate: boolean;
  allowUpdate: boolean;
  allowEnable: boolean;
  allowDisable: boolean;
  /** Off unless an instance turns it on: deleting an account cannot be undone. */
  allowDelete: boolean;
  createIfNotExists: boolean;
}

export const DEFAULT_FLAGS: InstanceFlags = {
  allowCreate: true,
  allowUpdate: true,
  allowEnable: true,
  allowDisable: true,
  allowDelete: false,
  createIfNotExists: true,
};

export interface InstanceRuntime extends RecordContext {
  flags: InstanceFlags;
  capabilities: Capabilities;
  mapping: { outgoing: Mapping; incoming: Mapping };
  /** The spec's default SCIM mapping, used to read SCIM User input whatever the brand. */
  scimInputMapping: Mapping;
  connector: Connector;
  /** Something the user must be told (an app that ignored a lookup filter); each message once per run. */
  warn?: (message: string) => void;
  /** Retries the core makes itself (a create whose answer was lost); none when absent. */
  retry?: CoreRetry;
}

/**
 * The core's own retry budget, for writes the transport must not repeat blindly: a create whose
 * answer was lost is looked up, and sent again only if it did not land.
 */
export interface CoreRetry {
  /** Total attempts, the first one included. */
  attempts: number;
  /** Called before attempt `retry + 1`: counts the retry (record details) and waits (backoff). */
  beforeRetry(retry: number, reason: string): Promise<void>;
}
