// The instance's OAuth token endpoint, `/oauth_token.do` (OAuth API request parameters page): a
// URL-encoded POST (application/json is refused), `client_id` and `client_secret` in the form, and
// `grant_type` `client_credentials` (the client credentials grant of recent releases) or `password`
// (with `username` and `password`; also answers a refresh token). A refusal is 401 with
// `{"error_description": "access_denied", "error": "server_error"}`.
import { randomBytes } from 'node:crypto';
import { OAUTH_DENIED } from './fixtures.js';

export interface OAuthConfig {
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  expiresIn: number;
  now: () => number;
}

export class OAuthIssuer {
  readonly #tokens = new Map<string, number>();
  /** Grants answered, by grant type (tests check which one the connector used). */
  readonly grants: string[] = [];
  /** Every access token issued (tests check none leaks). */
  readonly issuedTokens: string[] = [];

  constructor(readonly config: OAuthConfig) {}

  issue(): string {
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, this.config.now() + this.config.expiresIn * 1000);
    this.issuedTokens.push(token);
    return token;
  }

  valid(token: string): boolean {
    const until = this.#tokens.get(token);
    return until !== undefined && until > this.config.now();
  }

  answer(method: string, contentType: string, text: string): { status: number; body: unknown } {
    if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return {
        status: 400,
        body: { error_description: 'unsupported content type', error: 'invalid_request' },
      };
    }
    const form = new URLSearchParams(text);
    const c = this.config;
    const client = form.get('client_id') === c.clientId && form.get('client_secret') === c.clientSecret;
    const grant = form.get('grant_type') ?? '';
    const user = form.get('username') === c.username && form.get('password') === c.password;
    if (!client || !(grant === 'client_credentials' || (grant === 'password' && user))) {
      return { status: 401, body: OAUTH_DENIED };
    }
    this.grants.push(grant);
    const body: Record<string, unknown> = {
      access_token: this.issue(),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: c.expiresIn,
    };
    if (grant === 'password') body.refresh_token = randomBytes(24).toString('base64url');
    return { status: 200, body };
  }
}
