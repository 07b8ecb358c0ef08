// OAuth 2.0 client credentials (RFC 6749 4.4) as an Authenticator. Everything a vendor varies is
// data: the grant type and extra form parameters (Zoom's Server-to-Server OAuth is
// `grant_type=account_credentials&account_id=...` with HTTP Basic client authentication), the
// scope, and whether the client authenticates with HTTP Basic (default, RFC 6749 2.3.1) or in the
// form body (`client_secret_post`). The token is cached, refreshed before expiry and once on a 401
// (token-cache.ts); token requests go through their own transport (token-endpoint.ts).
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Transport } from '../transport.js';
import { type Authenticator, basicCredential, type SecretObserver } from './authenticator.js';
import { TokenCache, tokenAuth } from './token-cache.js';
import { requestToken, type TokenTransportFactory, tokenUrlOf } from './token-endpoint.js';

export interface ClientCredentialsOptions {
  /** The token endpoint, e.g. `https://zoom.us/oauth/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: Secret;
  /** Space-separated scopes (or a list); none sent when absent. */
  scope?: string | readonly string[];
  /** `basic` (client_secret_basic, the default) or `post` (client_secret_post). */
  clientAuth?: 'basic' | 'post';
  /** Default `client_credentials`; Zoom: `account_credentials`. */
  grantType?: string;
  /** Extra form parameters, e.g. `{ account_id: '...' }`. They cannot override the ones above. */
  params?: Readonly<Record<string, string>>;
  /** The token endpoint's own transport (never the API's: no dry run, no audit, no auth of its own). */
  tokenTransport: TokenTransportFactory;
  /** Told of every fetched token and derived credential, to be hidden by value everywhere. */
  onSecret?: SecretObserver;
  now?: () => number;
}

const RESERVED = new Set(['grant_type', 'client_id', 'client_secret', 'scope', 'assertion']);

export function scopeParam(scope: string | readonly string[] | undefined): string | undefined {
  const s = typeof scope === 'string' ? scope.trim() : scope?.join(' ').trim();
  return s ? s : undefined;
}

/** Extra parameters, refusing any that would replace a credential or the grant. */
export function extraParams(params: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (RESERVED.has(k))
      throw new ConfigError(`token parameter "${k}" is set by its own setting, not in params`);
    out[k] = v;
  }
  return out;
}

/** Opens the token transport on first use and closes it with the authenticator. */
export function lazyTransport(tokenUrl: URL, factory: TokenTransportFactory) {
  let transport: Transport | undefined;
  return {
    get: (): Transport => {
      transport ??= factory(tokenUrl.origin);
      return transport;
    },
    close: async (): Promise<void> => {
      const t = transport;
      transport = undefined;
      if (t) await t.close();
    },
  };
}

/** RFC 6749 2.3.1: the id and secret are form-encoded before they are paired and base64-encoded. */
function formEncoded(s: string): string {
  return new URLSearchParams({ s }).toString().slice(2);
}

export function clientCredentials(opts: ClientCredentialsOptions): Authenticator {
  const tokenUrl = tokenUrlOf(opts.tokenUrl);
  if (!opts.clientId) throw new ConfigError('clientId is empty');
  if (!opts.clientSecret.reveal()) throw new ConfigError('clientSecret is empty');
  const post = opts.clientAuth === 'post';
  const scope = scopeParam(opts.scope);
  const form: Record<string, string> = {
    ...extraParams(opts.params),
    grant_type: opts.grantType ?? 'client_credentials',
    ...(scope ? { scope } : {}),
  };
  const secrets: Secret[] = [opts.clientSecret];
  let headers: Record<string, Secret> | undefined;
  if (post) {
    form.client_id = opts.clientId;
  } else {
    const pair = basicCredential(
      formEncoded(opts.clientId),
      new Secret(formEncoded(opts.clientSecret.reveal())),
    );
    opts.onSecret?.(pair);
    secrets.push(pair);
    headers = { authorization: new Secret(`Basic ${pair.reveal()}`) };
  }
  const transport = lazyTransport(tokenUrl, opts.tokenTransport);
  const fetch = () =>
    requestToken(transport.get(), {
      tokenUrl,
      form: post ? { ...form, client_secret: opts.clientSecret.reveal() } : form,
      ...(headers ? { headers } : {}),
      secrets,
      clientHint: 'check clientId/clientSecret',
    });
  const cache = new TokenCache(fetch, {
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return tokenAuth(cache, transport.close);
}
