// What an instance supports, derived from the operations its connector implements (contract v2):
// a command whose operation is absent answers "<brand> does not support <command>" and makes no call.
import type { Connector } from './connector.js';

export type SupportedCommand =
  | 'get-user'
  | 'create-user'
  | 'update-user'
  | 'enable-user'
  | 'disable-user'
  | 'delete-user'
  | 'get-group'
  | 'create-group'
  | 'update-group'
  | 'delete-group'
  | 'test'
  | 'get-mapping-fields';

/** The operations one command needs: any one of each inner list (a user command also needs a lookup). */
const NEEDS: Readonly<Record<SupportedCommand, readonly (readonly (keyof Connector)[])[]>> = {
  'get-user': [['findUsers', 'getUser']],
  'create-user': [['createUser'], ['findUsers', 'getUser']],
  'update-user': [['updateUser'], ['findUsers', 'getUser']],
  'enable-user': [['setActive'], ['findUsers', 'getUser']],
  'disable-user': [['setActive'], ['findUsers', 'getUser']],
  'delete-user': [['deleteUser'], ['findUsers', 'getUser']],
  'get-group': [['getGroup', 'findGroups']],
  'create-group': [['createGroup']],
  'update-group': [['changeMembers']],
  'delete-group': [['deleteGroup']],
  test: [['test']],
  'get-mapping-fields': [['schema']],
};

/**
 * Whether `connector` implements what `command` needs. `mappingFields`: the definition's own list,
 * which answers get-mapping-fields without a `schema` operation.
 */
export function supports(
  connector: Connector,
  command: SupportedCommand,
  mappingFields: readonly string[] = [],
): boolean {
  if (command === 'get-mapping-fields' && mappingFields.length > 0) return true;
  return NEEDS[command].every((anyOf) => anyOf.some((op) => typeof connector[op] === 'function'));
}

/** Every command the connector supports, in the order above. */
export function supportedCommands(connector: Connector, mappingFields: readonly string[] = []) {
  return (Object.keys(NEEDS) as SupportedCommand[]).filter((c) => supports(connector, c, mappingFields));
}

/** The record's errorMessage for a command the connector cannot do. */
export const unsupported = (brand: string, command: SupportedCommand): string =>
  `${brand} does not support ${command}`;
