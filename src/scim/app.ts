// A SCIM app as data: its settings, its profile (profile.ts), where its SCIM root is and how it
// authenticates. `defineScimApp` turns that into a connector definition on the shared SCIM client
// and connector, so adding a SCIM-based app is a profile file and one registry line, no code of
// its own (see src/connectors/aws-ilm/ for one).
import type { z } from 'zod';
import type { MappingField } from '../core/app-schema.js';
import type { Capabilities, ConnectorDefinition } from '../core/connector.js';
import type { Mapping } from '../core/mapping/types.js';
import { Secret } from '../core/secrets.js';
import { type Authenticator, bearerAuth, withAuth } from '../http/auth/authenticator.js';
import { rateLimitAnswer } from '../http/rate-headers.js';
import { ScimClient } from './client.js';
import { createScimConnector } from './connector.js';
import { scimMappingFields, scimUserMapping } from './mapping.js';
import type { ScimProfile } from './profile.js';
import { discoverSchema } from './schema.js';

export interface ScimAppSpec<S> {
  brand: string;
  description: string;
  /** zod schema of the settings; compose `httpConnectionSettings` for the connection. */
  settings: z.ZodType<S>;
  /** The app's quirks (its capabilities come from it). */
  profile: ScimProfile;
  /** The profile adjusted by settings (e.g. a configurable page size); default: as it is. */
  tune?(profile: ScimProfile, settings: S): ScimProfile;
  /** The SCIM root (the part before /Users) from the settings. */
  root(settings: S): string;
  /** Request headers the app requires (authentication aside). */
  headers?(settings: S): Record<string, string>;
  /** How requests authenticate; default: a Bearer `token` setting. */
  auth?(settings: S, onSecret: (secret: Secret) => void): Authenticator | undefined;
  /** Secrets among the settings, redacted by value in everything the app's answers put in records. */
  secrets?(settings: S): Secret[];
  /** What the health check names, e.g. "AWS IAM Identity Center <root>"; default "SCIM endpoint <root>". */
  label?(root: string): string;
  capabilities?: Partial<Omit<Capabilities, 'lookup' | 'memberBatchSize'>>;
  mapping?: Mapping;
  mappingFields?: readonly (string | MappingField)[];
}

const tokenOf = (settings: unknown): Secret | undefined => {
  const token = (settings as { token?: unknown }).token;
  return token instanceof Secret ? token : undefined;
};

export function defineScimApp<S>(spec: ScimAppSpec<S>): ConnectorDefinition<S> {
  return {
    brand: spec.brand,
    description: spec.description,
    settings: spec.settings,
    capabilities: {
      lookup: spec.profile.userLookup,
      memberBatchSize: spec.profile.memberBatchSize,
      ...spec.capabilities,
    },
    mapping: spec.mapping ?? scimUserMapping,
    mappingFields: spec.mappingFields ?? scimMappingFields,
    create(settings, ctx) {
      const profile = spec.tune ? spec.tune(spec.profile, settings) : spec.profile;
      const root = spec.root(settings);
      const token = tokenOf(settings);
      const learned: Secret[] = [];
      const onSecret = (secret: Secret) => {
        learned.push(secret);
        ctx.onSecret?.(secret);
      };
      const auth = spec.auth?.(settings, onSecret) ?? (token ? bearerAuth(token) : undefined);
      const secrets = spec.secrets?.(settings) ?? (token ? [token] : []);
      const plain = ctx.transport({
        baseUrl: root,
        headers: spec.headers?.(settings) ?? {},
        ...(profile.rateLimitStatuses.length
          ? { rateLimited: rateLimitAnswer(profile.rateLimitStatuses) }
          : {}),
      });
      const client = new ScimClient({
        transport: auth ? withAuth(plain, auth) : plain,
        profile,
        secrets: [...secrets, ...learned, ...(ctx.secretValues ?? []).map((v) => new Secret(v))],
        endpoint: root,
      });
      const connector = createScimConnector({
        client,
        profile,
        label: spec.label?.(root) ?? `SCIM endpoint ${root}`,
      });
      const fields = (spec.mappingFields ?? scimMappingFields).map((f) =>
        typeof f === 'string' ? f : f.path,
      );
      return { ...connector, schema: () => discoverSchema(client, fields) };
    },
  };
}
