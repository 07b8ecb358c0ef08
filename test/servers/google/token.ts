// Google's OAuth 2.0 token endpoint for service accounts ("Using OAuth 2.0 for Server to Server
// Applications", "Preparing to make an authorized API call" > "Addendum: Service account
// authorization without OAuth"): `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
// `assertion=<JWT>`, RS256-signed with the service account's private key; claims iss (the
// account's email), scope (space-delimited), aud (the token URL), exp (at most one hour after iat),
// iat, and sub (the user to impersonate, through domain-wide delegation). Refusals as Google sends
// them: `invalid_grant` with "Invalid JWT Signature.", a wrong aud or a stale iat/exp; and a subject
// that may not be impersonated for these scopes: 401 `unauthorized_client` "Client is unauthorized to
// retrieve access tokens using this method, or client not authorized for any of the scopes requested."
import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface IssuedToken {
  token: string;
  subject: string;
  scopes: Set<string>;
  expiresAt: number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface TokenIssuerConfig {
  clientEmail: string;
  privateKeyPem: string;
  /** The token URL the assertion's aud must name. */
  audience: () => string;
  /** Scopes domain-wide delegation grants the client id (Admin console > API controls). */
  delegatedScopes: Set<string>;
  /** May `sub` be impersonated (an existing admin)? */
  canImpersonate: (subject: string) => 'admin' | 'user' | 'unknown';
  expiresIn: number;
  now: () => number;
}

const grantError = (description: string): TokenAnswer => ({
  status: 400,
  body: { error: 'invalid_grant', error_description: description },
});

export class TokenIssuer {
  readonly #publicKey: KeyObject;
  readonly tokens = new Map<string, IssuedToken>();
  /** Every access token issued (tests look for them in outputs). */
  readonly issuedTokens: string[] = [];
  /** Every assertion received, decoded (tests check iss, sub, scope, aud). */
  readonly assertions: Record<string, unknown>[] = [];

  constructor(readonly config: TokenIssuerConfig) {
    this.#publicKey = createPublicKey(config.privateKeyPem);
  }

  async answer(form: URLSearchParams): Promise<TokenAnswer> {
    if (form.get('grant_type') !== JWT_GRANT) {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' },
      };
    }
    const assertion = form.get('assertion') ?? '';
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return grantError(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe',
      );
    }
    this.assertions.push(claims);
    try {
      await jwtVerify(assertion, this.#publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(this.config.now()),
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') return grantError(staleMessage());
      return grantError('Invalid JWT Signature.');
    }
    const { iss, aud, sub, iat, exp, scope } = claims;
    if (iss !== this.config.clientEmail) return grantError('Invalid grant: account not found');
    if (aud !== this.config.audience()) {
      return grantError(
        `Invalid JWT: Failed audience check. The right audience is ${this.config.audience()}`,
      );
    }
    const nowS = Math.floor(this.config.now() / 1000);
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      exp - iat > 3600 ||
      iat > nowS + 60 ||
      exp <= nowS
    ) {
      return grantError(staleMessage());
    }
    const scopes = new Set(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);
    if (scopes.size === 0)
      return {
        status: 400,
        body: { error: 'invalid_scope', error_description: 'Empty or missing scope not allowed.' },
      };
    if (typeof sub === 'string') {
      const who = this.config.canImpersonate(sub);
      if (who === 'unknown') return grantError('Invalid email or User ID');
      const granted = [...scopes].every((s) => this.config.delegatedScopes.has(s));
      if (who !== 'admin' || !granted) {
        return {
          status: 401,
          body: {
            error: 'unauthorized_client',
            error_description:
              'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
          },
        };
      }
    }
    return {
      status: 200,
      body: this.#issue(typeof sub === 'string' ? sub : this.config.clientEmail, scopes),
    };
  }

  /** Issues a token without a grant (tests). */
  issue(subject: string, scopes: Iterable<string>): string {
    return String(this.#issue(subject, new Set(scopes)).access_token);
  }

  #issue(subject: string, scopes: Set<string>): Record<string, unknown> {
    const token = `ya29.${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, {
      token,
      subject,
      scopes,
      expiresAt: this.config.now() + this.config.expiresIn * 1000,
    });
    this.issuedTokens.push(token);
    return { access_token: token, expires_in: this.config.expiresIn, token_type: 'Bearer' };
  }

  /** The token of an `Authorization: Bearer` header, when it is live. */
  check(authorization: string | undefined): IssuedToken | undefined {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    const t = m ? this.tokens.get(m[1] as string) : undefined;
    return t && t.expiresAt > this.config.now() ? t : undefined;
  }

  reset(): void {
    this.tokens.clear();
    this.issuedTokens.length = 0;
    this.assertions.length = 0;
  }
}

const staleMessage = () =>
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
