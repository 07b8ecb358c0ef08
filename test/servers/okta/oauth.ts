// Okta's org authorization server token endpoint for a service app (OAuth 2.0 client credentials
// with private_key_jwt: "Implement OAuth for Okta with a service app" guide, and the OpenID
// Connect & OAuth 2.0 API /token). The client assertion is verified with the app's registered
// public key: iss = sub = client_id, aud = the token URL, an exp at most an hour away, a jti
// used once. Refusals are `{ error, error_description }`; the descriptions are the guide's where
// it gives them and otherwise paraphrased. Access tokens are opaque here (Okta's are JWTs).
import { randomBytes } from 'node:crypto';
import { type CryptoKey, decodeJwt, type JWTPayload, jwtVerify, type KeyObject } from 'jose';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface OAuthConfig {
  clientId: string;
  publicKey: CryptoKey | KeyObject;
  /** Scopes granted to the app (Okta API Scopes tab). */
  granted: string[];
  expiresIn: number;
  tokenUrl: string;
  now: () => number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface Issued {
  expires: number;
  scopes: string[];
}

const refuse = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
});

export class OktaOAuth {
  readonly #tokens = new Map<string, Issued>();
  readonly #jtis = new Set<string>();
  grants = 0;
  /** Every access token issued, in order (tests check none leaks). */
  readonly issuedTokens: string[] = [];

  constructor(readonly config: OAuthConfig) {}

  async answer(form: URLSearchParams): Promise<TokenAnswer> {
    const c = this.config;
    if (form.get('grant_type') !== 'client_credentials')
      return refuse(
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server.',
      );
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertion)
      return refuse(
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
    let claims: JWTPayload;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return refuse(401, 'invalid_client', 'The client_assertion is not a valid JWT.');
    }
    if (claims.iss !== c.clientId || claims.sub !== c.clientId)
      return refuse(401, 'invalid_client', 'The client_assertion token has an invalid client_id.');
    try {
      await jwtVerify(assertion, c.publicKey, {
        audience: c.tokenUrl,
        currentDate: new Date(c.now()),
        requiredClaims: ['exp', 'jti'],
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED')
        return refuse(401, 'invalid_client', 'The client_assertion token is expired.');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
        return refuse(
          401,
          'invalid_client',
          'The audience claim for client_assertion must be the endpoint invoked for the request.',
        );
      return refuse(401, 'invalid_client', 'The client_assertion signature is invalid.');
    }
    if (typeof claims.exp === 'number' && claims.exp * 1000 - c.now() > 3_600_000)
      return refuse(
        401,
        'invalid_client',
        'The client_assertion token has an expiration too far in the future.',
      );
    if (this.#jtis.has(String(claims.jti)))
      return refuse(401, 'invalid_client', 'The client_assertion token has already been used.');
    this.#jtis.add(String(claims.jti));
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0)
      return refuse(400, 'invalid_scope', 'The authorization server did not receive a scope.');
    const denied = scopes.filter((s) => !c.granted.includes(s));
    if (denied.length)
      return refuse(400, 'invalid_scope', `The following scopes are not allowed: ${denied.join(', ')}`);
    this.grants += 1;
    const token = this.issue(scopes);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: c.expiresIn, access_token: token, scope: scopes.join(' ') },
    };
  }

  issue(scopes: string[] = this.config.granted): string {
    const token = `eyJraWQi.${randomBytes(24).toString('base64url')}`;
    this.issuedTokens.push(token);
    this.#tokens.set(token, { expires: this.config.now() + this.config.expiresIn * 1000, scopes });
    return token;
  }

  /** The scopes of a live access token, or undefined when unknown or expired. */
  scopesOf(token: string): string[] | undefined {
    const t = this.#tokens.get(token);
    return t && t.expires > this.config.now() ? t.scopes : undefined;
  }

  reset(): void {
    this.#tokens.clear();
    this.#jtis.clear();
    this.grants = 0;
  }
}
