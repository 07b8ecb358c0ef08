// API keys: who is calling, and may they run this command on this instance. A presented key is
// hashed and compared with every configured key's hash by crypto.timingSafeEqual (equal lengths,
// whatever was sent), so neither a key's length nor its first differing byte shows in the timing.
// The key itself is never logged, audited or echoed: callers get the key's name only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig, Scope } from '../core/config-server.js';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export interface KeyRing {
  /** The key an `Authorization: Bearer <key>` header names, or undefined (missing or wrong). */
  identify(authorization: string | undefined): ApiKeyConfig | undefined;
}

export function keyRing(keys: readonly ApiKeyConfig[]): KeyRing {
  const hashed = keys.map((k) => ({ key: k, hash: digest(k.key.reveal()) }));
  return {
    identify(authorization) {
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
      if (!m?.[1]) return undefined;
      const given = digest(m[1]);
      let found: ApiKeyConfig | undefined;
      // Every key is compared (no early exit), so the time does not say which one matched.
      for (const { key, hash } of hashed) if (timingSafeEqual(given, hash) && !found) found = key;
      return found;
    },
  };
}

/** `write` implies `read`. */
export const hasScope = (key: ApiKeyConfig, scope: Scope): boolean =>
  key.scopes.includes(scope) || (scope === 'read' && key.scopes.includes('write'));

/** A key with no `instances` list may use every instance. */
export const mayUse = (key: ApiKeyConfig, instance: string): boolean =>
  key.instances === undefined || key.instances.includes(instance);
