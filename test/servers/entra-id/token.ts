// The Microsoft identity platform token endpoint, client credentials grant
// (POST /{tenant}/oauth2/v2.0/token; "Microsoft identity platform and the OAuth 2.0 client
// credentials flow"): the client authenticates with `client_secret` in the form, or with a
// `client_assertion` JWT signed by a certificate registered on the app ("Microsoft identity
// platform certificate credentials": header alg RS256, typ JWT, x5t = base64url SHA-1 thumbprint
// of the certificate's DER; claims aud = the token URL, iss = sub = the client id, jti, nbf, exp).
// `scope` must be `{resource}/.default` for this grant. Tokens are opaque here and expire after
// `expiresIn` seconds.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { type Json, tokenError } from './errors.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** A PEM certificate registered on the app for signed assertions, if any. */
  certificate?: string;
  /** The resource whose `/.default` scope is asked: the Graph origin. */
  resource: () => string;
  /** The token URL, as the assertion's `aud` must name it. */
  tokenUrl: () => string;
  expiresIn: number;
  now: () => number;
}

export const thumbprint = (pem: string): string =>
  createHash('sha1').update(new X509Certificate(pem).raw).digest('base64url');

export class TokenEndpoint {
  readonly #tokens = new Map<string, number>();
  readonly issued: string[] = [];
  /** Every assertion received (tests check none leaks). */
  readonly assertions: string[] = [];

  constructor(readonly config: TokenConfig) {}

  issue(): string {
    const token = `eyJ0eXAiOiJKV1QifQ.${randomBytes(30).toString('base64url')}`;
    this.#tokens.set(token, this.config.now() + this.config.expiresIn * 1000);
    this.issued.push(token);
    return token;
  }

  check(authorization: string | undefined): 'valid' | 'expired' | 'missing' {
    const m = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (!m?.[1]) return 'missing';
    const until = this.#tokens.get(m[1]);
    return until !== undefined && this.config.now() < until ? 'valid' : 'expired';
  }

  reset(): void {
    this.#tokens.clear();
    this.issued.length = 0;
    this.assertions.length = 0;
  }

  async answer(tenant: string, form: URLSearchParams): Promise<{ status: number; body: Json }> {
    const c = this.config;
    if (tenant !== c.tenantId) {
      return tokenError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return tokenError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id');
    if (!clientId) {
      return tokenError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    if (clientId !== c.clientId) {
      return tokenError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (scope !== `${c.resource()}/.default`) {
      return tokenError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (assertion !== null) {
      this.assertions.push(assertion);
      const refused = await this.#checkAssertion(assertion, form.get('client_assertion_type'));
      if (refused) return refused;
    } else if (secret === null) {
      return tokenError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    } else if (secret !== c.clientSecret) {
      return tokenError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${c.clientId}'.`,
      );
    }
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: c.expiresIn,
        ext_expires_in: c.expiresIn,
        access_token: this.issue(),
      },
    };
  }

  async #checkAssertion(
    jwt: string,
    type: string | null,
  ): Promise<{ status: number; body: Json } | undefined> {
    const c = this.config;
    const invalid = (text: string) => tokenError(401, 'invalid_client', 700027, text);
    if (type !== ASSERTION_TYPE) {
      return tokenError(
        400,
        'invalid_request',
        50027,
        'JWT token is invalid or malformed: client_assertion_type is not jwt-bearer.',
      );
    }
    if (!c.certificate)
      return invalid(
        'Client assertion contains an invalid signature. No certificate is registered on the application.',
      );
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(jwt);
    } catch {
      return tokenError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    }
    if (header.x5t !== thumbprint(c.certificate)) {
      return invalid(
        `Client assertion failed signature validation. The key was not found. Thumbprint of key used by client: '${String(header.x5t ?? '')}'.`,
      );
    }
    try {
      const key = await importX509(c.certificate, 'RS256');
      const { payload } = await jwtVerify(jwt, key, {
        audience: c.tokenUrl(),
        issuer: c.clientId,
        subject: c.clientId,
        currentDate: new Date(c.now()),
      });
      if (!payload.jti) return invalid('The client assertion has no jti.');
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
        return invalid('Client assertion failed signature validation.');
      if (code === 'ERR_JWT_EXPIRED')
        return tokenError(
          401,
          'invalid_client',
          700024,
          'Client assertion is not within its valid time range.',
        );
      return tokenError(
        401,
        'invalid_client',
        700021,
        `Client assertion application identifier doesn't match 'client_id' parameter or its audience is wrong (${code}).`,
      );
    }
    return undefined;
  }
}
