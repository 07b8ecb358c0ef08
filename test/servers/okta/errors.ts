// Okta API error bodies (Error codes page, developer.okta.com/docs/reference/error-codes/):
// `{ errorCode, errorSummary, errorLink, errorId, errorCauses: [{ errorSummary }] }`, and the OAuth
// token endpoint's `{ error, error_description }` (OpenID Connect & OAuth 2.0 API, /token).
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

export class OktaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly summary: string,
    readonly causes: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(summary);
  }

  body(): Json {
    return {
      errorCode: this.code,
      errorSummary: this.summary,
      errorLink: this.code,
      errorId: `oae${randomBytes(11).toString('base64url')}`,
      errorCauses: this.causes.map((errorSummary) => ({ errorSummary })),
    };
  }
}

/** E0000001: "Api validation failed: {field}", the field's complaint in errorCauses (HTTP 400). */
export const validationFailed = (field: string, cause: string) =>
  new OktaApiError(400, 'E0000001', `Api validation failed: ${field}`, [`${field}: ${cause}`]);

/** E0000007: "Not found: Resource not found: {id} ({type})" (HTTP 404). */
export const notFound = (id: string, type: 'User' | 'UserGroup') =>
  new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);

/** E0000011: "Invalid token provided" (HTTP 401). */
export const invalidToken = () =>
  new OktaApiError(401, 'E0000011', 'Invalid token provided', [], {
    'www-authenticate':
      'SSWS realm="IANA", error="invalid_token", error_description="Invalid token provided"',
  });

/** E0000006: the token's scopes or admin role do not allow the call (HTTP 403). */
export const forbidden = (scope: string) =>
  new OktaApiError(403, 'E0000006', 'You do not have permission to perform the requested action', [], {
    'www-authenticate': `Bearer realm="IANA", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", scope="${scope}"`,
  });

/** E0000047: "API call exceeded rate limit due to too many requests." (HTTP 429). */
export const rateLimited = () =>
  new OktaApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

/** E0000031: "Invalid search criteria." (HTTP 400). */
export const invalidSearch = () => new OktaApiError(400, 'E0000031', 'Invalid search criteria.');

/** E0000016: "Activation failed because the user is already active" (HTTP 403). */
export const alreadyActive = () =>
  new OktaApiError(403, 'E0000016', 'Activation failed because the user is already active');

/** E0000038: an operation the user's status does not allow (HTTP 403). */
export const notAllowed = (what: string) =>
  new OktaApiError(403, 'E0000038', `This operation is not allowed in the user's current status. ${what}`);

/** E0000003: "The request body was not well-formed." (HTTP 400). */
export const badBody = () => new OktaApiError(400, 'E0000003', 'The request body was not well-formed.');
