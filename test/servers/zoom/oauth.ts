// Server-to-Server OAuth token endpoint (POST /oauth/token, grant_type=account_credentials) and the
// bearer-token check the API routes run. Tokens expire after the expires_in the endpoint gave out.
import { randomBytes } from 'node:crypto';
import type { Json } from './errors.js';

export interface OAuthConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Seconds a token lives; the reference says 3600. Tests set 1 or 2 to reach the refresh path. */
  expiresIn: number;
  scope: string;
  /** Origin of the API (the reference answers "https://api.zoom.us"). */
  apiUrl: string;
  /**
   * Off by default: the reference says several tokens may be live at once. On, a new grant revokes
   * the earlier tokens, as Zoom staff described on the forum (thread 74432) for S2S apps.
   */
  newTokenRevokesOld: boolean;
  now: () => number;
}

export type TokenCheck = 'valid' | 'expired' | 'invalid';

export interface TokenAnswer {
  status: number;
  body: Json;
}

/** Reads `Authorization: Basic base64(client_id:client_secret)`. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export class TokenIssuer {
  readonly #tokens = new Map<string, number>();
  #issued = 0;
  /** Every token handed out since the last reset, revoked or not (tests check none leaks). */
  readonly issuedTokens: string[] = [];

  constructor(readonly config: OAuthConfig) {}

  /** How many tokens the endpoint has handed out (tests assert the client does not over-fetch). */
  get issuedCount(): number {
    return this.#issued;
  }

  /** Issues a token directly, for tests that are not about the token endpoint. */
  issue(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    if (this.config.newTokenRevokesOld) this.#tokens.clear();
    this.#tokens.set(token, this.config.now() + this.config.expiresIn * 1000);
    this.#issued += 1;
    this.issuedTokens.push(token);
    return { token, expiresIn: this.config.expiresIn };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const expiresAt = match?.[1] ? this.#tokens.get(match[1]) : undefined;
    if (expiresAt === undefined) return 'invalid';
    return this.config.now() < expiresAt ? 'valid' : 'expired';
  }

  /** Makes every issued token unusable, as Zoom does when the app is deactivated. */
  revokeAll(): void {
    this.#tokens.clear();
  }

  reset(): void {
    this.#tokens.clear();
    this.#issued = 0;
    this.issuedTokens.length = 0;
  }

  /**
   * The token endpoint. The reference puts grant_type and account_id in the query string; Zoom's own
   * SDK (rivet) sends them as an application/x-www-form-urlencoded body: both are accepted.
   */
  answer(query: URLSearchParams, form: URLSearchParams, authorization: string | undefined): TokenAnswer {
    const param = (name: string) => query.get(name) ?? form.get(name) ?? undefined;
    const credentials = basicCredentials(authorization);
    if (!credentials) {
      return {
        status: 400,
        body: { reason: 'Client ID or client secret is missing.', error: 'invalid_request' },
      };
    }
    if (credentials.id !== this.config.clientId || credentials.secret !== this.config.clientSecret) {
      return { status: 401, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' } };
    }
    const grant = param('grant_type');
    if (!grant) return { status: 400, body: { reason: 'Missing grant type', error: 'invalid_request' } };
    if (grant !== 'account_credentials') {
      return {
        status: 400,
        body: {
          reason: `grant type ${grant} is not supported from token endpoint`,
          error: 'unsupported_grant_type',
        },
      };
    }
    if (param('account_id') !== this.config.accountId) {
      return { status: 400, body: { reason: 'Invalid account_id', error: 'invalid_request' } };
    }
    const { token, expiresIn } = this.issue();
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: expiresIn,
        scope: this.config.scope,
        api_url: this.config.apiUrl,
      },
    };
  }
}
