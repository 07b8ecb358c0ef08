import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIamClient } from '../client.js';
import { localConnector } from '../connectors/local/index.js';
import type { ConnectorDefinition } from '../core/connector.js';

// A Local store whose connector also answers `schema`, as an app with custom attributes would.
const WITH_SCHEMA: ConnectorDefinition = {
  ...(localConnector as ConnectorDefinition),
  brand: 'Local-Custom',
  create: (settings, ctx) => {
    const c = localConnector.create(settings as never, ctx);
    return Object.assign(Object.create(c) as typeof c, {
      schema: async () => [...localConnector.mappingFields, 'costCenter'],
      close: () => c.close(),
    });
  },
};

test("get-mapping-fields answers with the connector's schema operation when it has one", async () => {
  const client = createIamClient({
    config: { instances: { app: { brand: 'Local-Custom', path: ':memory:' } } },
    env: {},
    registry: [localConnector, WITH_SCHEMA],
  });
  try {
    const r = await client.mappingFields('app');
    assert.equal(r.brand, 'Local-Custom');
    assert.ok(r.fields.includes('costCenter'), 'the field the app reported');
    assert.deepEqual(client.declaredMappingFields('app'), localConnector.mappingFields);
  } finally {
    await client.close();
  }
});
