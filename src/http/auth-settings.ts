// The `auth` setting a connector may compose for static credentials: a Bearer token, HTTP Basic
// (user id and password, both secrets), or an API key in a named header. Data in the settings
// schema, an Authenticator (auth/authenticator.ts) at run time.
import { z } from 'zod';
import type { Secret } from '../core/secrets.js';
import { secretSetting } from '../core/settings.js';
import {
  type Authenticator,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  type SecretObserver,
} from './auth/authenticator.js';

export const staticAuthSetting = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('bearer'),
        token: secretSetting().describe('Bearer token (RFC 6750)'),
      }),
      z.strictObject({
        type: z.literal('basic'),
        username: secretSetting().describe('HTTP Basic user id (RFC 7617); no ":"'),
        password: secretSetting().describe('HTTP Basic password'),
      }),
      z.strictObject({
        type: z.literal('apiKey'),
        header: z
          .string()
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name')
          .describe('the header that carries the key, e.g. X-API-Key'),
        key: secretSetting().describe('the API key'),
        prefix: z.string().optional().describe('written before the key, e.g. SSWS'),
      }),
    ],
    { error: 'expected type bearer, basic or apiKey' },
  )
  .describe(
    'how requests authenticate: {type: bearer, token}, {type: basic, username, password} or {type: apiKey, header, key}',
  );
export type StaticAuthSetting = z.output<typeof staticAuthSetting>;

/** The Authenticator for an `auth` setting; Basic's encoded pair is reported to `onSecret`. */
export function staticAuthenticator(auth: StaticAuthSetting, onSecret?: SecretObserver): Authenticator {
  switch (auth.type) {
    case 'bearer':
      return bearerAuth(auth.token);
    case 'basic':
      return basicAuth((auth.username as Secret).reveal(), auth.password, onSecret);
    case 'apiKey':
      return apiKeyAuth(auth.header, auth.key, auth.prefix);
  }
}
