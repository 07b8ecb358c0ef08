// Authorization header values stay Secrets until the transport writes them.
import { Secret } from '../core/secrets.js';

/** `Bearer <token>` (RFC 6750 2.1) as a Secret: revealed only when the request is written. */
export function bearer(token: Secret): Secret {
  return new Secret(`Bearer ${token.reveal()}`);
}
