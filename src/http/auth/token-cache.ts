// A fetched bearer token, cached per authenticator: reused until it is within a margin of its
// expiry (the smaller of 60 s and a tenth of its lifetime), then fetched again. Fetches are
// single-flight: any number of requests waiting for a token share one token request. A token the
// app refused (401) is dropped, unless a newer one already replaced it, so a burst of refusals
// costs one token request, not one each. Every fetched token is reported to `onSecret` first.
import { Secret } from '../../core/secrets.js';
import type { Authenticator, AuthHeaders, SecretObserver } from './authenticator.js';
import type { FetchedToken } from './token-endpoint.js';

export const MAX_REFRESH_MARGIN_MS = 60_000;

export interface TokenCacheOptions {
  onSecret?: SecretObserver;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

interface Cached {
  token: Secret;
  /** When to fetch a new one (ms); Infinity when the endpoint gave no lifetime. */
  refreshAt: number;
  headers: AuthHeaders;
}

/** When a token with this lifetime, fetched at `at`, should be replaced. */
export function refreshTime(at: number, expiresInMs: number | undefined): number {
  if (expiresInMs === undefined) return Number.POSITIVE_INFINITY;
  return at + expiresInMs - Math.min(MAX_REFRESH_MARGIN_MS, expiresInMs / 10);
}

export class TokenCache {
  readonly #fetch: () => Promise<FetchedToken>;
  readonly #opts: TokenCacheOptions;
  #current: Cached | undefined;
  #inflight: Promise<Cached> | undefined;

  constructor(fetch: () => Promise<FetchedToken>, opts: TokenCacheOptions = {}) {
    this.#fetch = fetch;
    this.#opts = opts;
  }

  /** The `Authorization: Bearer` header of a valid token (fetching one when needed). */
  async headers(): Promise<AuthHeaders> {
    const now = (this.#opts.now ?? Date.now)();
    const c = this.#current;
    if (c && now < c.refreshAt) return c.headers;
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return (await this.#inflight).headers;
  }

  /** Forgets the token sent in `sent` if it is still the current one. */
  drop(sent: AuthHeaders): void {
    if (this.#current && this.#current.headers === sent) this.#current = undefined;
  }

  async #refresh(): Promise<Cached> {
    const at = (this.#opts.now ?? Date.now)();
    const fetched = await this.#fetch();
    this.#opts.onSecret?.(fetched.token);
    const cached: Cached = {
      token: fetched.token,
      refreshAt: refreshTime(at, fetched.expiresInMs),
      headers: { authorization: new Secret(`Bearer ${fetched.token.reveal()}`) },
    };
    this.#current = cached;
    return cached;
  }
}

/**
 * An Authenticator sending a cached bearer token; on a 401 it drops that token and gets another
 * (one token request however many requests were refused at once).
 */
export function tokenAuth(cache: TokenCache, close?: () => Promise<void>): Authenticator {
  return {
    headers: () => cache.headers(),
    async rejected(sent) {
      cache.drop(sent);
      await cache.headers();
      return true;
    },
    ...(close ? { close } : {}),
  };
}
